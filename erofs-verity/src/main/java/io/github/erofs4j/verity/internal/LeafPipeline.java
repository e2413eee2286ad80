package io.github.erofs4j.verity.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts the data into blocks, hashes them, and hands the digests in order to a {@link TreeAccumulator}.
 *
 * <p>Data is gathered into 1 MiB chunks. With more than one thread, full chunks are hashed by a private pool
 * while the caller keeps filling the next chunk; at most {@code threads + 1} chunks are in flight, and results
 * are consumed strictly in order, so the output never depends on the thread count and memory stays bounded
 * ({@code threads + 2} MiB plus the accumulator's one block per level). The pool is created at the first full
 * chunk and shut down by {@link #finish()} or {@link #close()}. Not thread-safe: one feeding thread.
 */
public final class LeafPipeline implements AutoCloseable {
    /** Bytes per chunk: a multiple of every supported block size. */
    public static final int CHUNK = 1 << 20;

    /** Bytes mapped at a time by {@link #readMapped}. */
    private static final long MAP_WINDOW = 64L << 20;

    private static final AtomicInteger POOL_SEQ = new AtomicInteger();

    private final TreeGeometry g;
    private final BlockHasher hasher;
    private final int threads;
    private final TreeAccumulator acc;
    private final ArrayDeque<Future<Done>> inflight = new ArrayDeque<>();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final ThreadLocal<BlockHasher> local;
    private final byte[] singleHashes;
    private ExecutorService pool;
    private byte[] chunk;
    private int fill;
    private long bytes;
    private long blocks;
    private boolean finished;
    private long mappedSeq;

    private record Done(byte[] chunk, byte[] hashes, int count) {
    }

    /** Creates a pipeline feeding {@code acc}; {@code hasher} is used on the caller thread and copied per worker. */
    public LeafPipeline(TreeGeometry g, BlockHasher hasher, int threads, TreeAccumulator acc) {
        if (CHUNK % g.dataBlockSize() != 0) {
            throw new IllegalArgumentException("block size does not divide the chunk size");
        }
        this.g = g;
        this.hasher = hasher;
        this.threads = threads;
        this.acc = acc;
        this.local = ThreadLocal.withInitial(hasher::copy);
        this.singleHashes = new byte[CHUNK / g.dataBlockSize() * g.digestSize()];
        this.chunk = new byte[Math.min(CHUNK, 64 * 1024)];
    }

    /** Bytes fed so far. */
    public long bytes() {
        return bytes;
    }

    /** Feeds bytes. */
    public void update(byte[] b, int off, int len) throws IOException {
        checkOpen();
        while (len > 0) {
            ensureRoom();
            int n = Math.min(len, chunk.length - fill);
            System.arraycopy(b, off, chunk, fill, n);
            advance(n);
            off += n;
            len -= n;
        }
    }

    /** Feeds the remaining bytes of a buffer. */
    public void update(ByteBuffer src) throws IOException {
        checkOpen();
        while (src.hasRemaining()) {
            ensureRoom();
            int n = Math.min(src.remaining(), chunk.length - fill);
            src.get(chunk, fill, n);
            advance(n);
        }
    }

    /** Reads a stream to its end straight into the chunk buffers; returns the bytes read. */
    public long readFrom(InputStream in) throws IOException {
        checkOpen();
        long total = 0;
        while (true) {
            ensureRoom();
            int n = in.read(chunk, fill, chunk.length - fill);
            if (n < 0) {
                return total;
            }
            advance(n);
            total += n;
        }
    }

    /** Reads a channel to its end (or {@code limit} bytes) straight into the chunk buffers; returns the bytes read. */
    public long readFrom(ReadableByteChannel in, long limit) throws IOException {
        checkOpen();
        long total = 0;
        while (total < limit) {
            ensureRoom();
            int want = (int) Math.min(chunk.length - fill, limit - total);
            int n = in.read(ByteBuffer.wrap(chunk, fill, want));
            if (n < 0) {
                return total;
            }
            advance(n);
            total += n;
        }
        return total;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
    }

    private void ensureRoom() throws IOException {
        if (fill == chunk.length) {
            if (chunk.length < CHUNK) {
                // Small inputs never allocate a full chunk: grow on demand.
                chunk = java.util.Arrays.copyOf(chunk, Math.min(CHUNK, chunk.length * 4));
            } else {
                dispatch();
            }
        }
    }

    private void advance(int n) {
        fill += n;
        bytes += n;
    }

    private void dispatch() throws IOException {
        byte[] full = chunk;
        int count = CHUNK / g.dataBlockSize();
        if (threads <= 1) {
            hashBlocks(hasher, full, count, singleHashes);
            acc.addLeafHashes(singleHashes, count);
            blocks += count;
            fill = 0;   // the same buffer is refilled: no allocation per chunk
            return;
        } else {
            if (pool == null) {
                pool = Executors.newFixedThreadPool(threads, daemonFactory());
            }
            while (inflight.size() > threads) {
                consume(inflight.removeFirst());
            }
            inflight.addLast(pool.submit(() -> {
                byte[] out = new byte[count * g.digestSize()];
                hashBlocks(local.get(), full, count, out);
                return new Done(full, out, count);
            }));
        }
        chunk = free.isEmpty() ? new byte[CHUNK] : free.removeFirst();
        fill = 0;
    }

    private void consume(Future<Done> f) throws IOException {
        Done d;
        try {
            d = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            throw new IOException("hashing failed", e.getCause());
        }
        acc.addLeafHashes(d.hashes(), d.count());
        blocks += d.count();
        if (d.chunk() != null && free.size() <= threads) {
            free.addLast(d.chunk());
        }
    }

    /**
     * Hashes the bytes {@code [start, start + length)} of a file by mapping it, without copying them through
     * the Java heap: workers read the page cache directly. Equivalent to feeding the same bytes with
     * {@link #update}; must be called at a chunk boundary (nothing buffered), as when hashing a whole file.
     * The part after the last whole chunk goes through the normal path. Returns the bytes taken.
     */
    public long readMapped(FileChannel ch, long start, long length) throws IOException {
        checkOpen();
        if (fill != 0) {
            throw new IllegalStateException("mapped reads must start at a chunk boundary");
        }
        long pos = start;
        long end = start + length;
        while (end - pos >= CHUNK) {
            long len = Math.min(MAP_WINDOW, (end - pos) / CHUNK * CHUNK);
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
            for (int off = 0; off < len; off += CHUNK) {
                dispatchMapped(m.slice(off, CHUNK));
            }
            pos += len;
            bytes += len;
        }
        ch.position(pos);
        return pos - start + readFrom(ch, end - pos);
    }

    private void dispatchMapped(ByteBuffer slice) throws IOException {
        int count = CHUNK / g.dataBlockSize();
        if (threads <= 1) {
            hashMapped(hasher, slice, count, singleHashes);
            acc.addLeafHashes(singleHashes, count);
            blocks += count;
            return;
        }
        if (pool == null) {
            // The caller has no reading to do here, so it hashes every threads-th chunk itself: threads - 1
            // workers plus the caller keep exactly `threads` cores busy.
            pool = Executors.newFixedThreadPool(threads - 1, daemonFactory());
        }
        while (inflight.size() > threads) {
            consume(inflight.removeFirst());
        }
        if (++mappedSeq % threads == 0) {
            byte[] out = new byte[count * g.digestSize()];
            hashMapped(hasher, slice, count, out);
            inflight.addLast(CompletableFuture.completedFuture(new Done(null, out, count)));
        } else {
            inflight.addLast(pool.submit(() -> {
                byte[] out = new byte[count * g.digestSize()];
                hashMapped(local.get(), slice, count, out);
                return new Done(null, out, count);
            }));
        }
    }

    private void hashMapped(BlockHasher h, ByteBuffer slice, int count, byte[] out) throws IOException {
        int bs = g.dataBlockSize();
        int ds = g.digestSize();
        try {
            for (int i = 0; i < count; i++) {
                slice.limit((i + 1) * bs).position(i * bs);
                h.hash(slice, out, i * ds);
            }
        } catch (InternalError e) {
            // what the JVM throws when a mapped page vanishes: the file shrank while being hashed
            throw new IOException("the file changed while it was being hashed", e);
        }
    }

    private void hashBlocks(BlockHasher h, byte[] data, int count, byte[] out) {
        int bs = g.dataBlockSize();
        int ds = g.digestSize();
        for (int i = 0; i < count; i++) {
            h.hash(data, i * bs, bs, out, i * ds);
        }
    }

    /**
     * Hashes what is left (zero-padding or dropping a trailing partial block per the geometry), drains the
     * workers and shuts the pool down. Returns the number of data blocks hashed. The accumulator is not finished.
     */
    public long finish() throws IOException {
        checkOpen();
        try {
            while (!inflight.isEmpty()) {
                consume(inflight.removeFirst());
            }
            int bs = g.dataBlockSize();
            int full = fill / bs;
            int rest = fill % bs;
            if (rest > 0 && g.padPartialBlock()) {
                if (chunk.length < (full + 1) * bs) {
                    chunk = java.util.Arrays.copyOf(chunk, (full + 1) * bs);
                }
                java.util.Arrays.fill(chunk, fill, (full + 1) * bs, (byte) 0);
                full++;
            }
            byte[] out = full * g.digestSize() <= singleHashes.length ? singleHashes : new byte[full * g.digestSize()];
            hashBlocks(hasher, chunk, full, out);
            acc.addLeafHashes(out, full);
            blocks += full;
            return blocks;
        } finally {
            finished = true;
            close();
        }
    }

    /** Stops the workers; idempotent. Results not yet consumed are dropped. */
    @Override
    public void close() {
        finished = true;
        if (pool != null) {
            for (Future<Done> f : inflight) {
                f.cancel(true);
            }
            inflight.clear();
            pool.shutdownNow();
            pool = null;
        }
    }

    private static ThreadFactory daemonFactory() {
        int id = POOL_SEQ.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "erofs4j-verity-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
