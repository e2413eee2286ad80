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
    // The same on x86-64 and aarch64 except O_DIRECTORY and O_NOFOLLOW, which differ on arm64.
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));
    private static final int O_DIRECTORY = ARM64 ? 040000 : 0200000;
    private static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int EXDEV = 18;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
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
        return statx(AT_FDCWD, cpath, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, shown);
    }

    private Stat statx(int dirfd, byte[] cpath, int flags, String shown) throws IOException {
        lib();
        if (!statx) {
            throw new UnsupportedOperationException("statx is not available in this C library");
        }
        byte[] b = STATX_BUF.get();
        try {
            JnaCalls.statx(dirfd, cpath, flags, STATX_BASIC_STATS, b);
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

    // Calls relative to an open directory: a name is one path component, given as the bytes the kernel sees
    // (without a terminating NUL; never "/" or NUL inside, which the caller has checked). None of them follows a
    // symlink in the name, so whatever a directory holds, they act on that directory's own entries only.

    /** Opens a directory by its path (following symlinks) for the calls relative to it; close it with {@link #close}. */
    public int openDirectory(Path dir) throws IOException {
        return open(dir, O_RDONLY | O_DIRECTORY);
    }

    /** Opens a file for reading by its path; close it with {@link #close}. */
    public int openRead(Path file) throws IOException {
        return open(file, O_RDONLY);
    }

    /** Opens a file for reading without following a final symlink (ELOOP when it is one). */
    public int openReadNoFollow(Path file) throws IOException {
        return open(file, O_RDONLY | O_NOFOLLOW);
    }

    /** Opens an existing file for writing, neither creating nor truncating it. */
    public int openWrite(Path file) throws IOException {
        return open(file, O_WRONLY);
    }

    private int open(Path file, int flags) throws IOException {
        lib();
        try {
            return JnaCalls.open(bytes(file), flags | O_CLOEXEC, 0);
        } catch (Errno e) {
            throw error(file, "open", e);
        }
    }

    /**
     * Reads into a direct buffer, from its position up to its limit, bytes from {@code offset} of an open file
     * ({@code pread(2)}, once); advances the position and returns the bytes read, 0 at the end of the file.
     */
    public int pread(int fd, java.nio.ByteBuffer buf, long offset) throws IOException {
        lib();
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        try {
            int n = (int) JnaCalls.pread(fd, buf, buf.remaining(), offset);
            buf.position(buf.position() + n);
            return n;
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "pread", e.code, e.text);
        }
    }

    /**
     * Opens the directory {@code name} inside {@code dirfd}; fails (ELOOP or ENOTDIR) when that is a symlink or
     * anything else but a directory.
     */
    public int openDirectoryAt(int dirfd, byte[] name) throws IOException {
        lib();
        try {
            return JnaCalls.openat(dirfd, raw(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (Errno e) {
            throw error(name, "openat", e);
        }
    }

    /** Creates a directory (the umask applies). */
    public void mkdirAt(int dirfd, byte[] name, int mode) throws IOException {
        lib();
        try {
            JnaCalls.mkdirat(dirfd, raw(name), mode);
        } catch (Errno e) {
            throw error(name, "mkdirat", e);
        }
    }

    /**
     * Creates a regular file that must not exist yet ({@code O_CREAT|O_EXCL}, which never follows a symlink nor
     * opens a fifo) and opens it for writing; returns the file descriptor, which the caller must {@link #close}.
     */
    public int createAt(int dirfd, byte[] name, int mode) throws IOException {
        lib();
        try {
            return JnaCalls.openat(dirfd, raw(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        } catch (Errno e) {
            throw error(name, "openat", e);
        }
    }

    /** Creates a symlink {@code name} whose target is the bytes {@code target}. */
    public void symlinkAt(byte[] target, int dirfd, byte[] name) throws IOException {
        lib();
        try {
            JnaCalls.symlinkat(raw(target), dirfd, raw(name));
        } catch (Errno e) {
            throw error(name, "symlinkat", e);
        }
    }

    /**
     * Makes {@code name} in {@code dirfd} a further hard link to {@code existing} in {@code existingDir} (a symlink
     * is linked itself, not followed).
     */
    public void linkAt(int existingDir, byte[] existing, int dirfd, byte[] name) throws IOException {
        lib();
        try {
            JnaCalls.linkat(existingDir, raw(existing), dirfd, raw(name));
        } catch (Errno e) {
            throw error(name, "linkat", e);
        }
    }

    /** {@link #mknod(Path, int, int, int)} relative to a directory. */
    public void mknodAt(int dirfd, byte[] name, int mode, int major, int minor) throws IOException {
        lib();
        try {
            JnaCalls.mknodat(dirfd, raw(name), mode, makedev(major, minor));
        } catch (Errno e) {
            throw error(name, "mknodat", e);
        }
    }

    /** Removes an entry: an empty directory when {@code directory}, else anything but a directory. */
    public void unlinkAt(int dirfd, byte[] name, boolean directory) throws IOException {
        lib();
        try {
            JnaCalls.unlinkat(dirfd, raw(name), directory ? AT_REMOVEDIR : 0);
        } catch (Errno e) {
            throw error(name, "unlinkat", e);
        }
    }

    /** {@link #lstat(Path)} of an entry of a directory. */
    public Stat lstatAt(int dirfd, byte[] name) throws IOException {
        return statx(dirfd, raw(name), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, shown(name));
    }

    /** {@link #lstat(Path)} of an open file. */
    public Stat fstat(int fd) throws IOException {
        return statx(fd, new byte[1], AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, "fd " + fd);
    }

    /**
     * The names in a directory opened by {@link #openDirectoryAt} and not read from yet, "." and ".." left out,
     * as the kernel returns them.
     */
    public List<byte[]> readDirectory(int fd) throws IOException {
        lib();
        byte[] buf = new byte[32768];
        List<byte[]> names = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = JnaCalls.getdents64(fd, buf);
            } catch (Errno e) {
                throw new PosixException("fd " + fd, "getdents64", e.code, e.text);
            }
            if (n <= 0) {
                return names;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.nativeOrder());
            // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, NUL-terminated name.
            for (int at = 0; at < n; ) {
                int reclen = b.getShort(at + 16) & 0xFFFF;
                int nameStart = at + 19;
                int nameEnd = nameStart;
                while (nameEnd < at + reclen && buf[nameEnd] != 0) {
                    nameEnd++;
                }
                byte[] name = Arrays.copyOfRange(buf, nameStart, nameEnd);
                if (!(name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.')) {
                    names.add(name);
                }
                if (reclen == 0) {
                    throw new PosixException("fd " + fd, "getdents64", 5, "record of length 0");
                }
                at += reclen;
            }
        }
    }

    /** Sets the owner and group of an open file. */
    public void fchown(int fd, long uid, long gid) throws IOException {
        lib();
        try {
            JnaCalls.fchown(fd, (int) uid, (int) gid);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "fchown", e.code, e.text);
        }
    }

    /** Sets the owner and group of an entry of a directory, or of a symlink itself. */
    public void lchownAt(int dirfd, byte[] name, long uid, long gid) throws IOException {
        lib();
        try {
            JnaCalls.fchownat(dirfd, raw(name), (int) uid, (int) gid, AT_SYMLINK_NOFOLLOW);
        } catch (Errno e) {
            throw error(name, "fchownat", e);
        }
    }

    /** Sets the permission bits of an open file, setuid, setgid and sticky included. */
    public void fchmod(int fd, int mode) throws IOException {
        lib();
        try {
            JnaCalls.fchmod(fd, mode);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "fchmod", e.code, e.text);
        }
    }

    /**
     * Sets the permission bits of an entry of a directory without following a symlink (glibc 2.32 and later; a
     * symlink itself fails with ENOTSUP).
     */
    public void lchmodAt(int dirfd, byte[] name, int mode) throws IOException {
        lib();
        try {
            JnaCalls.fchmodat(dirfd, raw(name), mode, AT_SYMLINK_NOFOLLOW);
        } catch (Errno e) {
            throw error(name, "fchmodat", e);
        }
    }

    /** Sets the access and modification times of an open file, with nanoseconds. */
    public void futimens(int fd, long seconds, int nanos) throws IOException {
        lib();
        try {
            JnaCalls.futimens(fd, new long[] {seconds, nanos, seconds, nanos});
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "futimens", e.code, e.text);
        }
    }

    /** Sets the access and modification times of an entry of a directory, or of a symlink itself. */
    public void lutimensAt(int dirfd, byte[] name, long seconds, int nanos) throws IOException {
        lib();
        try {
            JnaCalls.utimensat(dirfd, raw(name), new long[] {seconds, nanos, seconds, nanos}, AT_SYMLINK_NOFOLLOW);
        } catch (Errno e) {
            throw error(name, "utimensat", e);
        }
    }

    /** Sets an extended attribute of any namespace on an open file. */
    public void fsetxattr(int fd, String name, byte[] value) throws IOException {
        lib();
        try {
            JnaCalls.fsetxattr(fd, cstr(name), value);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "fsetxattr " + name, e.code, e.text);
        }
    }

    /**
     * Sets an extended attribute on an entry of a directory, or on a symlink itself: through the directory's
     * descriptor in {@code /proc/self/fd}, which names that very directory (no path is walked again).
     */
    public void lsetxattrAt(int dirfd, byte[] name, String xname, byte[] value) throws IOException {
        byte[] dir = ("/proc/self/fd/" + dirfd + "/").getBytes(StandardCharsets.US_ASCII);
        byte[] path = Arrays.copyOf(dir, dir.length + name.length);
        System.arraycopy(name, 0, path, dir.length, name.length);
        lsetxattr(raw(path), shown(name), xname, value);
    }

    /**
     * Writes {@code buf[0, len)} (a direct buffer) at {@code offset} of an open file, all of it; the buffer's
     * position is set to 0 (JNA hands the kernel the memory at the position).
     */
    public void pwriteFully(int fd, java.nio.ByteBuffer buf, int len, long offset) throws IOException {
        lib();
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        buf.position(0);
        int done = 0;
        while (done < len) {
            try {
                long n = JnaCalls.pwrite(fd, done == 0 ? buf : buf.slice(done, len - done), len - done,
                        offset + done);
                if (n <= 0) {
                    throw new PosixException("fd " + fd, "pwrite", 5, "wrote nothing");
                }
                done += (int) n;
            } catch (Errno e) {
                throw new PosixException("fd " + fd, "pwrite", e.code, e.text);
            }
        }
    }

    /**
     * Copies up to {@code len} bytes from {@code inOffset} of one open file to {@code outOffset} of another in the
     * kernel ({@code copy_file_range(2)}); returns the bytes copied (0 at the end of the input), or -1 when the
     * kernel cannot copy between these two files, which the caller then copies itself.
     */
    public long copyFileRange(int in, long inOffset, int out, long outOffset, long len) throws IOException {
        lib();
        try {
            return JnaCalls.copyFileRange(in, new long[] {inOffset}, out, new long[] {outOffset}, len);
        } catch (Errno e) {
            if (e.code == EXDEV || e.code == EINVAL || e.code == ENOSYS || e.code == PosixException.ENOTSUP) {
                return -1;
            }
            throw new PosixException("fd " + out, "copy_file_range", e.code, e.text);
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

    /** Closes a file descriptor this class opened. */
    public void close(int fd) throws IOException {
        lib();
        try {
            JnaCalls.close(fd);
        } catch (Errno e) {
            throw new PosixException("fd " + fd, "close", e.code, e.text);
        }
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
