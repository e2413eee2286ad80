package io.github.erofs4j.verity;

import io.github.erofs4j.verity.internal.BlockHasher;
import io.github.erofs4j.verity.internal.LeafPipeline;
import io.github.erofs4j.verity.internal.TreeAccumulator;
import io.github.erofs4j.verity.internal.TreeGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * Computes an fs-verity digest (and optionally the Merkle tree) from bytes fed in order, in one pass.
 *
 * <p>Meant for sources that produce data sequentially, such as an image writer: call {@link #update} with the
 * bytes as they are written, then {@link #finish()}. Memory is bounded: one hash block per tree level plus, with
 * several threads, {@code threads + 2} chunks of 1 MiB. The tree blocks go to the
 * {@link MerkleTreeSink} given at creation (none: only the digest is computed). Output bytes do not depend on
 * the thread count.
 *
 * <p>Not thread-safe: feed it from one thread. {@link #close()} releases the worker threads if hashing is
 * abandoned; {@link #finish()} releases them too.
 */
public final class FsVerityHasher implements AutoCloseable {
    /** Files at least this large are hashed through a memory mapping. */
    static final long MAP_THRESHOLD = 8L << 20;

    private final FsVerityParams params;
    private final TreeAccumulator acc;
    private final LeafPipeline pipeline;
    private FsVerityDigest result;

    private FsVerityHasher(FsVerityParams params, Parallelism parallelism, MerkleTreeSink sink) {
        this.params = Objects.requireNonNull(params, "params");
        FsVerityHashAlgorithm alg = params.algorithm();
        TreeGeometry g = new TreeGeometry(params.blockSize(), params.blockSize(), alg.digestSize(),
                alg.digestSize(), params.hashesPerBlock(), true);
        BlockHasher h = new BlockHasher(alg.jcaName(), params.paddedSalt(), new byte[0]);
        this.acc = new TreeAccumulator(g, h.copy(), sink);
        this.pipeline = new LeafPipeline(g, h, parallelism.threads(), acc);
    }

    /** A single-threaded hasher computing only the digest. */
    public static FsVerityHasher create(FsVerityParams params) {
        return new FsVerityHasher(params, Parallelism.single(), null);
    }

    /**
     * A hasher using up to {@code parallelism} threads and sending the tree to {@code sink} (may be null).
     */
    public static FsVerityHasher create(FsVerityParams params, Parallelism parallelism, MerkleTreeSink sink) {
        return new FsVerityHasher(params, Objects.requireNonNull(parallelism, "parallelism"), sink);
    }

    /** The parameters. */
    public FsVerityParams params() {
        return params;
    }

    /** Bytes fed so far. */
    public long size() {
        return pipeline.bytes();
    }

    /** Feeds bytes. */
    public void update(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        pipeline.update(b, off, len);
    }

    /** Feeds all of {@code b}. */
    public void update(byte[] b) throws IOException {
        pipeline.update(b, 0, b.length);
    }

    /** Feeds the remaining bytes of {@code b}, advancing its position. */
    public void update(ByteBuffer b) throws IOException {
        pipeline.update(b);
    }

    /** Feeds a stream to its end (the caller closes it); returns the bytes read. */
    public long update(InputStream in) throws IOException {
        return pipeline.readFrom(in);
    }

    /** Feeds a channel from its current position to its end (the caller closes it); returns the bytes read. */
    public long update(ReadableByteChannel in) throws IOException {
        if (in instanceof FileChannel fc && pipeline.bytes() == 0) {
            long rest = fc.size() - fc.position();
            if (rest >= MAP_THRESHOLD) {
                // large files are hashed from the page cache through a mapping: no copy through the heap
                return pipeline.readMapped(fc, fc.position(), rest);
            }
        }
        return pipeline.readFrom(in, Long.MAX_VALUE);
    }

    /** Completes the digest and the tree (the sink's finish is called). May be called once. */
    public FsVerityDigest finish() throws IOException {
        if (result != null) {
            throw new IllegalStateException("already finished");
        }
        long size = pipeline.bytes();
        pipeline.finish();
        byte[] root = acc.finish();
        if (root == null) {
            root = new byte[params.algorithm().digestSize()];
        }
        result = new FsVerityDigest(params, size, root, acc.layout());
        return result;
    }

    /** Stops any worker threads. */
    @Override
    public void close() {
        pipeline.close();
    }
}
