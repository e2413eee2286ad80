package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.util.TreeMap;

/**
 * What the writer's stages decide about one inode: {@link TreeCollector} fills in its attributes and directory
 * entries, {@link XattrLayout} its xattr body, {@link DataPlanner} its format and {@link DataPlan},
 * {@link MetadataLayout} its offset. Not thread-safe.
 */
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

    // xattrs
    TreeMap<String, byte[]> xattrs;
    XattrPlanner.Entry[] inlineXattrs = new XattrPlanner.Entry[0];
    int[] sharedIds = new int[0]; // indexes into the shared table until ids are known
    int xattrBodySize;
    int nameFilter;

    // directories: entries sorted by name, "." and ".." included
    byte[][] dirNames;
    InodePlan[] dirTargets;

    DataPlan data;

    // placement
    long offset = -1;
    /** Whether {@link #offset} is within the metabox's data (the nid then has bit 63 set). */
    boolean inMetabox;
    /** Bytes kept for the inode at placement when more than it takes (a slot sized before its data plan). */
    long reservedBytes;

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
     * Core, xattr body and map: everything before an inline tail. Like mkfs.erofs, reserves the map from the
     * next 8-byte boundary whatever its unit (a 4-byte block map starts right after the xattrs, so 4 bytes may
     * stay unused).
     */
    long metaSize() {
        long head = coreSize() + xattrBodySize;
        int map = data.mapBytes();
        return map == 0 ? head : ((head + 7) & ~7L) + map;
    }

    /** Bytes the inode takes in the metadata area, inline data included. */
    long slotBytes() {
        return Math.max(reservedBytes, metaSize() + data.inlineBytes());
    }

    long nid() {
        return (offset >>> 5) | (inMetabox ? METABOX_NID_BIT : 0);
    }

    /** The nid bit of inodes stored in the metabox. */
    static final long METABOX_NID_BIT = 1L << 63;
}
