package io.github.erofs4j.core.format;

/**
 * The fixed part of an inode, compact ({@link CompactInode}, 32 bytes) or extended ({@link ExtendedInode},
 * 64 bytes). Accessors give the raw on-disk values, widened; interpretation that depends on the superblock
 * (compact mtimes, 48-bit addresses) is the reader's.
 */
public sealed interface InodeCore permits CompactInode, ExtendedInode {

    /** The raw {@code i_format} field. */
    int format();

    /** {@code i_xattr_icount}: 0 for no xattr body, else body size = 12 + 4 * (icount - 1). */
    int xattrIcount();

    /** The full st_mode (type and permission bits). */
    int mode();

    /** The raw {@code i_nb} union: nlink (compact) or high address bits. */
    int nb();

    /** File size in bytes (u32 for compact inodes; may be negative, i.e. invalid, for extended ones). */
    long size();

    /** The raw {@code i_u} union: start block, compressed block count, chunk format or rdev. */
    long u();

    /** {@code i_ino}, informational only. */
    long ino();

    long uid();

    long gid();

    /** Size of this inode core in bytes: 32 or 64. */
    int coreSize();

    /** Whether this is an extended inode. */
    default boolean extended() {
        return (format() & Erofs.I_VERSION_EXTENDED) != 0;
    }

    /** The data layout, bits 1-3 of {@code i_format}. */
    default int dataLayout() {
        return (format() >>> 1) & 7;
    }

    /** Bytes of the xattr body following the core. */
    default int xattrBodySize() {
        return xattrIcount() == 0 ? 0 : 12 + 4 * (xattrIcount() - 1);
    }

    /** The inode version of an {@code i_format} value: 0 compact, 1 extended. */
    static int version(int iFormat) {
        return iFormat & 1;
    }
}
