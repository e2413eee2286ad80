package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.posix.PosixException;
import io.github.erofs4j.core.internal.MappedFile;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TargetWriter} of every entry when the native helper is available: everything is created and changed
 * relative to an open directory descriptor ({@code mkdirat}, {@code openat}, {@code symlinkat}, {@code linkat},
 * {@code mknodat}, {@code fchownat}, {@code utimensat} ...), by the name's bytes, whatever their encoding.
 *
 * <p>Safety: no call follows a symlink in the target. Directories are opened with {@code O_NOFOLLOW} from their
 * parent's descriptor (see {@link TargetDir}), so a symlink put in place of a directory, before or during the
 * extraction, makes its opening fail instead of redirecting writes; files are created with
 * {@code O_CREAT|O_EXCL|O_NOFOLLOW} (never opening a fifo, a device or a file outside through a link) and their
 * data and metadata written through the new descriptor; entries in the way are replaced (with
 * {@linkplain ExtractOptions#overwrite() overwrite}) by removing them with {@code unlinkat}, a directory by
 * reading and removing its entries through its own descriptor. Hard links only point at files this run wrote.
 */
final class FdTargetWriter extends TargetWriter {
    private final Path rootPath;
    private final Posix posix;
    /** The primary image file, for copying uncompressed data in the kernel; -1 to copy through the reader. */
    private final int imageFd;
    private final FileChannel image;
    /** The same file mapped, when it can be: uncompressed data the kernel cannot copy is written from there. */
    private final MappedFile mapped;
    private TargetDir root;
    /** Directories this run created or adopted: files are being written into them, so they are never removed. */
    private final Set<TargetDir.FileKey> ownDirs = ConcurrentHashMap.newKeySet();
    /** The first link written of each inode with several, by nid. */
    private final Map<Long, Link> firstLink = new ConcurrentHashMap<>();
    /** Whether {@code copy_file_range} works from the image to the target; cleared at its first refusal. */
    private volatile boolean copyInKernel = true;
    /** Per worker thread: the buffer compressed extents are decoded into, see {@link #copy}. */
    private final ThreadLocal<ByteBuffer> heapBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

    private record Link(TargetDir dir, byte[] name) {}

    FdTargetWriter(Path root, Options opt, Posix posix, ExtractListener listener, Path imageFile,
            FileChannel image) throws IOException {
        super(opt, listener, posix.geteuid() & 0xFFFFFFFFL, posix.getegid() & 0xFFFFFFFFL, posix.umask());
        this.rootPath = root;
        this.posix = posix;
        this.image = image;
        this.mapped = image == null ? null : MappedFile.map(image);
        this.imageFd = imageFile == null ? -1 : posix.openRead(imageFile);
    }

    @Override
    TargetDir prepareRoot() throws IOException {
        if (!Files.isDirectory(rootPath)) {
            // Not recorded as created: inside a setgid parent it inherits the setgid bit and passes on the group.
            Files.createDirectories(rootPath);
        }
        root = TargetDir.root(rootPath, posix, posix.openDirectory(rootPath));
        ownDirs.add(root.key());
        return root;
    }

    @Override
    boolean accepts(byte[] name) {
        return true;
    }

    @Override
    TargetDir directory(TargetDir parent, byte[] name, ErofsInode in) throws IOException {
        int pfd = parent.acquire();
        try {
            try {
                // Only the owner may write into it until its own mode is set, after everything inside is written.
                posix.mkdirAt(pfd, name, 0700);
                return parent.child(name, true);
            } catch (PosixException e) {
                if (e.errno() != PosixException.EEXIST) {
                    throw e;
                }
            }
            // Something is there: reused when it is a real directory, replaced (when allowed) when not.
            Posix.Stat st = posix.lstatAt(pfd, name);
            if ((st.mode() & Erofs.S_IFMT) == Erofs.S_IFDIR) {
                return parent.child(name, false);
            }
            if (!opt.overwrite()) {
                throw new FileAlreadyExistsException(parent.text(name), null,
                        "exists and is not a directory (use --overwrite)");
            }
            remove(parent, pfd, name);
            posix.mkdirAt(pfd, name, 0700);
            return parent.child(name, true);
        } finally {
            parent.release();
        }
    }

    @Override
    void enter(TargetDir dir) throws IOException {
        dir.acquire();
        ownDirs.add(dir.key());
    }

    @Override
    void leave(TargetDir dir) throws IOException {
        dir.release();
    }

    @Override
    void finishDirectory(TargetDir dir, ErofsInode in) throws IOException {
        int fd = dir.acquire();
        try {
            boolean ours = dir.parent != null && dir.created && dir.parent.created;
            byFd(fd, dir, null, in, ours, false);
        } finally {
            dir.release();
        }
    }

    @Override
    long nonDirectory(TargetDir parent, byte[] name, ErofsInode in, ByteBuffer buf) throws IOException {
        int dfd = parent.acquire();
        try {
            long read;
            for (int attempt = 0; ; attempt++) {
                try {
                    read = create(parent, dfd, name, in, buf);
                    break;
                } catch (FileAlreadyExistsException e) {
                    if (!opt.overwrite() || attempt > 0) {
                        throw new FileAlreadyExistsException(parent.text(name), null,
                                "already exists (use --overwrite)");
                    }
                    remove(parent, dfd, name);
                }
            }
            if (read >= 0 && in.nlink() > 1) {
                firstLink.put(in.nid(), new Link(parent, name));
            }
            return Math.max(read, 0);
        } finally {
            parent.release();
        }
    }

    @Override
    void hardLink(TargetDir parent, byte[] name, ErofsInode in) throws IOException {
        Link first = firstLink.get(in.nid());
        if (first == null) {
            return; // the first link could not be written (its error was reported); nothing to link to
        }
        int from = first.dir().acquire();
        try {
            int to = parent.acquire();
            try {
                for (int attempt = 0; ; attempt++) {
                    try {
                        posix.linkAt(from, first.name(), to, name);
                        return;
                    } catch (PosixException e) {
                        if (e.errno() != PosixException.EEXIST) {
                            throw e;
                        }
                        if (!opt.overwrite() || attempt > 0) {
                            throw new FileAlreadyExistsException(parent.text(name), null,
                                    "already exists (use --overwrite)");
                        }
                        remove(parent, to, name);
                    }
                }
            } finally {
                parent.release();
            }
        } finally {
            first.dir().release();
        }
    }

    /** Creates the entry with its data and metadata; returns the bytes read, or -1 when it was skipped. */
    private long create(TargetDir parent, int dfd, byte[] name, ErofsInode in, ByteBuffer buf) throws IOException {
        try {
            switch (in.type()) {
                case REGULAR -> {
                    return writeFile(parent, dfd, name, in, buf);
                }
                case SYMLINK -> {
                    byte[] target = in.readSymlink();
                    if (unusableSymlinkTarget(target)) {
                        skip("symlinks with an empty target or a NUL byte", parent.text(name), null);
                        return -1;
                    }
                    posix.symlinkAt(target, dfd, name);
                    byName(dfd, name, parent, in);
                    return target.length;
                }
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> {
                    try {
                        posix.mknodAt(dfd, name, (in.mode() & Erofs.S_IFMT) | 0600, in.rdevMajor(), in.rdevMinor());
                    } catch (PosixException e) {
                        if (e.errno() != PosixException.EEXIST && e.isNotPermittedOrSupported()) {
                            skip(specialKind(in) + " (mknod: " + e.description() + ")", parent.text(name), null);
                            return -1;
                        }
                        throw e;
                    }
                    byName(dfd, name, parent, in);
                    return 0;
                }
                default -> throw new IllegalStateException("directory handed to nonDirectory: " + parent.text(name));
            }
        } catch (PosixException e) {
            if (e.errno() == PosixException.EEXIST) {
                throw new FileAlreadyExistsException(parent.text(name));
            }
            throw e;
        }
    }

    /** Writes a regular file: created exclusively, its data, holes left unwritten, then its metadata. */
    private long writeFile(TargetDir parent, int dfd, byte[] name, ErofsInode in, ByteBuffer buf)
            throws IOException {
        int mode = modeAtCreation(in);
        int fd = posix.createAt(dfd, name, mode >= 0 ? mode : 0600);
        try {
            long[] copied = {0};
            long end = eachStoredExtent(in, x -> copied[0] += copy(in, x, buf, fd));
            if (end < in.size()) {
                posix.ftruncate(fd, in.size()); // a trailing hole
            }
            byFd(fd, parent, name, in, parent.created, mode >= 0);
            return copied[0];
        } finally {
            posix.close(fd);
        }
    }

    /**
     * Copies one extent. Uncompressed extents of the primary image are copied in the kernel
     * ({@code copy_file_range}) where it can; anything else, and any shortfall, goes through the reader, which
     * reports a truncated image properly.
     */
    private long copy(ErofsInode in, DataExtent x, ByteBuffer buf, int out) throws IOException {
        long done = 0;
        long at = x.logicalOffset();
        if (imageFd >= 0 && !x.compressed() && x.device() == 0 && x.physicalOffset() >= 0) {
            if (copyInKernel) {
                while (done < x.length()) {
                    long n = posix.copyFileRange(imageFd, x.physicalOffset() + done, out, at + done,
                            x.length() - done);
                    if (n < 0) {
                        copyInKernel = false;
                        break;
                    }
                    if (n == 0) {
                        break;
                    }
                    done += n;
                }
            }
            while (done < x.length()) {
                long from = x.physicalOffset() + done;
                ByteBuffer src;
                if (mapped != null) {
                    // Straight from the mapped image: one copy, in the kernel.
                    src = mapped.slice(from, Math.min(BUFFER, x.length() - done));
                } else {
                    int len = (int) Math.min(buf.capacity(), x.length() - done);
                    buf.clear().limit(len);
                    while (buf.hasRemaining()) {
                        if (image.read(buf, from + buf.position()) <= 0) {
                            break;
                        }
                    }
                    src = buf.flip();
                }
                int n = src.remaining();
                if (n == 0) {
                    break;
                }
                posix.pwriteFully(out, src, n, at + done);
                done += n;
            }
        }
        if (done < x.length()) {
            // Compressed extents go through a heap buffer: the reader then decodes a whole extent straight into it
            // (no cached copy); one copy takes it to the direct buffer the kernel writes from.
            ByteBuffer heap = x.compressed() ? heapBuffer.get() : buf;
            done += Walk.copy(in, at + done, x.length() - done, heap, (b, n, to) -> {
                if (b != buf) {
                    buf.clear();
                    buf.put(b.array(), 0, n);
                }
                posix.pwriteFully(out, buf, n, to);
            });
        }
        return done;
    }

    /**
     * Owner, xattrs, permission bits, then times, through an open file or directory: each step would undo what a
     * later one sets otherwise.
     */
    private void byFd(int fd, TargetDir parent, byte[] name, ErofsInode in, boolean ours, boolean modeSet)
            throws IOException {
        if (opt.owner() && !alreadyOwned(ours, in)) {
            try {
                posix.fchown(fd, in.uid(), in.gid());
            } catch (PosixException e) {
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("ownership (chown: " + e.description() + ")", text(parent, name), null);
            }
        }
        if (opt.xattrs()) {
            for (Xattr x : in.xattrs()) {
                try {
                    posix.fsetxattr(fd, x.name(), x.value());
                } catch (PosixException e) {
                    if (!e.isNotPermittedOrSupported()) {
                        throw e;
                    }
                    skip("xattrs " + namespace(x.name()) + " on " + kind(in) + " (" + e.description() + ")",
                            text(parent, name), x.name());
                }
            }
        }
        if (!modeSet) {
            posix.fchmod(fd, finalPermissions(in));
        }
        posix.futimens(fd, in.mtimeSeconds(), in.mtimeNanos());
    }

    /** The target path of an entry (a directory itself when {@code name} is null), for messages only. */
    private static String text(TargetDir parent, byte[] name) {
        return name == null ? parent.text() : parent.text(name);
    }

    /** The same for a symlink or special file, by its name in its directory, never following a symlink. */
    private void byName(int dfd, byte[] name, TargetDir parent, ErofsInode in) throws IOException {
        if (opt.owner() && !alreadyOwned(parent.created, in)) {
            try {
                posix.lchownAt(dfd, name, in.uid(), in.gid());
            } catch (PosixException e) {
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("ownership (chown: " + e.description() + ")", parent.text(name), null);
            }
        }
        if (opt.xattrs()) {
            for (Xattr x : in.xattrs()) {
                try {
                    posix.lsetxattrAt(dfd, name, x.name(), x.value());
                } catch (PosixException e) {
                    if (!e.isNotPermittedOrSupported()) {
                        throw e;
                    }
                    skip("xattrs " + namespace(x.name()) + " on " + kind(in) + " (" + e.description() + ")",
                            parent.text(name), x.name());
                }
            }
        }
        if (in.type() != FileType.SYMLINK) {
            try {
                posix.lchmodAt(dfd, name, finalPermissions(in));
            } catch (PosixException e) {
                // glibc before 2.32, or no /proc: fchmodat cannot leave a symlink alone, so it refuses.
                if (!e.isNotPermittedOrSupported()) {
                    throw e;
                }
                skip("permission bits of special files (fchmodat: " + e.description() + ")", parent.text(name),
                        null);
            }
        }
        posix.lutimensAt(dfd, name, in.mtimeSeconds(), in.mtimeNanos());
    }

    /**
     * Removes an entry that was in the way, never following a symlink: a directory with everything inside, read
     * and removed through its own descriptor. Directories of this run are never removed.
     */
    private void remove(TargetDir parent, int dfd, byte[] name) throws IOException {
        Posix.Stat st;
        try {
            st = posix.lstatAt(dfd, name);
        } catch (PosixException e) {
            if (e.errno() == PosixException.ENOENT) {
                return;
            }
            throw e;
        }
        if ((st.mode() & Erofs.S_IFMT) != Erofs.S_IFDIR) {
            posix.unlinkAt(dfd, name, false);
            return;
        }
        if (ownDirs.contains(TargetDir.FileKey.of(st))) {
            throw new FileAlreadyExistsException(parent.text(name), null, "is a directory of this image");
        }
        removeTree(dfd, name);
    }

    private void removeTree(int dfd, byte[] name) throws IOException {
        int fd = posix.openDirectoryAt(dfd, name);
        try {
            for (byte[] entry : posix.readDirectory(fd)) {
                try {
                    posix.unlinkAt(fd, entry, false);
                } catch (PosixException e) {
                    if (e.errno() != PosixException.EISDIR) {
                        throw e;
                    }
                    removeTree(fd, entry);
                }
            }
        } finally {
            posix.close(fd);
        }
        posix.unlinkAt(dfd, name, true);
    }

    @Override
    public void close() throws IOException {
        try {
            if (root != null) {
                root.closeRoot();
            }
        } finally {
            if (imageFd >= 0) {
                posix.close(imageFd);
            }
        }
    }
}
