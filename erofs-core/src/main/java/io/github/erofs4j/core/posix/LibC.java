package io.github.erofs4j.core.posix;

import com.sun.jna.LastErrorException;

/**
 * The C library functions {@link Posix} binds, through JNA direct mapping (registered once by {@link Posix}; far
 * cheaper per call than an interface proxy). Paths and names are NUL-terminated bytes.
 */
final class LibC {
    private LibC() {}

    // size_t and ssize_t as long (the binding is only made on 64-bit Linux): a NativeLong costs JNA a reflective
    // conversion per call, and a directory scan lists the xattrs of every entry.
    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
            throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    /** {@code times} is {@code struct timespec[2]}: four longs on 64-bit Linux. */
    static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    static native int truncate(byte[] path, long length) throws LastErrorException;

    static native int open(byte[] path, int flags, int mode) throws LastErrorException;
    static native int ftruncate(int fd, long length) throws LastErrorException;
    static native int close(int fd) throws LastErrorException;
    static native int umask(int mask);

    // Calls relative to a directory file descriptor: what extraction writes with.
    static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;
    static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;
    static native int symlinkat(byte[] target, int dirfd, byte[] path) throws LastErrorException;
    static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
            throws LastErrorException;
    static native int mknodat(int dirfd, byte[] path, int mode, long dev) throws LastErrorException;
    static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;
    static native int fchown(int fd, int uid, int gid) throws LastErrorException;
    static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;
    static native int fchmod(int fd, int mode) throws LastErrorException;
    static native int fchmodat(int dirfd, byte[] path, int mode, int flags) throws LastErrorException;
    static native int futimens(int fd, long[] times) throws LastErrorException;
    static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags) throws LastErrorException;
    /** {@code buf} must be a direct buffer: its memory is handed to the kernel as it is. */
    static native long pwrite(int fd, java.nio.ByteBuffer buf, long count, long offset)
            throws LastErrorException;
    /** {@code buf} must be a direct buffer, filled from its position. */
    static native long pread(int fd, java.nio.ByteBuffer buf, long count, long offset) throws LastErrorException;
    /** {@code offIn} and {@code offOut} are {@code loff_t *}: one long each, advanced by the call. */
    static native long copy_file_range(int fdIn, long[] offIn, int fdOut, long[] offOut, long len,
            int flags) throws LastErrorException;
    static native long getdents64(int fd, byte[] buf, long count) throws LastErrorException;

    static native int geteuid();

    static native int getegid();
}
