package io.github.erofs4j.core.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The only class besides {@link LibC} that touches JNA: registers the binding and turns JNA's
 * {@link LastErrorException} into {@link Errno}. {@link Posix} calls it only once JNA is known to be present.
 */
final class JnaCalls {
    private JnaCalls() {}

    /**
     * Binds {@link LibC} to the symbols already loaded into the process: the JVM itself links the C library, so
     * nothing is searched for (asking for "c" makes JNA run {@code ldconfig -p} in a child process).
     */
    static void register() {
        Native.register(LibC.class, NativeLibrary.getProcess());
    }

    /** Binds {@link LibCStat}; false when this C library has no {@code statx}. */
    static boolean registerStat() {
        try {
            Native.register(LibCStat.class, NativeLibrary.getProcess());
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static void statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws Errno {
        try {
            LibCStat.statx(dirfd, path, flags, mask, buf);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void lsetxattr(byte[] path, byte[] name, byte[] value) throws Errno {
        try {
            LibC.lsetxattr(path, name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    /** With a null buffer, returns the value's size. */
    static long lgetxattr(byte[] path, byte[] name, byte[] buf) throws Errno {
        try {
            return LibC.lgetxattr(path, name, buf, buf == null ? 0 : buf.length);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    /** With a null buffer, returns the list's size. */
    static long llistxattr(byte[] path, byte[] buf) throws Errno {
        try {
            return LibC.llistxattr(path, buf, buf == null ? 0 : buf.length);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void lremovexattr(byte[] path, byte[] name) throws Errno {
        try {
            LibC.lremovexattr(path, name);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void mknod(byte[] path, int mode, long dev) throws Errno {
        try {
            LibC.mknod(path, mode, dev);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void utimensat(int dirfd, byte[] path, long[] times, int flags) throws Errno {
        try {
            LibC.utimensat(dirfd, path, times, flags);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void lchown(byte[] path, int uid, int gid) throws Errno {
        try {
            LibC.lchown(path, uid, gid);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void truncate(byte[] path, long length) throws Errno {
        try {
            LibC.truncate(path, length);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }


    static int open(byte[] path, int flags, int mode) throws Errno {
        try {
            return LibC.open(path, flags, mode);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void ftruncate(int fd, long length) throws Errno {
        try {
            LibC.ftruncate(fd, length);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void close(int fd) throws Errno {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }




    static int umask(int mask) {
        return LibC.umask(mask);
    }

    static int geteuid() {
        return LibC.geteuid();
    }

    static int getegid() {
        return LibC.getegid();
    }

    static int openat(int dirfd, byte[] path, int flags, int mode) throws Errno {
        try {
            return LibC.openat(dirfd, path, flags, mode);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void mkdirat(int dirfd, byte[] path, int mode) throws Errno {
        try {
            LibC.mkdirat(dirfd, path, mode);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void symlinkat(byte[] target, int dirfd, byte[] path) throws Errno {
        try {
            LibC.symlinkat(target, dirfd, path);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath) throws Errno {
        try {
            LibC.linkat(olddirfd, oldpath, newdirfd, newpath, 0);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void mknodat(int dirfd, byte[] path, int mode, long dev) throws Errno {
        try {
            LibC.mknodat(dirfd, path, mode, dev);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void unlinkat(int dirfd, byte[] path, int flags) throws Errno {
        try {
            LibC.unlinkat(dirfd, path, flags);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void fchown(int fd, int uid, int gid) throws Errno {
        try {
            LibC.fchown(fd, uid, gid);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws Errno {
        try {
            LibC.fchownat(dirfd, path, uid, gid, flags);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void fchmod(int fd, int mode) throws Errno {
        try {
            LibC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void fchmodat(int dirfd, byte[] path, int mode, int flags) throws Errno {
        try {
            LibC.fchmodat(dirfd, path, mode, flags);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void futimens(int fd, long[] times) throws Errno {
        try {
            LibC.futimens(fd, times);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static void fsetxattr(int fd, byte[] name, byte[] value) throws Errno {
        try {
            LibC.fsetxattr(fd, name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static long pwrite(int fd, java.nio.ByteBuffer buf, int count, long offset) throws Errno {
        try {
            return LibC.pwrite(fd, buf, count, offset);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static long pread(int fd, java.nio.ByteBuffer buf, int count, long offset) throws Errno {
        try {
            return LibC.pread(fd, buf, count, offset);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static long copyFileRange(int fdIn, long[] offIn, int fdOut, long[] offOut, long len) throws Errno {
        try {
            return LibC.copy_file_range(fdIn, offIn, fdOut, offOut, len, 0);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    static long getdents64(int fd, byte[] buf) throws Errno {
        try {
            return LibC.getdents64(fd, buf, buf.length);
        } catch (LastErrorException e) {
            throw errno(e);
        }
    }

    private static Errno errno(LastErrorException e) {
        String text = e.getMessage();
        // JNA's message is "[errno] description"; keep the description.
        if (text != null && text.startsWith("[")) {
            int close = text.indexOf(']');
            text = close > 0 ? text.substring(close + 1).trim() : text;
        }
        return new Errno(e.getErrorCode(), text == null ? "errno " + e.getErrorCode() : text);
    }
}
