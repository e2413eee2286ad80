package io.github.erofs4j.core.format;

/**
 * Constants of the EROFS on-disk format: magic, fixed offsets, data layouts, file types and xattr name indexes.
 * Feature bits live in {@link Feature}.
 */
public final class Erofs {
    private Erofs() {}

    /** Superblock magic, {@code 0xE0F5E1E2} (bytes on disk: E2 E1 F5 E0). */
    public static final int MAGIC = 0xE0F5E1E2;
    /** Byte offset of the superblock in the image. */
    public static final int SUPERBLOCK_OFFSET = 1024;
    /** log2 of the inode slot size. */
    public static final int ISLOT_BITS = 5;
    /** Inode slot size in bytes. */
    public static final int ISLOT_SIZE = 1 << ISLOT_BITS;
    /** Smallest block size the format allows (log2). */
    public static final int MIN_BLKSZBITS = 9;
    /** Largest block size any kernel accepts (log2, 64 KiB pages). */
    public static final int MAX_BLKSZBITS = 16;
    /** Longest file name. */
    public static final int NAME_LEN_MAX = 255;
    /** Bit 63 of a nid: the inode lives in the metabox inode. */
    public static final long NID_METABOX_BIT = 1L << 63;
    /** A block address of all ones in 32 bits: no block (a hole or an inline-only file). */
    public static final long NULL_ADDR_32 = 0xFFFFFFFFL;
    /** A block address of all ones in 48 bits. */
    public static final long NULL_ADDR_48 = 0xFFFF_FFFF_FFFFL;

    // i_format: bit 0 version, bits 1-3 data layout, bit 4 NLINK_1 / DOT_OMITTED.
    /** i_format version bit: extended (64-byte) inode. */
    public static final int I_VERSION_EXTENDED = 1;
    /** i_format bit 4 on a non-directory compact inode: nlink is 1 and i_nb holds high address bits. */
    public static final int I_NLINK_1 = 1 << 4;
    /** i_format bit 4 on a directory: the "." dirent is not stored. */
    public static final int I_DOT_OMITTED = 1 << 4;
    /** i_format bits the kernel knows; any other set bit is rejected. */
    public static final int I_ALL_BITS = 0x1F;

    /** Data layout: blocks at startblk, no inline tail. */
    public static final int LAYOUT_FLAT_PLAIN = 0;
    /** Data layout: compressed with full (legacy) indexes or encoded extents. */
    public static final int LAYOUT_COMPRESSED_FULL = 1;
    /** Data layout: blocks at startblk plus an inline tail after the inode. */
    public static final int LAYOUT_FLAT_INLINE = 2;
    /** Data layout: compressed with compact 2B/4B indexes. */
    public static final int LAYOUT_COMPRESSED_COMPACT = 3;
    /** Data layout: chunk-based (block map or chunk indexes). */
    public static final int LAYOUT_CHUNK_BASED = 4;

    /** Name of a data layout, for messages and dumps. */
    public static String layoutName(int layout) {
        return switch (layout) {
            case LAYOUT_FLAT_PLAIN -> "flat-plain";
            case LAYOUT_COMPRESSED_FULL -> "compressed-full";
            case LAYOUT_FLAT_INLINE -> "flat-inline";
            case LAYOUT_COMPRESSED_COMPACT -> "compressed-compact";
            case LAYOUT_CHUNK_BASED -> "chunk-based";
            default -> "layout-" + layout;
        };
    }

    /** Whether a data layout is one of the compressed layouts. */
    public static boolean isCompressedLayout(int layout) {
        return layout == LAYOUT_COMPRESSED_FULL || layout == LAYOUT_COMPRESSED_COMPACT;
    }

    // Dirent file types (the VFS FT_* values).
    public static final int FT_UNKNOWN = 0;
    public static final int FT_REG_FILE = 1;
    public static final int FT_DIR = 2;
    public static final int FT_CHRDEV = 3;
    public static final int FT_BLKDEV = 4;
    public static final int FT_FIFO = 5;
    public static final int FT_SOCK = 6;
    public static final int FT_SYMLINK = 7;

    // st_mode type bits.
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** The dirent file type for an st_mode, or {@link #FT_UNKNOWN}. */
    public static int fileTypeOfMode(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> FT_REG_FILE;
            case S_IFDIR -> FT_DIR;
            case S_IFCHR -> FT_CHRDEV;
            case S_IFBLK -> FT_BLKDEV;
            case S_IFIFO -> FT_FIFO;
            case S_IFSOCK -> FT_SOCK;
            case S_IFLNK -> FT_SYMLINK;
            default -> FT_UNKNOWN;
        };
    }

    // Xattr name indexes.
    public static final int XATTR_INDEX_USER = 1;
    public static final int XATTR_INDEX_POSIX_ACL_ACCESS = 2;
    public static final int XATTR_INDEX_POSIX_ACL_DEFAULT = 3;
    public static final int XATTR_INDEX_TRUSTED = 4;
    public static final int XATTR_INDEX_LUSTRE = 5;
    public static final int XATTR_INDEX_SECURITY = 6;
    /** Flag in e_name_index: the low 7 bits select a long name prefix. */
    public static final int XATTR_LONG_PREFIX = 0x80;
    /** Seed base of the xattr name bloom filter hash (xxHash32 seed = this + short index). */
    public static final int XATTR_FILTER_SEED = 0x25BBE08F;

    /**
     * The name prefix of a short xattr name index (1 to 6), or null for an unknown index. Indexes 2 and 3 are
     * whole names ({@code system.posix_acl_access}, {@code system.posix_acl_default}).
     */
    public static String xattrPrefix(int index) {
        return switch (index) {
            case XATTR_INDEX_USER -> "user.";
            case XATTR_INDEX_POSIX_ACL_ACCESS -> "system.posix_acl_access";
            case XATTR_INDEX_POSIX_ACL_DEFAULT -> "system.posix_acl_default";
            case XATTR_INDEX_TRUSTED -> "trusted.";
            case XATTR_INDEX_LUSTRE -> "lustre.";
            case XATTR_INDEX_SECURITY -> "security.";
            default -> null;
        };
    }

    // Compression algorithm ids.
    public static final int ALG_LZ4 = 0;
    public static final int ALG_LZMA = 1;
    public static final int ALG_DEFLATE = 2;
    public static final int ALG_ZSTD = 3;

    /** Name of a compression algorithm id. */
    public static String algorithmName(int id) {
        return switch (id) {
            case ALG_LZ4 -> "lz4";
            case ALG_LZMA -> "lzma";
            case ALG_DEFLATE -> "deflate";
            case ALG_ZSTD -> "zstd";
            default -> "algorithm-" + id;
        };
    }

    /** Encodes a device number as EROFS stores it in {@code i_u} (Linux "new" encoding). */
    public static long encodeRdev(int major, int minor) {
        return ((minor & 0xffL) | ((long) (major & 0xfff) << 8) | ((long) (minor & ~0xff) << 12)) & 0xFFFFFFFFL;
    }

    /** Major number of a device encoded as in {@link #encodeRdev}. */
    public static int rdevMajor(long rdev) {
        return (int) ((rdev >>> 8) & 0xfff);
    }

    /** Minor number of a device encoded as in {@link #encodeRdev}. */
    public static int rdevMinor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xfff00));
    }
}
