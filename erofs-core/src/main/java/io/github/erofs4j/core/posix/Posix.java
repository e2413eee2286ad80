package io.github.erofs4j.core.posix;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Linux calls the JDK lacks: extended attributes of every namespace without following symlinks, {@code mknod},
 * nanosecond timestamps on symlinks, extending truncation, and the process umask and effective uid; plus
 * {@code lchown} in one call (the JDK needs two to set both owner and group).
 *
 * <p>Obtain the shared instance with {@link #get()}. It is immutable and thread-safe. When JNA is missing from
 * the class or module path, or the platform is not 64-bit Linux, {@link #available()} returns false and every
 * call except {@link #available()} and {@link #unavailableReason()} throws {@link UnsupportedOperationException}
 * naming the reason; callers are expected to check first and tell the user what they could not do.
 *
 * <p>Failed calls throw {@link PosixException} with the errno. Paths are passed to the kernel as the JDK
 * itself would encode them.
 */
public final class Posix {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ERANGE = 34;
    /** Largest xattr value Linux accepts (XATTR_SIZE_MAX); also bounds our buffers. */
    private static final int XATTR_SIZE_MAX = 65536;
    /** Largest xattr name list Linux returns (XATTR_LIST_MAX). */
    private static final int XATTR_LIST_MAX = 65536;

    private static final int AT_NO_AUTOMOUNT = 0x800;
    // The same on x86-64 and aarch64 (O_NOFOLLOW is not; O_CREAT|O_EXCL never follows a symlink anyway).
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    /** STATX_BASIC_STATS: type, mode, nlink, uid, gid, times, ino, size, blocks. */
    private static final int STATX_BASIC_STATS = 0x7FF;
    private static final int STATX_SIZE = 256;
    private static final ThreadLocal<byte[]> STATX_BUF = ThreadLocal.withInitial(() -> new byte[STATX_SIZE]);

    private final boolean bound;
    private final boolean statx;
    private final String reason;
    private final Charset pathCharset;

    private Posix(boolean bound, boolean statx, String reason, Charset pathCharset) {
        this.bound = bound;
        this.statx = statx;
        this.reason = reason;
        this.pathCharset = pathCharset;
    }

    /**
     * What {@code statx(2)} says of a path, not following a final symlink. Device numbers come split into
     * major and minor, as the kernel keeps them.
     *
     * @param mode file type and permission bits ({@code st_mode})
     * @param mtimeNanos nanoseconds of the modification time, 0 to 999,999,999
     */
    public record Stat(int mode, long nlink, long uid, long gid, long ino, long size, long mtimeSeconds,
            int mtimeNanos, int rdevMajor, int rdevMinor, int devMajor, int devMinor) {}

    /** Whether {@link #lstat} works here (it needs {@code statx}, glibc 2.28 or later). */
    public boolean lstatAvailable() {
        return statx;
    }

    /** Reads a file's attributes in one system call, not following a final symlink. */
    public Stat lstat(Path file) throws IOException {
        return lstat(bytes(file), file.toString());
    }

    private Stat lstat(byte[] cpath, String shown) throws IOException {
        lib();
        if (!statx) {
            throw new UnsupportedOperationException("statx is not available in this C library");
        }
        byte[] b = STATX_BUF.get();
        try {
            JnaCalls.statx(cpath, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, b);
        } catch (Errno e) {
            throw error(shown, "statx", e);
        }
        java.nio.ByteBuffer s = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder());
        return new Stat(s.getShort(28) & 0xFFFF, s.getInt(16) & 0xFFFFFFFFL, s.getInt(20) & 0xFFFFFFFFL,
                s.getInt(24) & 0xFFFFFFFFL, s.getLong(32), s.getLong(40), s.getLong(112), s.getInt(120),
                s.getInt(128), s.getInt(132), s.getInt(136), s.getInt(140));
    }

    /** The shared instance; never null, possibly {@linkplain #available() unavailable}. */
    public static Posix get() {
        return Holder.INSTANCE;
    }

    /** Whether the calls work here. */
    public boolean available() {
        return bound;
    }

    /** Why the calls do not work here ("JNA is not on the class path", ...), or null when they do. */
    public String unavailableReason() {
        return reason;
    }

    /** Sets an extended attribute of any namespace on a file, not following a final symlink. */
    public void lsetxattr(Path file, String name, byte[] value) throws IOException {
        lsetxattr(bytes(file), file.toString(), name, value);
    }

    private void lsetxattr(byte[] cpath, String shown, String name, byte[] value) throws IOException {
        lib();
        try {
            JnaCalls.lsetxattr(cpath, cstr(name), value);
        } catch (Errno e) {
            throw error(shown, "lsetxattr " + name, e);
        }
    }

    /** Reads an extended attribute, not following a final symlink; empty when the file does not have it. */
    public Optional<byte[]> lgetxattr(Path file, String name) throws IOException {
        lib();
        byte[] p = bytes(file);
        byte[] n = cstr(name);
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                long size = JnaCalls.lgetxattr(p, n, null);
                if (size < 0 || size > XATTR_SIZE_MAX) {
                    throw new PosixException(file.toString(), "lgetxattr " + name, ERANGE, "size " + size);
                }
                byte[] buf = new byte[(int) size];
                long got = JnaCalls.lgetxattr(p, n, buf);
                return Optional.of(got == buf.length ? buf : Arrays.copyOf(buf, (int) got));
            } catch (Errno e) {
                if (e.code == PosixException.ENODATA) {
                    return Optional.empty();
                }
                if (e.code != ERANGE) { // ERANGE: the value grew between the two calls; retry
                    throw error(file, "lgetxattr " + name, e);
                }
            }
        }
        throw new PosixException(file.toString(), "lgetxattr " + name, ERANGE, "value keeps changing size");
    }

    /** Names of the extended attributes of a file (every namespace the caller may see), not following symlinks. */
    public List<String> llistxattr(Path file) throws IOException {
        lib();
        byte[] p = bytes(file);
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                long size = JnaCalls.llistxattr(p, null);
                if (size < 0 || size > XATTR_LIST_MAX) {
                    throw new PosixException(file.toString(), "llistxattr", ERANGE, "size " + size);
                }
                if (size == 0) {
                    return List.of();
                }
                byte[] buf = new byte[(int) size];
                int got = (int) JnaCalls.llistxattr(p, buf);
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < got; i++) {
                    if (buf[i] == 0) {
                        if (i > start) {
                            names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        }
                        start = i + 1;
                    }
                }
                return names;
            } catch (Errno e) {
                if (e.code != ERANGE) {
                    throw error(file, "llistxattr", e);
                }
            }
        }
        throw new PosixException(file.toString(), "llistxattr", ERANGE, "list keeps changing size");
    }

    /** Removes an extended attribute, not following a final symlink. */
    public void lremovexattr(Path file, String name) throws IOException {
        lib();
        try {
            JnaCalls.lremovexattr(bytes(file), cstr(name));
        } catch (Errno e) {
            throw error(file, "lremovexattr " + name, e);
        }
    }

    /**
     * Creates a device node, fifo or socket with {@code mknod(2)}.
     *
     * @param mode the file type bits ({@code S_IFCHR}, {@code S_IFBLK}, {@code S_IFIFO} or {@code S_IFSOCK}) and
     *     the permission bits (the umask applies)
     */
    public void mknod(Path file, int mode, int major, int minor) throws IOException {
        mknod(bytes(file), file.toString(), mode, major, minor);
    }

    private void mknod(byte[] cpath, String shown, int mode, int major, int minor) throws IOException {
        lib();
        try {
            JnaCalls.mknod(cpath, mode, makedev(major, minor));
        } catch (Errno e) {
            throw error(shown, "mknod", e);
        }
    }

    /** Sets the access and modification times of a file, or of a symlink itself, with nanoseconds. */
    public void lutimens(Path file, long seconds, int nanos) throws IOException {
        lutimens(bytes(file), file.toString(), seconds, nanos);
    }

    private void lutimens(byte[] cpath, String shown, long seconds, int nanos) throws IOException {
        lib();
        try {
            // Only bound on 64-bit Linux, where struct timespec is two longs.
            JnaCalls.utimensat(AT_FDCWD, cpath, new long[] {seconds, nanos, seconds, nanos}, AT_SYMLINK_NOFOLLOW);
        } catch (Errno e) {
            throw error(shown, "utimensat", e);
        }
    }

    /** Sets the owner and group of a file, or of a symlink itself, in one call (uids are unsigned 32-bit). */
    public void lchown(Path file, long uid, long gid) throws IOException {
        lchown(bytes(file), file.toString(), uid, gid);
    }

    private void lchown(byte[] cpath, String shown, long uid, long gid) throws IOException {
        lib();
        try {
            JnaCalls.lchown(cpath, (int) uid, (int) gid);
        } catch (Errno e) {
            throw error(shown, "lchown", e);
        }
    }

    /** Sets the length of a file (following symlinks), extending it with a hole when it grows. */
    public void truncate(Path file, long length) throws IOException {
        lib();
        try {
            JnaCalls.truncate(bytes(file), length);
        } catch (Errno e) {
            throw error(file, "truncate", e);
        }
    }

    // Calls on raw paths: the bytes the kernel sees, for names the JDK cannot represent (not valid in the
    // platform's file-name charset). A raw path is given without its terminating NUL and must not contain one.

    /** {@link #lstat(Path)} of a raw path. */
    public Stat lstat(byte[] path) throws IOException {
        return lstat(raw(path), shown(path));
    }

    /** Creates a directory with {@code mkdir(2)} (the umask applies). */
    public void mkdir(byte[] path, int mode) throws IOException {
        lib();
        try {
            JnaCalls.mkdir(raw(path), mode);
        } catch (Errno e) {
            throw error(path, "mkdir", e);
        }
    }

    /**
     * Creates a regular file that must not exist yet ({@code O_CREAT|O_EXCL}, which never follows a symlink) and
     * opens it for writing; returns the file descriptor, which the caller must {@link #close(int)}.
     */
    public int createExclusive(byte[] path, int mode) throws IOException {
        lib();
        try {
            return JnaCalls.open(raw(path), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        } catch (Errno e) {
            throw error(path, "open", e);
        }
    }

    /** Writes {@code buf[0, len)} at {@code offset} of an open file, all of it. */
    public void pwriteFully(int fd, byte[] buf, int len, long offset) throws IOException {
        lib();
        byte[] data = buf;
        int done = 0;
        while (done < len) {
            if (done > 0) {
                data = Arrays.copyOfRange(buf, done, len);
            }
            try {
                long n = JnaCalls.pwrite(fd, data, len - done, offset + done);
                if (n <= 0) {
                    throw new PosixException("fd " + fd, "pwrite", 5, "wrote nothing");
                }
                done += (int) n;
            } catch (Errno e) {
                throw new PosixException("fd " + fd, "pwrite", e.code, e.text);
            }
        }
    }

    /** Sets the length of an open file, extending it with a hole when it grows. */
    public void ftruncate(int fd, long length) throws IOException {
        lib();
        try {
            JnaCalls.ftruncate(fd, length);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "ftruncate", e.code, e.text);
        }
    }

    /** Closes a file descriptor from {@link #createExclusive}. */
    public void close(int fd) throws IOException {
        lib();
        try {
            JnaCalls.close(fd);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "close", e.code, e.text);
        }
    }

    /** Creates a symlink at {@code path} whose target is the bytes {@code target}. */
    public void symlink(byte[] target, byte[] path) throws IOException {
        lib();
        try {
            JnaCalls.symlink(raw(target), raw(path));
        } catch (Errno e) {
            throw error(path, "symlink", e);
        }
    }

    /** Makes {@code path} a further hard link to {@code existing} (a symlink is linked itself, not followed). */
    public void link(byte[] existing, byte[] path) throws IOException {
        lib();
        try {
            JnaCalls.link(raw(existing), raw(path));
        } catch (Errno e) {
            throw error(path, "link", e);
        }
    }

    /** Sets the permission bits, setuid, setgid and sticky included; follows symlinks, so never call it on one. */
    public void chmod(byte[] path, int mode) throws IOException {
        lib();
        try {
            JnaCalls.chmod(raw(path), mode);
        } catch (Errno e) {
            throw error(path, "chmod", e);
        }
    }

    /** {@link #lsetxattr(Path, String, byte[])} of a raw path. */
    public void lsetxattr(byte[] path, String name, byte[] value) throws IOException {
        lsetxattr(raw(path), shown(path), name, value);
    }

    /** {@link #mknod(Path, int, int, int)} of a raw path. */
    public void mknod(byte[] path, int mode, int major, int minor) throws IOException {
        mknod(raw(path), shown(path), mode, major, minor);
    }

    /** {@link #lutimens(Path, long, int)} of a raw path. */
    public void lutimens(byte[] path, long seconds, int nanos) throws IOException {
        lutimens(raw(path), shown(path), seconds, nanos);
    }

    /** {@link #lchown(Path, long, long)} of a raw path. */
    public void lchown(byte[] path, long uid, long gid) throws IOException {
        lchown(raw(path), shown(path), uid, gid);
    }

    /** The process umask (read by setting it and restoring it at once). */
    public int umask() {
        lib();
        synchronized (this) {
            int old = JnaCalls.umask(022);
            JnaCalls.umask(old);
            return old;
        }
    }

    /** The effective user id of the process. */
    public int geteuid() {
        lib();
        return JnaCalls.geteuid();
    }

    /** The effective group id of the process. */
    public int getegid() {
        lib();
        return JnaCalls.getegid();
    }

    /** glibc's encoding of a device number from its major and minor parts. */
    static long makedev(int major, int minor) {
        long ma = major & 0xFFFFFFFFL;
        long mi = minor & 0xFFFFFFFFL;
        return ((ma & 0xFFFFF000L) << 32) | ((ma & 0xFFFL) << 8) | ((mi & 0xFFFFFF00L) << 12) | (mi & 0xFFL);
    }

    private void lib() {
        if (!bound) {
            throw new UnsupportedOperationException("Linux calls unavailable: " + reason);
        }
    }

    /**
     * The bytes the kernel sees for a Java path: its string in the platform's file-name charset, as the JDK
     * encodes it. For building raw paths next to JDK ones.
     */
    public byte[] pathBytes(Path file) {
        return file.toString().getBytes(pathCharset);
    }

    private byte[] bytes(Path file) {
        return cstr(file.toString(), pathCharset);
    }

    private static byte[] cstr(String s) {
        return cstr(s, StandardCharsets.UTF_8);
    }

    private static byte[] cstr(String s, Charset cs) {
        byte[] b = s.getBytes(cs);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** A raw path as the C string the kernel takes. */
    private static byte[] raw(byte[] path) {
        for (byte b : path) {
            if (b == 0) {
                throw new IllegalArgumentException("path contains a NUL byte");
            }
        }
        return Arrays.copyOf(path, path.length + 1);
    }

    /** A raw path for messages (bytes that are not UTF-8 become U+FFFD). */
    private static String shown(byte[] path) {
        return new String(path, StandardCharsets.UTF_8);
    }

    private static PosixException error(byte[] path, String call, Errno e) {
        return error(shown(path), call, e);
    }

    private static PosixException error(String shown, String call, Errno e) {
        return new PosixException(shown, call, e.code, e.text);
    }

    private static PosixException error(Path file, String call, Errno e) {
        return new PosixException(file.toString(), call, e.code, e.text);
    }

    /** Loads the binding once; failures are recorded as the reason rather than thrown. */
    private static final class Holder {
        static final Posix INSTANCE = load();

        private static Posix load() {
            // The JDK encodes file names with sun.jnu.encoding; we must hand the kernel the same bytes it would.
            Charset cs;
            try {
                cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            try {
                Class.forName("com.sun.jna.Native", false, Posix.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return new Posix(false, false, "JNA (net.java.dev.jna:jna) is not on the class or module path", cs);
            }
            return Bind.bind(cs);
        }
    }

    /** Separate class so that the JNA types are only resolved once JNA is known to be present. */
    private static final class Bind {
        static Posix bind(Charset cs) {
            try {
                if (!com.sun.jna.Platform.isLinux()) {
                    return new Posix(false, false, "not running on Linux", cs);
                }
                if (com.sun.jna.Native.LONG_SIZE != 8) {
                    return new Posix(false, false, "only 64-bit Linux is supported", cs);
                }
                JnaCalls.register();
                return new Posix(true, JnaCalls.registerStat(), null, cs);
            } catch (LinkageError | RuntimeException e) {
                return new Posix(false, false, "could not bind the C library through JNA: " + e, cs);
            }
        }
    }
}
