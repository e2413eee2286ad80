package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.ReadOnlyProvider;
import io.github.erofs4j.core.internal.ReadOnlyViews;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code java.nio.file} provider for EROFS images, scheme {@code "erofs"}.
 *
 * <p>{@code FileSystems.newFileSystem(Path.of("image.erofs"))} opens an image as a read-only file system;
 * {@code FileSystems.newFileSystem(URI.create("erofs:file:///path/image.erofs"), env)} does the same and registers
 * it so that {@code Path.of(URI.create("erofs:file:///path/image.erofs!/etc/passwd"))} finds it. Closing the file
 * system closes the image.
 *
 * <p>Supported: directory streams, {@code Files.walk}, seekable read channels, symlinks, the "basic", "posix",
 * "owner", "unix" (uid, gid, mode, ino = nid, nlink, rdev, ...) and "user" (xattrs {@code user.*}) views, and
 * {@code isSameFile} for hard links. Every write throws {@link ReadOnlyFileSystemException}.
 *
 * <p>The environment map may hold {@code "readOptions"} (a {@link ReadOptions}), or the individual keys
 * {@code "extraDevices"} (a list of paths or strings), {@code "verifyChecksum"} and {@code "cacheBytes"}.
 *
 * <p>Thread-safe.
 */
public final class ErofsFileSystemProvider extends ReadOnlyProvider {
    /** The URI scheme. */
    public static final String SCHEME = "erofs";

    private final Map<Path, ErofsFileSystem> filesystems = new ConcurrentHashMap<>();

    /** Creates the provider (normally done by the service loader). */
    public ErofsFileSystemProvider() {}

    @Override
    public String getScheme() {
        return SCHEME;
    }

    private static boolean follow(Set<? extends OpenOption> options) {
        return !options.contains(LinkOption.NOFOLLOW_LINKS);
    }

    private static ErofsPath toErofs(Path p) {
        if (p == null) {
            throw new NullPointerException();
        }
        if (!(p instanceof ErofsPath e)) {
            throw new ProviderMismatchException();
        }
        return e;
    }

    // ---- file systems ----

    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        if (path.getFileSystem() != java.nio.file.FileSystems.getDefault() || !isErofsImage(path)) {
            throw new UnsupportedOperationException(path + " is not an EROFS image");
        }
        return open(path, env);
    }

    private ErofsFileSystem open(Path path, Map<String, ?> env) throws IOException {
        ErofsImage image = ErofsImage.open(path, options(env));
        return new ErofsFileSystem(this, path, image);
    }

    /** Whether a file starts like an EROFS image (the magic at byte 1024). */
    private static boolean isErofsImage(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, Erofs.SUPERBLOCK_OFFSET + b.position()) < 0) {
                    return false;
                }
            }
            return b.getInt(0) == Erofs.MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    static ReadOptions options(Map<String, ?> env) {
        if (env == null || env.isEmpty()) {
            return ReadOptions.defaults();
        }
        Object ro = env.get("readOptions");
        if (ro instanceof ReadOptions r) {
            return r;
        }
        ReadOptions.Builder b = ReadOptions.builder();
        Object devs = env.get("extraDevices");
        if (devs instanceof List<?> list) {
            List<Path> paths = new ArrayList<>();
            for (Object o : list) {
                paths.add(o instanceof Path p ? p : Path.of(o.toString()));
            }
            b.extraDevices(paths);
        } else if (devs != null) {
            throw new IllegalArgumentException("extraDevices must be a List of paths");
        }
        Object verify = env.get("verifyChecksum");
        if (verify != null) {
            b.verifyChecksum(Boolean.parseBoolean(verify.toString()));
        }
        Object cache = env.get("cacheBytes");
        if (cache != null) {
            b.cacheBytes(cache instanceof Number n ? n.longValue() : Long.parseLong(cache.toString()));
        }
        return b.build();
    }

    private static Path imageOf(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an " + SCHEME + ": URI: " + uri);
        }
        String spec = uri.getSchemeSpecificPart();
        int sep = spec.indexOf("!/");
        if (sep < 0 && spec.endsWith("!")) {
            sep = spec.length() - 1;
        }
        String img = sep >= 0 ? spec.substring(0, sep) : spec;
        try {
            return Path.of(new URI(img)).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad image URI in " + uri, e);
        }
    }

    private static String innerPath(URI uri) {
        String spec = uri.getSchemeSpecificPart();
        int sep = spec.indexOf("!/");
        return sep >= 0 ? spec.substring(sep + 1) : "/";
    }

    URI uriOf(ErofsFileSystem fs, String absPath) {
        try {
            Path img = fs.imagePath().toAbsolutePath().normalize();
            return new URI(SCHEME, img.toUri().toString() + "!" + absPath, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        Path img = imageOf(uri);
        synchronized (filesystems) {
            if (filesystems.containsKey(img)) {
                throw new FileSystemAlreadyExistsException(uri.toString());
            }
            ErofsFileSystem fs = open(img, env);
            filesystems.put(img, fs);
            return fs;
        }
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        ErofsFileSystem fs = filesystems.get(imageOf(uri));
        if (fs == null) {
            throw new FileSystemNotFoundException(uri.toString());
        }
        return fs;
    }

    void removeFileSystem(ErofsFileSystem fs) {
        if (fs.imagePath() != null) {
            filesystems.remove(fs.imagePath().toAbsolutePath().normalize(), fs);
        }
    }

    @Override
    public Path getPath(URI uri) {
        return getFileSystem(uri).getPath(innerPath(uri));
    }

    // ---- reading ----

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        ErofsPath p = toErofs(path);
        refuseWrites(options);
        ErofsInode inode = p.getFileSystem().lookup(p, follow(options));
        if (inode.type() == FileType.DIRECTORY) {
            throw new FileSystemException(p.toString(), null, "Is a directory");
        }
        if (inode.type() == FileType.SYMLINK) {
            throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links (NOFOLLOW_LINKS)");
        }
        if (inode.type() != FileType.REGULAR) {
            throw new FileSystemException(p.toString(), null, "Not a regular file: " + inode.type());
        }
        return inode.newByteChannel();
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        ErofsPath p = toErofs(dir);
        ErofsInode inode = p.getFileSystem().lookup(p, true);
        if (inode.type() != FileType.DIRECTORY) {
            throw new NotDirectoryException(p.toString());
        }
        return ReadOnlyViews.directoryStream(inode.children(),
                d -> p.child(PathNames.toText(d.nameBytes()), d.nid()), filter);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        ErofsPath p = toErofs(link);
        ErofsInode inode = p.getFileSystem().lookup(p, false);
        if (inode.type() != FileType.SYMLINK) {
            throw new NotLinkException(p.toString());
        }
        return new ErofsPath(p.getFileSystem(), PathNames.toText(inode.readSymlink()));
    }

    @Override
    public boolean isSameFile(Path a, Path b) throws IOException {
        ErofsPath pa = toErofs(a);
        if (a.equals(b)) {
            return true;
        }
        if (!(b instanceof ErofsPath pb) || pb.getFileSystem() != pa.getFileSystem()) {
            return false;
        }
        return pa.getFileSystem().lookup(pa, true).nid() == pb.getFileSystem().lookup(pb, true).nid();
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        ErofsPath p = toErofs(path);
        p.getFileSystem().lookup(p, true);
        return p.getFileSystem().store();
    }

    @Override
    protected void attributesCheck(Path path) {
        toErofs(path);
    }

    @Override
    protected ErofsFileAttributes attributes(Path path, boolean follow) throws IOException {
        ErofsPath p = toErofs(path);
        return new ErofsFileAttributes(p.getFileSystem().lookup(p, follow));
    }

    @Override
    protected Map<String, byte[]> xattrs(Path path, boolean follow) throws IOException {
        ErofsPath p = toErofs(path);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Xattr x : p.getFileSystem().lookup(p, follow).xattrs()) {
            out.put(x.name(), x.value());
        }
        return out;
    }
}
