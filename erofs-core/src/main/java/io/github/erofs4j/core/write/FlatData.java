package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;

/**
 * Data in consecutive blocks ({@code FLAT_PLAIN}), or full blocks plus a tail stored right after the inode
 * ({@code FLAT_INLINE}). Devices, fifos and sockets have an empty plan of this kind.
 */
final class FlatData extends DataPlan {
    /** Full blocks of data. */
    final long fullBlocks;
    /** Bytes after the full blocks. */
    final int tail;
    /** Whether the tail is stored after the inode. */
    final boolean inline;
    /** Blocks in the data area: the full blocks, plus one for a tail not inlined. */
    final long dataBlocks;
    /** First data block, {@link InodePlan#NULL_BLK} until allocated (or without blocks). */
    long startBlk = InodePlan.NULL_BLK;

    FlatData(long size, int blockBits, boolean inline) {
        this.fullBlocks = size >>> blockBits;
        this.tail = (int) (size & ((1L << blockBits) - 1));
        this.inline = inline && tail > 0;
        this.dataBlocks = fullBlocks + (tail > 0 && !this.inline ? 1 : 0);
    }

    /** No data at all. */
    static FlatData empty() {
        return new FlatData(0, 9, false);
    }

    @Override
    int layout() {
        return inline ? Erofs.LAYOUT_FLAT_INLINE : Erofs.LAYOUT_FLAT_PLAIN;
    }

    @Override
    int inlineBytes() {
        return inline ? tail : 0;
    }

    @Override
    void allocate(Blocks blocks) {
        if (dataBlocks > 0) {
            startBlk = blocks.take(dataBlocks);
        }
    }

    @Override
    long rawBlockField(long size, int blockBits) {
        return dataBlocks > 0 ? startBlk : size == 0 ? 0 : InodePlan.NULL_BLK;
    }

    /** Bytes of the content stored in data blocks. */
    long blockBytes(long size, int blockBits) {
        return inline ? fullBlocks << blockBits : size;
    }
}
