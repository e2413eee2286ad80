package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fourth stage of the writer: places the superblock, the long-prefix table, the root inode, the shared xattrs
 * and every other inode (with its map and inline data) into metadata blocks at the start of the image, with a
 * best-fit allocator, so that inline tails never cross a block and the root nid stays small. Sets every inode
 * plan's offset (and so its nid).
 */
final class MetadataLayout {
    /** What is stored at a metadata offset. */
    enum Kind { SUPERBLOCK, PREFIXES, SHARED_XATTRS, INODE }

    /** One piece of the metadata area; {@code inode} only for {@link Kind#INODE}. */
    record Item(long offset, Kind kind, InodePlan inode) {}

    private final List<InodePlan> inodes;
    private long prefixOffset = -1;
    private long sharedOffset = -1;
    private long blocks;
    private MetaAllocator alloc;

    private MetadataLayout(List<InodePlan> inodes) {
        this.inodes = new ArrayList<>(inodes);
    }

    /**
     * Places everything; {@code configBytes} (compression config records right after the superblock),
     * {@code prefixBytes} and {@code sharedBytes} may be 0 (nothing placed then).
     */
    static MetadataLayout place(List<InodePlan> inodes, int blockSize, int configBytes, int prefixBytes,
            int sharedBytes) throws IOException {
        return place(inodes, blockSize, SuperBlock.BASE_SIZE, configBytes, prefixBytes, sharedBytes);
    }

    /** As {@link #place(List, int, int, int, int)} with a superblock of {@code superblockBytes}. */
    static MetadataLayout place(List<InodePlan> inodes, int blockSize, int superblockBytes, int configBytes,
            int prefixBytes, int sharedBytes) throws IOException {
        MetadataLayout m = new MetadataLayout(inodes);
        m.run(blockSize, superblockBytes, configBytes, prefixBytes, sharedBytes);
        return m;
    }

    private void run(int bs, int sbBytes, int configBytes, int prefixBytes, int sharedBytes) throws IOException {
        alloc = new MetaAllocator(bs);
        long cursor = Erofs.SUPERBLOCK_OFFSET + sbBytes + configBytes;
        if (prefixBytes > 0) {
            prefixOffset = cursor;
            cursor += prefixBytes;
        }
        alloc.startAfter(cursor);
        InodePlan root = inodes.get(0);
        root.offset = alloc.place(root.slotBytes());
        if (root.nid() > 0xFFFF) {
            throw new IOException("root inode placed beyond nid 65535");
        }
        if (sharedBytes > 0) {
            sharedOffset = alloc.place(sharedBytes);
            if ((sharedOffset + sharedBytes) / 4 > 0xFFFFFFFFL) {
                throw new IOException("shared xattr area too far into the image");
            }
        }
        for (int i = 1; i < inodes.size(); i++) {
            InodePlan p = inodes.get(i);
            p.offset = alloc.place(p.slotBytes());
        }
        blocks = alloc.blocks();
    }

    /**
     * Places one more inode after the others, as if it had ended the list (the packed inode, planned once the others'
     * nids are known).
     */
    void placeLast(InodePlan p) {
        p.offset = alloc.place(p.slotBytes());
        inodes.add(p);
        blocks = alloc.blocks();
    }

    /** Offset of the long-prefix table, or -1 for none. */
    long prefixOffset() {
        return prefixOffset;
    }

    /** Offset of the shared xattr area, or -1 for none. */
    long sharedOffset() {
        return sharedOffset;
    }

    /** Blocks of the metadata area (blocks [0, blocks())); data blocks follow. */
    long blocks() {
        return blocks;
    }

    /** Everything in the metadata area, in offset order. */
    List<Item> items() {
        List<Item> items = new ArrayList<>(inodes.size() + 3);
        items.add(new Item(Erofs.SUPERBLOCK_OFFSET, Kind.SUPERBLOCK, null));
        if (prefixOffset >= 0) {
            items.add(new Item(prefixOffset, Kind.PREFIXES, null));
        }
        if (sharedOffset >= 0) {
            items.add(new Item(sharedOffset, Kind.SHARED_XATTRS, null));
        }
        for (InodePlan p : inodes) {
            items.add(new Item(p.offset, Kind.INODE, p));
        }
        items.sort(Comparator.comparingLong(Item::offset));
        return items;
    }
}
