package io.github.erofs4j.verity.internal;

import io.github.erofs4j.verity.MerkleTreeSink;
import io.github.erofs4j.verity.TreeLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the upper part of a Merkle tree from the data-block hashes, given in order. Keeps one partly filled
 * hash block per level, so memory is bounded by the tree height times the hash block size. Full hash blocks go
 * to the sink as soon as they are complete. Not thread-safe (runs on the feeding thread).
 */
public final class TreeAccumulator {
    private final TreeGeometry g;
    private final BlockHasher hasher;
    private final MerkleTreeSink sink;
    private final List<byte[]> buf = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();   // {hashes pushed, blocks emitted, fill}
    private final byte[] tmp;
    private byte[] root;
    private TreeLayout layout;

    /** Creates an accumulator; {@code sink} may be null when only the root is wanted. */
    public TreeAccumulator(TreeGeometry g, BlockHasher hasher, MerkleTreeSink sink) {
        this.g = g;
        this.hasher = hasher;
        this.sink = sink;
        this.tmp = new byte[g.digestSize()];
    }

    /** Adds {@code count} consecutive data-block digests, packed {@code digestSize} apart in {@code hashes}. */
    public void addLeafHashes(byte[] hashes, int count) throws IOException {
        int ds = g.digestSize();
        for (int i = 0; i < count; i++) {
            add(0, hashes, i * ds);
        }
    }

    private void add(int level, byte[] h, int off) throws IOException {
        if (level == buf.size()) {
            buf.add(new byte[g.hashBlockSize()]);
            counts.add(new long[3]);
        }
        long[] c = counts.get(level);
        byte[] b = buf.get(level);
        System.arraycopy(h, off, b, (int) c[2] * g.slotSize(), g.digestSize());
        c[0]++;
        if (++c[2] == g.hashesPerBlock()) {
            flush(level);
        }
    }

    private void flush(int level) throws IOException {
        long[] c = counts.get(level);
        byte[] b = buf.get(level);
        if (sink != null) {
            sink.block(level, c[1], ByteBuffer.wrap(b));
        }
        c[1]++;
        hasher.hash(b, 0, b.length, tmp, 0);
        Arrays.fill(b, (byte) 0);
        c[2] = 0;
        add(level + 1, tmp, 0);
    }

    /**
     * Completes the tree: pads the partial block of every level and returns the root hash, or null when no
     * data-block hash was added. Calls the sink's finish with the final layout.
     */
    public byte[] finish() throws IOException {
        if (root != null || layout != null) {
            throw new IllegalStateException("already finished");
        }
        int level = 0;
        while (true) {
            long pushed = level < counts.size() ? counts.get(level)[0] : 0;
            if (pushed == 0) {
                root = null;
                break;
            }
            if (pushed == 1) {
                root = Arrays.copyOf(buf.get(level), g.digestSize());
                break;
            }
            if (counts.get(level)[2] > 0) {
                flush(level);
            }
            level++;
        }
        long leaves = counts.isEmpty() ? 0 : counts.get(0)[0];
        layout = TreeLayout.of(leaves, g.hashesPerBlock(), g.hashBlockSize());
        if (layout.levels() != level) {
            throw new IllegalStateException("tree levels " + level + " != " + layout);
        }
        if (sink != null) {
            sink.finish(layout);
        }
        return root == null ? null : root.clone();
    }

    /** The final layout; valid after {@link #finish()}. */
    public TreeLayout layout() {
        return layout;
    }
}
