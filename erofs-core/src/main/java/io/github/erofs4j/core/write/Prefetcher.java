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
 * request order. With no executor, each range is read when it is taken. Only the timing changes; the bytes are
 * the same.
 *
 * <p>Ranges are read into one ring buffer of {@code window} bytes, allocated in request order and freed in the
 * same order as they are taken, so memory stays bounded whatever the tree, and hundreds of megabytes of small
 * files pass through the same array (no garbage, no first-touch page faults of fresh heap). A range longer than
 * the window gets an array of its own.
 */
final class Prefetcher implements AutoCloseable {
    /** One range to read: {@code length} bytes of {@code content} from {@code offset}. */
    record Range(FileContent content, long offset, int length) {}

    /** Bytes of a range: {@code length} bytes of {@code array} from {@code offset}; valid until the next take. */
    record Slice(byte[] array, int offset, int length) {}

    /** A range in flight: where it goes in the ring, and how much ring it holds (its length plus a skipped end). */
    private record Pending(Future<Slice> result, int held) {}

    private final List<Range> ranges;
    private final ExecutorService pool;
    private final byte[] ring;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private int head;
    private long used;
    private int submitted;
    private int taken;
    /** Ring bytes of the slice last handed out, freed when the next one is taken. */
    private int lastHeld;

    Prefetcher(List<Range> ranges, ExecutorService pool, int window) {
        this.ranges = ranges;
        this.pool = pool;
        long need = 0;
        for (Range r : ranges) {
            need += r.length();
            if (need >= window) {
                break;
            }
        }
        this.ring = new byte[(int) Math.min(window, need)];
    }

    /** The bytes of the next range, in the order given; the previous slice is no longer valid. */
    Slice next() throws IOException {
        release();
        if (pool == null) {
            Range r = ranges.get(taken++);
            int[] at = place(r.length());
            lastHeld = at[1];
            return read(r, at[0] < 0 ? new byte[r.length()] : ring, Math.max(at[0], 0));
        }
        fill();
        Pending p = inFlight.poll();
        Range r = ranges.get(taken++);
        lastHeld = p.held();
        Slice s = await(p.result(), r.content().describe());
        fill();
        return s;
    }

    /** The bytes of the next range in an array of their own. */
    byte[] nextBytes() throws IOException {
        Slice s = next();
        if (s.offset() == 0 && s.array().length == s.length()) {
            return s.array();
        }
        byte[] b = new byte[s.length()];
        System.arraycopy(s.array(), s.offset(), b, 0, s.length());
        return b;
    }

    private void release() {
        used -= lastHeld;
        lastHeld = 0;
        if (used == 0) {
            head = 0;
        }
    }

    /**
     * Reserves ring space for {@code length} bytes: {offset, bytes held}, or {-1, 0} when the range does not fit
     * the ring at all (it then gets its own array), or null when it must wait for earlier ranges to be taken.
     */
    private int[] place(int length) {
        if (length > ring.length) {
            return new int[] {-1, 0};
        }
        boolean wrap = head + length > ring.length;
        int skip = wrap ? ring.length - head : 0;
        if (used + skip + length > ring.length) {
            return null;
        }
        int off = wrap ? 0 : head;
        head = off + length;
        used += skip + length;
        return new int[] {off, skip + length};
    }

    private void fill() {
        while (submitted < ranges.size()) {
            Range r = ranges.get(submitted);
            int[] at = place(r.length());
            if (at == null) {
                return;
            }
            submitted++;
            byte[] target = at[0] < 0 ? new byte[r.length()] : ring;
            int off = Math.max(at[0], 0);
            inFlight.add(new Pending(pool.submit(() -> read(r, target, off)), at[1]));
        }
    }

    /**
     * Waits for a task of the writer's pool: its I/O error as it was, anything else as an I/O error naming
     * {@code what}.
     */
    static <T> T await(Future<T> f, String what) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Reads a range into a new array. */
    static byte[] read(Range r) throws IOException {
        return read(r, new byte[r.length()], 0).array();
    }

    private static Slice read(Range r, byte[] b, int off) throws IOException {
        try (ReadableByteChannel ch = r.content().open(r.offset())) {
            ImageOutput.readFully(ch, ByteBuffer.wrap(b, off, r.length()), r.content());
        } catch (IOException e) {
            throw ImageOutput.named(r.content(), e);
        }
        return new Slice(b, off, r.length());
    }

    @Override
    public void close() {
        for (Pending p : inFlight) {
            p.result().cancel(true);
        }
        inFlight.clear();
    }
}
