package io.github.erofs4j.core.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * The C library functions {@link Posix} binds, through JNA direct mapping (registered once by {@link Posix}; far
 * cheaper per call than an interface proxy). Paths and names are NUL-terminated bytes.
 */
final class LibC {
    private LibC() {}

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, NativeLong size, int flags)
            throws LastErrorException;

    static native NativeLong lgetxattr(byte[] path, byte[] name, byte[] value, NativeLong size)
            throws LastErrorException;

    static native NativeLong llistxattr(byte[] path, byte[] list, NativeLong size) throws LastErrorException;

    static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    /** {@code times} is {@code struct timespec[2]}: four longs on 64-bit Linux. */
    static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    static native int truncate(byte[] path, long length) throws LastErrorException;

    static native int mkdir(byte[] path, int mode) throws LastErrorException;
    static native int open(byte[] path, int flags, int mode) throws LastErrorException;
    static native NativeLong pwrite(int fd, byte[] buf, NativeLong count, long offset) throws LastErrorException;
    static native int ftruncate(int fd, long length) throws LastErrorException;
    static native int close(int fd) throws LastErrorException;
    static native int symlink(byte[] target, byte[] path) throws LastErrorException;
    static native int link(byte[] existing, byte[] path) throws LastErrorException;
    static native int chmod(byte[] path, int mode) throws LastErrorException;
    static native int umask(int mask);

    static native int geteuid();

    static native int getegid();
}
