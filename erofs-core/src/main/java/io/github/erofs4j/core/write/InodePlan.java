package io.github.erofs4j.core.write;

/** Layout decisions for one inode; filled in by {@link ImageBuilder} in stages. Not thread-safe. */
final class InodePlan {
    static final long NULL_BLK = 0xFFFFFFFFL;

    final Node node;
    final String path;
    final NodeType type;
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

    // chunk-based files
    int chunkBits; // log2(chunk size)
    long[] chunkBlk; // start block per chunk (NULL_BLK for a hole)
    boolean[] chunkOwner; // whether this chunk's data is written here (not a hole, not a duplicate)
    byte[][] chunkDigest; // SHA-256 of non-zero chunks, null for all-zero chunks
    int indexBytes;

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

    /** Core, xattr body and index array: everything before an inline tail. */
    long metaSize() {
        return coreSize() + xattrBodySize + indexBytes;
    }

    long nid() {
        return offset >>> 5;
    }
}
