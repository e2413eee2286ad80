package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.MerkleTreeSink;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerityException;
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
 * Builds a dm-verity hash tree from data bytes fed in order, in one pass, as veritysetup would over the same
 * bytes.
 *
 * <p>A trailing partial data block is ignored, as veritysetup does. When {@link DmVerityParams#dataBlocks()} is
 * set, bytes past that many blocks are ignored, and {@link #finish()} fails if fewer arrived. The tree blocks go
 * to the sink given at creation; to store them in a hash file whose layout is only known at the end (an image
 * being written), use {@link io.github.erofs4j.verity.MerkleTreeSinks#spilling} and write the superblock
 * ({@link DmVerityTree#superblock()}) afterwards, or call {@link DmVerity#format} once the data is complete.
 * Memory: one hash block per level plus {@code threads + 2} MiB. Not thread-safe.
 */
public final class DmVerityTreeBuilder implements AutoCloseable {
    private final DmVerityParams params;
    private final TreeAccumulator acc;
    private final LeafPipeline pipeline;
    private final long limit;
    private DmVerityTree result;

    private DmVerityTreeBuilder(DmVerityParams params, Parallelism parallelism, MerkleTreeSink sink) {
        this.params = Objects.requireNonNull(params, "params");
        DmVerityHashAlgorithm alg = params.algorithm();
        TreeGeometry g = new TreeGeometry(params.dataBlockSize(), params.hashBlockSize(), alg.digestSize(),
                params.slotSize(), params.hashesPerBlock(), false);
        byte[] salt = params.salt();
        BlockHasher h = params.hashType() == 1 ? new BlockHasher(alg.jcaName(), salt, new byte[0])
                : new BlockHasher(alg.jcaName(), new byte[0], salt);
        this.acc = new TreeAccumulator(g, h.copy(), sink);
        this.pipeline = new LeafPipeline(g, h, parallelism.threads(), acc);
        this.limit = params.dataBlocks() == 0 ? Long.MAX_VALUE : params.dataBlocks() * params.dataBlockSize();
    }

    /** A builder with the given parallelism, sending tree blocks to {@code sink} (null: root hash only). */
    public static DmVerityTreeBuilder create(DmVerityParams params, Parallelism parallelism, MerkleTreeSink sink) {
        return new DmVerityTreeBuilder(params, Objects.requireNonNull(parallelism), sink);
    }

    /** The parameters. */
    public DmVerityParams params() {
        return params;
    }

    /** Data bytes taken so far (never more than the declared data blocks). */
    public long size() {
        return pipeline.bytes();
    }

    private int room(int len) {
        return (int) Math.min(len, limit - pipeline.bytes());
    }

    /** Feeds bytes. */
    public void update(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        pipeline.update(b, off, room(len));
    }

    /** Feeds the remaining bytes of a buffer (all are consumed, those past the data blocks ignored). */
    public void update(ByteBuffer b) throws IOException {
        int n = room(b.remaining());
        ByteBuffer s = b.slice();
        s.limit(n);
        pipeline.update(s);
        b.position(b.limit());
    }

    /** Feeds a stream up to its end or the declared data size; returns the bytes taken. */
    public long update(InputStream in) throws IOException {
        if (limit == Long.MAX_VALUE) {
            return pipeline.readFrom(in);
        }
        long before = pipeline.bytes();
        byte[] buf = new byte[1 << 16];
        while (pipeline.bytes() < limit) {
            int n = in.read(buf, 0, room(buf.length));
            if (n < 0) {
                break;
            }
            pipeline.update(buf, 0, n);
        }
        return pipeline.bytes() - before;
    }

    /** Feeds a channel up to its end or the declared data size; returns the bytes taken. */
    public long update(ReadableByteChannel in) throws IOException {
        if (in instanceof FileChannel fc && pipeline.bytes() == 0) {
            long rest = Math.min(limit, fc.size() - fc.position());
            if (rest >= 8L << 20) {
                // large files are hashed from the page cache through a mapping: no copy through the heap
                return pipeline.readMapped(fc, fc.position(), rest);
            }
        }
        return pipeline.readFrom(in, limit - pipeline.bytes());
    }

    /** Completes the tree; the sink's finish is called. May be called once. */
    public DmVerityTree finish() throws IOException {
        if (result != null) {
            throw new IllegalStateException("already finished");
        }
        long bytes = pipeline.bytes();
        if (limit != Long.MAX_VALUE && bytes < limit) {
            pipeline.close();
            throw new VerityException("data too short: " + params.dataBlocks() + " blocks of "
                    + params.dataBlockSize() + " bytes declared, " + bytes + " bytes available");
        }
        long blocks = pipeline.finish();
        if (blocks == 0) {
            throw new VerityException("no whole data block of " + params.dataBlockSize() + " bytes in " + bytes
                    + " bytes of data");
        }
        byte[] root = acc.finish();
        result = new DmVerityTree(params, root, blocks, acc.layout());
        return result;
    }

    /** Stops any worker threads. */
    @Override
    public void close() {
        pipeline.close();
    }
}
