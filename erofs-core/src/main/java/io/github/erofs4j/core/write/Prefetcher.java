package io.github.erofs4j.core.write;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads byte ranges of file contents ahead of the sequential writer, on worker threads, and hands them over in
 * request order. At most {@code maxBytes} are held at once, so memory stays bounded whatever the tree. With no
 * executor, each range is read when it is taken. Only the timing changes; the bytes are the same.
 */
final class Prefetcher implements AutoCloseable {
    /** One range to read: {@code length} bytes of {@code content} from {@code offset}. */
    record Range(FileContent content, long offset, int length) {}

    private final List<Range> ranges;
    private final ExecutorService pool;
    private final long maxBytes;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private int submitted;
    private int taken;
    private long bytesInFlight;

    Prefetcher(List<Range> ranges, ExecutorService pool, long maxBytes) {
        this.ranges = ranges;
        this.pool = pool;
        this.maxBytes = maxBytes;
    }

    /** The bytes of the next range, in the order given. */
    byte[] next() throws IOException {
        if (pool == null) {
            return read(ranges.get(taken++));
        }
        fill();
        Future<byte[]> f = inFlight.poll();
        Range r = ranges.get(taken++);
        bytesInFlight -= r.length();
        try {
            byte[] b = f.get();
            fill();
            return b;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(r.content().describe() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private void fill() {
        while (submitted < ranges.size() && (inFlight.isEmpty() || bytesInFlight < maxBytes)) {
            Range r = ranges.get(submitted++);
            bytesInFlight += r.length();
            inFlight.add(pool.submit(() -> read(r)));
        }
    }

    static byte[] read(Range r) throws IOException {
        byte[] b = new byte[r.length()];
        try (ReadableByteChannel ch = r.content().open(r.offset())) {
            ImageOutput.readFully(ch, ByteBuffer.wrap(b), r.content());
        }
        return b;
    }

    @Override
    public void close() {
        for (Future<byte[]> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
    }
}
