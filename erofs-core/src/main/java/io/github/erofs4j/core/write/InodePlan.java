package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;

/** Layout decisions for one inode; filled in by {@link ImageBuilder} in stages. Not thread-safe. */
final class InodePlan {
    static final long NULL_BLK = 0xFFFFFFFFL;

    final Node node;
    final String path;
    final FileType type;
    final long serial; // i_ino, 1-based, in placement order

    long uid;
    long gid;
    long mtime;
    int nsec;
    long nlink;
    long size;
    boolean extended;
    int layout;

    // xattrs
    java.util.TreeMap<String, byte[]> xattrs;
    XattrPlanner.Entry[] inlineXattrs = new XattrPlanner.Entry[0];
    int[] sharedIds = new int[0]; // indexes into the shared table until ids are known
    int xattrBodySize;
    int nameFilter;

    // directories: entries sorted by name, "." and ".." included
    byte[][] dirNames;
    InodePlan[] dirTargets;

    // data
    long fullBlocks;
    int tail;
    boolean inline;
    long dataBlocks;
    long startBlk = NULL_BLK;

    // chunk-based files: data are scanned, deduplicated and written in chunks of 2^chunkBits bytes; the inode
    // maps them with (possibly larger) chunks of 2^mapBits bytes, entry k being scanned chunk k << mapShift
    int chunkBits; // log2(scanned chunk size)
    long[] chunkBlk; // start block per scanned chunk (NULL_BLK for a hole)
    boolean[] chunkOwner; // whether this chunk's data is written here (not a hole, not a duplicate)
    byte[][] chunkDigest; // SHA-256 of non-zero chunks, null for all-zero chunks
    int mapBits; // log2(chunk size recorded in the inode)
    int mapShift = -1; // mapBits - chunkBits, or -1: every entry is a hole (an all-zero file)
    boolean chunkIndexes; // 8-byte chunk indexes instead of a 4-byte block map
    int indexBytes; // size of the entry array

    /** Start block of map entry {@code k}, {@link #NULL_BLK} for a hole. */
    long mapEntry(int k) {
        return mapShift < 0 ? NULL_BLK : chunkBlk[k << mapShift];
    }

    // placement
    long offset = -1;

    InodePlan(Node node, String path, long serial) {
        this.node = node;
        this.path = path;
        this.type = node.type();
        this.serial = serial;
    }

    int coreSize() {
        return extended ? 64 : 32;
    }

    /**
     * Core, xattr body and index array: everything before an inline tail. Like mkfs.erofs, reserves the array
     * from the next 8-byte boundary whatever its unit (a 4-byte block map starts right after the xattrs, so 4
     * bytes may stay unused).
     */
    long metaSize() {
        long head = coreSize() + xattrBodySize;
        return indexBytes == 0 ? head : ((head + 7) & ~7L) + indexBytes;
    }

    /** Offset of the chunk entry array from the inode's start: aligned to the entry size. */
    int chunkArrayOffset() {
        int head = coreSize() + xattrBodySize;
        int unit = chunkIndexes ? 8 : 4;
        return (head + unit - 1) & -unit;
    }

    long nid() {
        return offset >>> 5;
    }
}
