package io.github.erofs4j.core.write;

/**
 * The packed inode ({@code -E fragments}): a regular file that no directory names, holding the fragments of other
 * files, found through the superblock's {@code packed_nid}. As mkfs.erofs makes it: mode 0644, owned by root, one
 * link, the build time as its time, placed after every inode of the tree.
 */
final class PackedInode {
    /** Its name in messages. */
    static final String PATH = "(packed inode)";

    private PackedInode() {}

    /** The plan of a packed inode with this content; the caller plans its format and data. */
    static InodePlan plan(FileContent content, WriteOptions opt, long serial) {
        InodePlan p = new InodePlan(Node.file(content), PATH, serial);
        p.uid = 0;
        p.gid = 0;
        p.nlink = 1;
        p.mtime = opt.buildTime();
        p.nsec = 0;
        p.size = content.size();
        return p;
    }
}
