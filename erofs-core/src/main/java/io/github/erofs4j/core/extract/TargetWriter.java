package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.internal.Messages;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.posix.PosixException;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the entries of an image below a target directory, restoring what the kernel shows: type, mode with
 * setuid/setgid/sticky, owner, mtime with nanoseconds (symlinks too), xattrs of every namespace, hard links,
 * devices, fifos, sockets, and holes.
 *
 * <p>Safety: every path written is {@code root/name/name/...} where each name was checked (non-empty, no '/',
 * no NUL, not "." or ".."), and every directory on the way was created by this writer or found by
 * {@code lstat} to be a real directory (never a symlink) before anything was created inside it. New files are
 * created with {@code O_CREAT|O_EXCL} (which never follows a symlink), metadata calls do not follow symlinks,
 * and hard links only point at files this writer wrote. So nothing is written outside the target, whatever
 * names or symlinks the image holds. This does not defend against another local process racing to replace
 * directories inside the target while the extraction runs.
 *
 * <p>What cannot be restored (not root, unsupported by the target filesystem, JNA missing) is counted by kind
 * and reported through {@link #notRestored()}. Methods called from the walk's worker threads are thread-safe.
 */
final class TargetWriter {
    static final int BUFFER = 1 << 20;

    /** What to restore, with the defaults of {@link ExtractOptions} resolved. */
    record Options(boolean owner, boolean perms, boolean xattrs, boolean overwrite, int umask) {}

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final Options opt;
    private final Posix posix;
    private final ExtractListener listener;
    private final Map<Long, Path> firstLink = new ConcurrentHashMap<>();
    /** Directories this run created or adopted: files are being written into them, so they are never removed. */
    private final java.util.Set<Path> ownDirs = ConcurrentHashMap.newKeySet();
    /** Directories this run created itself (a subset of ownDirs): what is created inside gets our uid and gid. */
    private final java.util.Set<Path> createdDirs = ConcurrentHashMap.newKeySet();
    private final long euid;
    private final long egid;
    /** The umask the kernel applies when this process creates a file. */
    private final int processUmask;
    /** Kind of thing not restored, with its count and one example. */
    private final Map<String, long[]> skipped = new TreeMap<>();
    private final Map<String, String> skippedExample = new TreeMap<>();

    /** First links written by their bytes (their names are not valid UTF-8), by nid. */
    private final Map<Long, byte[]> firstRaw = new ConcurrentHashMap<>();
    /** The target directory as bytes, for paths written by their bytes. */
    private final byte[] rootBytes;

    private static final String RAW_EXISTS =
            "already exists (replacing entries whose names are not valid UTF-8 is not supported)";

    /** Per worker thread: the buffer for compressed extents, see {@link #copy}. */
    private final ThreadLocal<ByteBuffer> heapBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

    /** The primary image file, for copying uncompressed data in the kernel; null to copy through the reader. */
    private final FileChannel image;

    TargetWriter(Path root, Options opt, Posix posix, ExtractListener listener, FileChannel image) {
        this.image = image;
        this.root = root;
        this.rootBytes = posix.pathBytes(root);
        this.euid = posix.available() ? posix.geteuid() & 0xFFFFFFFFL : -1;
        this.egid = posix.available() ? posix.getegid() & 0xFFFFFFFFL : -1;
        this.processUmask = posix.available() ? posix.umask() : 022;
        this.opt = opt;
        this.posix = posix;
        this.listener = listener;
    }

    /** Creates the target directory if missing; it must then be a directory. */
    void prepareRoot(ErofsInode rootInode) throws IOException {
        if (!Files.isDirectory(root)) {
            // Not recorded as created: inside a setgid parent it inherits the setgid bit and passes on the group.
            Files.createDirectories(root);
        }
    }

    /**
     * Creates (or, when it is already a real directory, reuses) the directory for an image directory.
     *
     * @param raw the path's bytes when they are not all valid UTF-8 (see {@link #rawPathsSupported()}), else null
     */
    void directory(String rel, byte[] raw, ErofsInode in) throws IOException {
        if (raw != null) {
            rawDirectory(rel, raw);
            return;
        }
        Path p = target(rel);
        try {
            Files.createDirectory(p);
            ownDirs.add(p);
            createdDirs.add(p);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(p, NOFOLLOW)) {
                ownDirs.add(p);
                return;
            }
            if (!opt.overwrite()) {
                throw new FileAlreadyExistsException(p.toString(), null, "exists and is not a directory "
                        + "(use --overwrite)");
            }
            Files.delete(p);
            Files.createDirectory(p);
            ownDirs.add(p);
            createdDirs.add(p);
        }
    }

    /** Applies a directory's metadata; called after everything inside it is written. */
    void finishDirectory(String rel, byte[] raw, ErofsInode in) throws IOException {
        if (raw != null) {
            rawMetadata(rawTarget(raw), in);
            return;
        }
        Path p = rel.isEmpty() ? root : target(rel);
        metadata(p, in, !rel.isEmpty() && createdDirs.contains(p) && createdDirs.contains(p.getParent()), false);
    }

    /**
     * Writes one non-directory (its first link when it has several) with its metadata; returns the bytes read
     * from the image.
     */
    long nonDirectory(String rel, byte[] raw, ErofsInode in, ByteBuffer buf) throws IOException {
        if (raw != null) {
            return rawNonDirectory(rel, raw, in);
        }
        Path p = target(rel);
        long read = 0;
        FileAttribute<Set<PosixFilePermission>> modeAtCreation = modeAtCreation(in);
        for (int attempt = 0; ; attempt++) {
            try {
                read = create(p, in, buf, modeAtCreation);
                break;
            } catch (FileAlreadyExistsException e) {
                if (!opt.overwrite() || attempt > 0) {
                    throw new FileAlreadyExistsException(p.toString(), null, "already exists (use --overwrite)");
                }
                remove(p);
            }
        }
        if (read < 0) {
            return 0;
        }
        if (in.nlink() > 1) {
            firstLink.put(in.nid(), p);
        }
        metadata(p, in, createdDirs.contains(p.getParent()), modeAtCreation != null);
        return read;
    }

    /** Makes a further hard link to a non-directory written earlier by {@link #nonDirectory}. */
    void hardLink(String rel, byte[] raw, ErofsInode in) throws IOException {
        byte[] firstBytes = firstRaw.get(in.nid());
        if (raw != null || firstBytes != null) {
            if (firstBytes == null) {
                Path first = firstLink.get(in.nid());
                if (first == null) {
                    return; // the first link could not be written (its error was reported)
                }
                firstBytes = posix.pathBytes(first);
            }
            byte[] to = raw != null ? rawTarget(raw) : posix.pathBytes(target(rel));
            try {
                posix.link(firstBytes, to);
            } catch (PosixException e) {
                if (e.errno() == PosixException.EEXIST) {
                    throw new FileAlreadyExistsException(rel, null, RAW_EXISTS);
                }
                throw e;
            }
            return;
        }
        Path p = target(rel);
        Path first = firstLink.get(in.nid());
        if (first == null) {
            // The first link could not be written (its error was reported); nothing to link to.
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createLink(p, first);
                return;
            } catch (FileAlreadyExistsException e) {
                if (!opt.overwrite() || attempt > 0) {
                    throw new FileAlreadyExistsException(p.toString(), null, "already exists (use --overwrite)");
                }
                remove(p);
            }
        }
    }

    /**
     * The permission bits to create a regular file with, when that gives it its final mode and nothing later needs
     * more access than they grant, so that no chmod is needed afterwards; null otherwise. The kernel applies the
     * process umask at creation, so that must leave the wanted bits alone; setuid, setgid and sticky bits always go
     * through chmod, after chown (which clears them); and a non-root process keeps the owner's write bit for the
     * xattrs and the extending truncate that may follow.
     */
    private FileAttribute<Set<PosixFilePermission>> modeAtCreation(ErofsInode in) {
        if (in.type() != FileType.REGULAR) {
            return null;
        }
        int perms = in.permissions();
        int wanted = opt.perms() ? perms : perms & ~opt.umask();
        if ((perms & 07000) != 0 || (wanted & processUmask) != 0 || (wanted & 0200) == 0 && euid != 0) {
            return null;
        }
        return MODES.get(wanted);
    }

    /** The 512 combinations of permission bits as file attributes, made once. */
    private static final List<FileAttribute<Set<PosixFilePermission>>> MODES = modes();

    private static List<FileAttribute<Set<PosixFilePermission>>> modes() {
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        List<FileAttribute<Set<PosixFilePermission>>> out = new ArrayList<>(512);
        for (int perms = 0; perms < 512; perms++) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int i = 0; i < 9; i++) {
                if ((perms & (0400 >> i)) != 0) {
                    set.add(bits[i]);
                }
            }
            out.add(PosixFilePermissions.asFileAttribute(set));
        }
        return List.copyOf(out);
    }

    /** Creates the file itself; returns the bytes read, or -1 when it was skipped. */
    private long create(Path p, ErofsInode in, ByteBuffer buf, FileAttribute<Set<PosixFilePermission>> mode)
            throws IOException {
        switch (in.type()) {
            case REGULAR -> {
                return writeFile(p, in, buf, mode);
            }
            case SYMLINK -> {
                byte[] target = in.readSymlink();
                String t;
                try {
                    t = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(target))
                            .toString();
                } catch (CharacterCodingException e) {
                    if (!rawPathsSupported() || target.length == 0 || indexOf(target, (byte) 0) >= 0) {
                        skip("symlinks whose target is not valid UTF-8" + (rawPathsSupported() ? "" : " (need JNA)"),
                                p, null);
                        return -1;
                    }
                    // Java paths cannot hold such a target; the C library takes its bytes.
                    try {
                        posix.symlink(target, posix.pathBytes(p));
                    } catch (PosixException x) {
                        if (x.errno() == PosixException.EEXIST) {
                            throw new FileAlreadyExistsException(p.toString());
                        }
                        throw x;
                    }
                    return target.length;
                }
                if (t.isEmpty() || t.indexOf('\0') >= 0) {
                    skip("symlinks with an empty target or a NUL byte", p, null);
                    return -1;
                }
                Files.createSymbolicLink(p, Path.of(t));
                return target.length;
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> {
                if (!posix.available()) {
                    skip("device nodes, fifos and sockets (need JNA)", p, null);
                    return -1;
                }
                try {
                    posix.mknod(p, (in.mode() & Erofs.S_IFMT) | 0600, in.rdevMajor(), in.rdevMinor());
                } catch (PosixException e) {
                    if (e.errno() == PosixException.EEXIST) {
                        throw new FileAlreadyExistsException(p.toString());
                    }
                    if (e.isNotPermittedOrSupported()) {
                        skip(in.type().name().toLowerCase().replace('_', ' ') + "s (mknod: " + e.description() + ")",
                                p, null);
                        return -1;
                    }
                    throw e;
                }
                return 0;
            }
            default -> throw new IllegalStateException("directory handed to nonDirectory: " + p);
        }
    }

    /** Writes a regular file's data, seeking over holes; the file is created exclusively. */
    private long writeFile(Path p, ErofsInode in, ByteBuffer buf, FileAttribute<Set<PosixFilePermission>> mode)
            throws IOException {
        long size = in.size();
        long read = 0;
        long end = 0;
        Set<OpenOption> how = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = mode == null ? FileChannel.open(p, how)
                : FileChannel.open(p, how, mode)) {
            long[] copied = {0};
            end = eachStoredExtent(in, x -> copied[0] += copy(in, x, buf, ch));
            read = copied[0];
            if (end < size && !posix.available()) {
                // Without truncate(2) the JDK cannot extend a file: write its last byte (one block stays allocated).
                ch.write(ByteBuffer.allocate(1), size - 1);
                end = size;
            }
        }
        if (end < size) {
            posix.truncate(p, size);
        }
        return read;
    }

    /** What is done with one extent that holds data. */
    private interface ExtentSink {
        void accept(DataExtent x) throws IOException;
    }

    /**
     * Hands each extent that holds data (not a hole) to {@code sink}, checking that the extents tile the file
     * exactly; returns where the last one handed over ends (less than the size when the file ends in a hole).
     */
    private static long eachStoredExtent(ErofsInode in, ExtentSink sink) throws IOException {
        long expect = 0;
        long end = 0;
        for (DataExtent x : in.dataExtents()) {
            if (x.logicalOffset() != expect) {
                throw io.github.erofs4j.core.ErofsFormatException.corrupt(in.inodeOffset(),
                        "inode nid " + in.nid(), "data extents do not tile the file at " + expect);
            }
            expect += x.length();
            if (x.physicalOffset() < 0 && !x.compressed()) {
                continue; // a hole: leave it unwritten
            }
            sink.accept(x);
            end = x.logicalOffset() + x.length();
        }
        if (expect != in.size()) {
            throw io.github.erofs4j.core.ErofsFormatException.corrupt(in.inodeOffset(),
                    "inode nid " + in.nid(), "data extents cover " + expect + " of " + in.size() + " bytes");
        }
        return end;
    }

    /**
     * Copies one extent. Uncompressed extents of the primary image go through {@link FileChannel#transferTo}
     * (sendfile: no copy through Java); anything else, and any shortfall, goes through the reader, which reports a
     * truncated image properly.
     */
    private long copy(ErofsInode in, DataExtent x, ByteBuffer buf, FileChannel out) throws IOException {
        long done = 0;
        long at = x.logicalOffset();
        if (image != null && !x.compressed() && x.device() == 0 && x.physicalOffset() >= 0) {
            if (x.length() <= buf.capacity()) {
                // Small extents: one pread and one pwrite (transferTo would add an fstat and an lseek).
                buf.clear().limit((int) x.length());
                while (buf.hasRemaining()) {
                    if (image.read(buf, x.physicalOffset() + buf.position()) <= 0) {
                        break;
                    }
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    done += out.write(buf, at + done);
                }
            } else {
                out.position(at);
                while (done < x.length()) {
                    long n = image.transferTo(x.physicalOffset() + done, x.length() - done, out);
                    if (n <= 0) {
                        break;
                    }
                    done += n;
                }
            }
        }
        if (done < x.length()) {
            // Compressed extents go through a heap buffer: the reader then decodes a whole extent straight into it
            // (no cached copy), and writing it costs the same one copy as filling the direct buffer would.
            ByteBuffer b = x.compressed() ? heapBuffer.get() : buf;
            done += Walk.copy(in, at + done, x.length() - done, b, out);
        }
        return done;
    }

    /**
     * Whether entries whose names are not valid UTF-8 can be written: Java paths cannot hold them, so they are
     * written by their bytes through the C library (JNA with {@code statx}).
     */
    boolean rawPathsSupported() {
        return posix.available() && posix.lstatAvailable();
    }

    /** The target path, as bytes, of an image path given as bytes whose components the walk checked. */
    private byte[] rawTarget(byte[] rel) {
        return Names.childBytes(rootBytes, rel);
    }

    /**
     * {@link #directory} by bytes. An existing real directory is reused, as there; anything else in the way is an
     * error (replacing it is not supported for such names).
     */
    private void rawDirectory(String rel, byte[] raw) throws IOException {
        byte[] p = rawTarget(raw);
        try {
            posix.mkdir(p, 0777);
        } catch (PosixException e) {
            if (e.errno() != PosixException.EEXIST) {
                throw e;
            }
            if ((posix.lstat(p).mode() & Erofs.S_IFMT) != Erofs.S_IFDIR) {
                throw new FileAlreadyExistsException(rel, null, RAW_EXISTS);
            }
        }
    }

    /** {@link #nonDirectory} by bytes: created exclusively, never replacing anything. */
    private long rawNonDirectory(String rel, byte[] raw, ErofsInode in) throws IOException {
        byte[] p = rawTarget(raw);
        long read;
        try {
            switch (in.type()) {
                case REGULAR -> read = rawWriteFile(p, in);
                case SYMLINK -> {
                    byte[] target = in.readSymlink();
                    if (target.length == 0 || indexOf(target, (byte) 0) >= 0) {
                        skip("symlinks with an empty target or a NUL byte", Messages.safe(rel), null);
                        return 0;
                    }
                    posix.symlink(target, p);
                    read = target.length;
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> {
                    try {
                        posix.mknod(p, (in.mode() & Erofs.S_IFMT) | 0600, in.rdevMajor(), in.rdevMinor());
                    } catch (PosixException e) {
                        if (!e.isNotPermittedOrSupported()) {
                            throw e;
                        }
                        skip(in.type().name().toLowerCase().replace('_', ' ') + "s (mknod: " + e.description() + ")",
                                Messages.safe(rel), null);
                        return 0;
                    }
                    read = 0;
                }
                default -> throw new IllegalStateException("directory handed to nonDirectory: " + rel);
            }
        } catch (PosixException e) {
            if (e.errno() == PosixException.EEXIST) {
                throw new FileAlreadyExistsException(rel, null, RAW_EXISTS);
            }
            throw e;
        }
        if (in.nlink() > 1) {
            firstRaw.put(in.nid(), p);
        }
        rawMetadata(p, in);
        return read;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #writeFile} by bytes: the data through the reader, holes left unwritten. */
    private long rawWriteFile(byte[] p, ErofsInode in) throws IOException {
        long size = in.size();
        long read = 0;
        ByteBuffer b = heapBuffer.get();
        int fd = posix.createExclusive(p, 0600);
        try {
            long[] copied = {0};
            eachStoredExtent(in, x -> {
                long done = 0;
                while (done < x.length()) {
                    b.clear();
                    if (x.length() - done < b.capacity()) {
                        b.limit((int) (x.length() - done));
                    }
                    int n = in.read(x.logicalOffset() + done, b);
                    if (n <= 0) {
                        throw io.github.erofs4j.core.ErofsFormatException.corrupt(in.inodeOffset(),
                                "inode nid " + in.nid(), "data ends at " + (x.logicalOffset() + done)
                                        + " before the file size " + size);
                    }
                    posix.pwriteFully(fd, b.array(), n, x.logicalOffset() + done);
                    done += n;
                }
                copied[0] += done;
            });
            read = copied[0];
            posix.ftruncate(fd, size); // a trailing hole
        } finally {
            posix.close(fd);
        }
        return read;
    }

    /** {@link #metadata} by bytes; the owner is always set (when restored), as nothing records who made what. */
    private void rawMetadata(byte[] p, ErofsInode in) throws IOException {
        boolean link = in.type() == FileType.SYMLINK;
        String shown = Messages.safe(new String(p, StandardCharsets.UTF_8));
        if (opt.owner()) {
            try {
                posix.lchown(p, in.uid(), in.gid());
            } catch (PosixException e) {
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("ownership (chown: " + e.description() + ")", shown, null);
            }
        }
        if (opt.xattrs()) {
            for (Xattr x : in.xattrs()) {
                try {
                    posix.lsetxattr(p, x.name(), x.value());
                } catch (PosixException e) {
                    if (!e.isNotPermittedOrSupported()) {
                        throw e;
                    }
                    skip("xattrs " + namespace(x.name()) + " on " + kind(in) + " (" + e.description() + ")", shown,
                            x.name());
                }
            }
        }
        if (!link) {
            int perms = in.permissions();
            if (!opt.perms()) {
                perms &= ~opt.umask();
            }
            posix.chmod(p, perms);
        }
        posix.lutimens(p, in.mtimeSeconds(), in.mtimeNanos());
    }

    /**
     * Owner, xattrs, permission bits, then times: each step would undo what a later one sets otherwise.
     *
     * @param ours whether this run created the file inside a directory it also created
     */
    private void metadata(Path p, ErofsInode in, boolean ours, boolean modeSet) throws IOException {
        boolean link = in.type() == FileType.SYMLINK;
        // A file this run created inside a directory it created (no setgid bit yet: directory modes come last)
        // already belongs to the effective uid and gid; chown would change nothing.
        boolean owned = ours && in.uid() == euid && in.gid() == egid;
        if (opt.owner() && !owned) {
            try {
                if (posix.available()) {
                    posix.lchown(p, in.uid(), in.gid());
                } else {
                    Files.setAttribute(p, "unix:uid", (int) in.uid(), NOFOLLOW);
                    Files.setAttribute(p, "unix:gid", (int) in.gid(), NOFOLLOW);
                }
            } catch (PosixException e) {
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("ownership (chown: " + e.description() + ")", p, null);
            } catch (java.nio.file.FileSystemException e) {
                if (!(e instanceof java.nio.file.AccessDeniedException) && !isEperm(e)) {
                    throw e;
                }
                skip("ownership (chown: not permitted)", p, null);
            }
        }
        if (opt.xattrs()) {
            for (Xattr x : in.xattrs()) {
                setXattr(p, in, x, link);
            }
        }
        if (!link && !modeSet) {
            int perms = in.permissions();
            if (!opt.perms()) {
                perms &= ~opt.umask();
            }
            // unix:mode keeps setuid/setgid/sticky (PosixFilePermission cannot); it follows links, but p is not one.
            Files.setAttribute(p, "unix:mode", perms);
            if (in.permissions() != perms && opt.perms()) {
                skip("permission bits", p, null);
            }
        }
        if (posix.available()) {
            posix.lutimens(p, in.mtimeSeconds(), in.mtimeNanos());
        } else if (in.type() == FileType.REGULAR || in.type() == FileType.DIRECTORY) {
            FileTime t = FileTime.from(Instant.ofEpochSecond(in.mtimeSeconds(), in.mtimeNanos()));
            Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(t, t, null);
        } else if (link) {
            FileTime t = FileTime.from(Instant.ofEpochSecond(in.mtimeSeconds(), in.mtimeNanos()));
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
            if (in.mtimeNanos() % 1000 != 0) {
                skip("symlink times below a microsecond (need JNA)", p, null);
            }
        } else {
            // The JDK would open the node to set its times, and opening a fifo blocks.
            skip("times of special files (need JNA)", p, null);
        }
    }

    private void setXattr(Path p, ErofsInode in, Xattr x, boolean link) throws IOException {
        String ns = namespace(x.name());
        if (posix.available()) {
            try {
                posix.lsetxattr(p, x.name(), x.value());
            } catch (PosixException e) {
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("xattrs " + ns + " on " + kind(in) + " (" + e.description() + ")", p, x.name());
            }
            return;
        }
        if (x.name().startsWith("user.") && !link && (in.type() == FileType.REGULAR
                || in.type() == FileType.DIRECTORY)) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            if (v != null) {
                v.write(x.name().substring(5), ByteBuffer.wrap(x.value()));
                return;
            }
        }
        skip("xattrs " + ns + " on " + kind(in) + " (need JNA)", p, x.name());
    }

    private static String namespace(String name) {
        if (name.startsWith("system.")) {
            return name;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot + 1) + "*";
    }

    private static String kind(ErofsInode in) {
        return switch (in.type()) {
            case REGULAR -> "files";
            case DIRECTORY -> "directories";
            case SYMLINK -> "symlinks";
            default -> "special files";
        };
    }

    private static boolean isEperm(java.nio.file.FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("Operation not permitted");
    }

    /** The target path of an image path whose components were checked by the walk. */
    private Path target(String rel) throws IOException {
        Path p = root;
        int start = 0;
        while (start <= rel.length()) {
            int slash = rel.indexOf('/', start);
            int end = slash < 0 ? rel.length() : slash;
            String name = rel.substring(start, end);
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
                throw new IOException("refusing unsafe name '" + Messages.safe(name) + "' in " + Messages.safe(rel));
            }
            p = p.resolve(name);
            start = end + 1;
        }
        return p;
    }

    /** Removes an entry that existed before (a directory with its contents), never following symlinks. */
    private void remove(Path p) throws IOException {
        if (ownDirs.contains(p)) {
            throw new FileAlreadyExistsException(p.toString(), null, "is a directory of this image");
        }
        if (!Files.isDirectory(p, NOFOLLOW)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private synchronized void skip(String what, Object p, String detail) {
        skipped.computeIfAbsent(what, k -> new long[1])[0]++;
        skippedExample.putIfAbsent(what, p + (detail == null ? "" : " (" + detail + ")"));
        listener.notRestored(what, String.valueOf(p), detail);
    }

    /** What was not restored, by kind: a count and one example each, sorted by kind. */
    synchronized List<ExtractSummary.NotRestored> notRestored() {
        List<ExtractSummary.NotRestored> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : skipped.entrySet()) {
            out.add(new ExtractSummary.NotRestored(e.getKey(), e.getValue()[0], skippedExample.get(e.getKey())));
        }
        return out;
    }
}
