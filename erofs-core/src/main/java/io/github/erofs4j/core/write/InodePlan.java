package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * What the writer's stages decide about one inode: {@link TreeCollector} fills in its attributes and directory
 * entries, {@link XattrLayout} its xattr body, {@link DataPlanner} its format and {@link DataPlan},
 * {@link MetadataLayout} its offset. Not thread-safe.
 */
final class InodePlan {
    static final long NULL_BLK = 0xFFFFFFFFL;
    private static final XattrPlanner.Entry[] NO_ENTRIES = {};
    private static final int[] NO_IDS = {};

    final Node node;
    /** The directory holding the name this inode was first met under (null for the root), and that name. */
    private final InodePlan parent;
    private final byte[] name;
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
    XattrPlanner.Entry[] inlineXattrs = NO_ENTRIES;
    int[] sharedIds = NO_IDS; // indexes into the shared table until ids are known
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

    /** For messages about an inode that is not in the tree (the packed or metabox inode), or null. */
    private final String label;

    InodePlan(Node node, InodePlan parent, byte[] name, long serial) {
        this.node = node;
        this.parent = parent;
        this.name = name;
        this.type = node.type();
        this.serial = serial;
        this.label = null;
    }

    /** An inode that is not in the tree, named {@code label} in messages. */
    InodePlan(Node node, String label, long serial) {
        this.node = node;
        this.parent = null;
        this.name = null;
        this.type = node.type();
        this.serial = serial;
        this.label = label;
    }

    /** The inode's path in the tree, for messages ("/" for the root; a hard link's first name). */
    String path() {
        return label != null ? label : parent == null ? "/" : childPath(parent, name);
    }

    /** The path of a name in a directory, for messages. */
    static String childPath(InodePlan dir, byte[] name) {
        String d = dir.path();
        return (d.equals("/") ? "/" : d + "/") + new String(name, StandardCharsets.UTF_8);
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
