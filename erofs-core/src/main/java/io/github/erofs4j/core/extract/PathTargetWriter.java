package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsInode;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TargetWriter} used only when the native helper (JNA) is missing: Java paths and what the JDK can
 * restore (data, holes but a trailing one, modes with setuid/setgid/sticky, owners, times of files, directories and
 * symlinks to the microsecond, {@code user.*} xattrs of files and directories). Names must be valid UTF-8.
 *
 * <p>Safety: every directory on the way was created by this writer or found, not following symlinks, to be a real
 * directory before anything was created inside it; files are created exclusively ({@code CREATE_NEW}, which never
 * follows a symlink); metadata calls do not follow symlinks; hard links only point at files this writer wrote. So
 * nothing is written outside the target, whatever the image holds. Unlike {@link FdTargetWriter} this does not
 * defend against another local process replacing directories inside the target while the extraction runs.
 */
final class PathTargetWriter extends TargetWriter {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final Map<Long, Path> firstLink = new ConcurrentHashMap<>();
    /** Directories this run created or adopted: files are being written into them, so they are never removed. */
    private final Set<Path> ownDirs = ConcurrentHashMap.newKeySet();

    PathTargetWriter(Path root, Options opt, ExtractListener listener) {
        super(opt, listener, -1, -1, 022);
        this.root = root;
    }

    @Override
    TargetDir prepareRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
        }
        return TargetDir.rootPath(root);
    }

    /** Java paths hold names that are valid UTF-8 only. */
    @Override
    boolean accepts(byte[] name) {
        return utf8(name) != null;
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Path resolve(TargetDir parent, byte[] name) {
        return parent.path.resolve(new String(name, StandardCharsets.UTF_8));
    }

    @Override
    TargetDir directory(TargetDir parent, byte[] name, ErofsInode in) throws IOException {
        Path p = resolve(parent, name);
        try {
            Files.createDirectory(p);
            ownDirs.add(p);
            return parent.childPath(name, p, true);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(p, NOFOLLOW)) {
                ownDirs.add(p);
                return parent.childPath(name, p, false);
            }
            if (!opt.overwrite()) {
                throw new FileAlreadyExistsException(p.toString(), null, "exists and is not a directory "
                        + "(use --overwrite)");
            }
            Files.delete(p);
            Files.createDirectory(p);
            ownDirs.add(p);
            return parent.childPath(name, p, true);
        }
    }

    @Override
    void finishDirectory(TargetDir dir, ErofsInode in) throws IOException {
        metadata(dir.path, in, false);
    }

    @Override
    long nonDirectory(TargetDir parent, byte[] name, ErofsInode in, ByteBuffer buf) throws IOException {
        Path p = resolve(parent, name);
        long read;
        int mode = modeAtCreation(in);
        for (int attempt = 0; ; attempt++) {
            try {
                read = create(p, in, buf, mode < 0 ? null : MODES.get(mode));
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
        metadata(p, in, mode >= 0);
        return read;
    }

    @Override
    void hardLink(TargetDir parent, byte[] name, ErofsInode in) throws IOException {
        Path p = resolve(parent, name);
        Path first = firstLink.get(in.nid());
        if (first == null) {
            return; // the first link could not be written (its error was reported); nothing to link to
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
                String t = utf8(target);
                if (t == null) {
                    skip("symlinks whose target is not valid UTF-8 (need JNA)", p, null);
                    return -1;
                }
                if (unusableSymlinkTarget(target)) {
                    skip("symlinks with an empty target or a NUL byte", p, null);
                    return -1;
                }
                Files.createSymbolicLink(p, Path.of(t));
                return target.length;
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> {
                skip("device nodes, fifos and sockets (need JNA)", p, null);
                return -1;
            }
            default -> throw new IllegalStateException("directory handed to nonDirectory: " + p);
        }
    }

    /** Writes a regular file's data, seeking over holes; the file is created exclusively. */
    private long writeFile(Path p, ErofsInode in, ByteBuffer buf, FileAttribute<Set<PosixFilePermission>> mode)
            throws IOException {
        long size = in.size();
        Set<OpenOption> how = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = mode == null ? FileChannel.open(p, how) : FileChannel.open(p, how, mode)) {
            long[] copied = {0};
            long end = eachStoredExtent(in, x -> copied[0] += copy(in, x, buf, ch));
            if (end < size) {
                // The JDK cannot extend a file with a hole: write its last byte (one block stays allocated).
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
            return copied[0];
        }
    }

    /** Copies one extent through the reader. */
    private static long copy(ErofsInode in, DataExtent x, ByteBuffer buf, FileChannel out) throws IOException {
        return Walk.copy(in, x.logicalOffset(), x.length(), buf, (b, n, at) -> {
            b.position(0).limit(n);
            while (b.hasRemaining()) {
                at += out.write(b, at);
            }
        });
    }

    /** Owner, xattrs, permission bits, then times: each step would undo what a later one sets otherwise. */
    private void metadata(Path p, ErofsInode in, boolean modeSet) throws IOException {
        boolean link = in.type() == FileType.SYMLINK;
        if (opt.owner()) {
            try {
                Files.setAttribute(p, "unix:uid", (int) in.uid(), NOFOLLOW);
                Files.setAttribute(p, "unix:gid", (int) in.gid(), NOFOLLOW);
            } catch (java.nio.file.NoSuchFileException e) {
                throw e;
            } catch (java.nio.file.FileSystemException e) {
                // EPERM or EACCES: the JDK tells them apart from other failures only by message text.
                skip("ownership (chown: not permitted)", p, null);
            }
        }
        if (opt.xattrs()) {
            for (Xattr x : in.xattrs()) {
                setXattr(p, in, x, link);
            }
        }
        if (!link && !modeSet) {
            // unix:mode keeps setuid/setgid/sticky (PosixFilePermission cannot); it follows links, but p is not one.
            Files.setAttribute(p, "unix:mode", finalPermissions(in));
        }
        FileTime t = FileTime.from(Instant.ofEpochSecond(in.mtimeSeconds(), in.mtimeNanos()));
        if (in.type() == FileType.REGULAR || in.type() == FileType.DIRECTORY) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(t, t, null);
        } else if (link) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
            if (in.mtimeNanos() % 1000 != 0) {
                skip("symlink times below a microsecond (need JNA)", p, null);
            }
        }
    }

    private void setXattr(Path p, ErofsInode in, Xattr x, boolean link) throws IOException {
        if (x.name().startsWith("user.") && !link && (in.type() == FileType.REGULAR
                || in.type() == FileType.DIRECTORY)) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            if (v != null) {
                v.write(x.name().substring(5), ByteBuffer.wrap(x.value()));
                return;
            }
        }
        skip("xattrs " + namespace(x.name()) + " on " + kind(in) + " (need JNA)", p, x.name());
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

    @Override
    public void close() {}
}
