package io.github.erofs4j.verity;

import java.util.Arrays;

/**
 * The shape of a Merkle tree: how many hash blocks each level has, and where each block lies when the tree is
 * stored in kernel order (the level nearest the root first, the level just above the data last; blocks of one
 * level in order). fs-verity ({@code fsverity digest --out-merkle-tree}, {@code FS_IOC_READ_VERITY_METADATA})
 * and dm-verity (veritysetup's hash area) both use this order.
 *
 * <p>Level 0 is the level just above the data. Immutable.
 */
public final class TreeLayout {
    private final int blockSize;
    private final long[] blocks;      // index = level (0 = nearest the data)
    private final long[] offsets;     // byte offset of each level in kernel order
    private final long totalBlocks;

    private TreeLayout(int blockSize, long[] blocks) {
        this.blockSize = blockSize;
        this.blocks = blocks;
        this.offsets = new long[blocks.length];
        long off = 0;
        for (int level = blocks.length - 1; level >= 0; level--) {
            offsets[level] = off;
            off += blocks[level] * blockSize;
        }
        this.totalBlocks = Arrays.stream(blocks).sum();
    }

    /**
     * The layout of a tree over {@code leafHashes} data-block hashes.
     *
     * @param leafHashes number of data blocks (0 or 1 give an empty tree)
     * @param hashesPerBlock hashes that fit in one hash block, at least 2
     * @param blockSize hash block size in bytes
     */
    public static TreeLayout of(long leafHashes, int hashesPerBlock, int blockSize) {
        if (leafHashes < 0 || hashesPerBlock < 2 || blockSize < 1) {
            throw new IllegalArgumentException("bad tree shape: " + leafHashes + "/" + hashesPerBlock + "/" + blockSize);
        }
        long[] tmp = new long[64];
        int levels = 0;
        long n = leafHashes;
        while (n > 1) {
            n = (n + hashesPerBlock - 1) / hashesPerBlock;
            tmp[levels++] = n;
        }
        return new TreeLayout(blockSize, Arrays.copyOf(tmp, levels));
    }

    /** Number of stored levels (0 when the data has at most one block). */
    public int levels() {
        return blocks.length;
    }

    /** Hash blocks in one level (0 = nearest the data). */
    public long blocks(int level) {
        return blocks[level];
    }

    /** Hash blocks in all levels. */
    public long totalBlocks() {
        return totalBlocks;
    }

    /** Size of one hash block in bytes. */
    public int blockSize() {
        return blockSize;
    }

    /** Size of the whole tree in bytes. */
    public long totalBytes() {
        return totalBlocks * blockSize;
    }

    /** Byte offset of a block within the tree stored in kernel order (root-most level first). */
    public long offsetOf(int level, long index) {
        if (level < 0 || level >= blocks.length || index < 0 || index >= blocks[level]) {
            throw new IndexOutOfBoundsException("level " + level + " block " + index + " outside " + this);
        }
        return offsets[level] + index * blockSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeLayout t && t.blockSize == blockSize && Arrays.equals(t.blocks, blocks);
    }

    @Override
    public int hashCode() {
        return 31 * blockSize + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return "TreeLayout[blockSize=" + blockSize + ", blocksPerLevel=" + Arrays.toString(blocks) + "]";
    }
}
