package io.github.erofs4j.core.write;

import java.util.ArrayDeque;

/**
 * Best-fit placement of inodes (with their xattrs, index arrays and inline tails) into metadata blocks. An item
 * no larger than a block goes into the fullest block that still has room for it, so it never crosses a block;
 * a larger one starts a fresh block. Items start at 32-byte slot boundaries. Deterministic: the same sequence of
 * requests gives the same offsets.
 */
final class MetaAllocator {
    private final int bs;
    /** free[k]: blocks whose free tail is exactly k slots, oldest first. */
    private final ArrayDeque<Long>[] free;
    private long nextBlock;

    @SuppressWarnings("unchecked")
    MetaAllocator(int blockSize) {
        this.bs = blockSize;
        this.free = new ArrayDeque[blockSize / 32 + 1];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** Marks everything before a byte offset as used. */
    void startAfter(long offset) {
        long slotEnd = (offset + 31) & ~31L;
        long block = slotEnd / bs;
        int used = (int) (slotEnd % bs);
        if (used != 0) {
            free[(bs - used) / 32].add(block);
            nextBlock = block + 1;
        } else {
            nextBlock = block;
        }
    }

    /** Places an item of {@code size} bytes and returns its byte offset. */
    long place(long size) {
        long slots = (size + 31) / 32;
        if (size <= bs) {
            for (int k = (int) slots; k < free.length; k++) {
                Long blk = free[k].pollFirst();
                if (blk != null) {
                    long off = blk * bs + (bs - 32L * k);
                    int left = k - (int) slots;
                    if (left > 0) {
                        free[left].addLast(blk);
                    }
                    return off;
                }
            }
        }
        long off = nextBlock * bs;
        long span = (size + bs - 1) / bs;
        nextBlock += Math.max(1, span);
        long usedInLast = (slots * 32) % bs;
        if (usedInLast != 0) {
            free[(int) ((bs - usedInLast) / 32)].addLast(nextBlock - 1);
        }
        return off;
    }

    /** Blocks used so far (the metadata area is blocks [0, blocks())). */
    long blocks() {
        return nextBlock;
    }
}
