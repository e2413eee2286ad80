package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.ReadOnlyViews;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider of one {@link OverlayFileSystem}, scheme {@code "overlay"}: not installed (a merged view has no URI);
 * each operation resolves its path in the view. Thread-safe.
 */
final class OverlayFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "overlay";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    static boolean follow(LinkOption... options) {
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                return false;
            }
        }
        return true;
    }

    private static OverlayPath check(Path p) {
        if (p == null) {
            throw new NullPointerException();
        }
        if (!(p instanceof OverlayPath o)) {
            throw new ProviderMismatchException();
        }
        return o;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("an overlay file system is made from a MergedView");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new FileSystemNotFoundException(uri.toString());
    }

    @Override
    public Path getPath(URI uri) {
        throw new FileSystemNotFoundException(uri.toString());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        OverlayPath p = check(path);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.DELETE_ON_CLOSE) {
                throw new ReadOnlyFileSystemException();
            }
        }
        OverlayFileSystem fs = p.getFileSystem();
        Node n = fs.lookup(p, !options.contains(LinkOption.NOFOLLOW_LINKS));
        if (n.type() == FileType.DIRECTORY) {
            throw new FileSystemException(p.toString(), null, "Is a directory");
        }
        if (n.type() == FileType.SYMLINK) {
            throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links (NOFOLLOW_LINKS)");
        }
        if (n.type() != FileType.REGULAR) {
            throw new FileSystemException(p.toString(), null, "Not a regular file: " + n.type());
        }
        ContentChannel[] self = new ContentChannel[1];
        self[0] = new ContentChannel(n.content(), () -> fs.untrack(self[0]));
        return fs.track(self[0]);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        OverlayPath p = check(dir);
        Node n = p.getFileSystem().lookup(p, true);
        if (n.type() != FileType.DIRECTORY) {
            throw new NotDirectoryException(p.toString());
        }
        List<byte[]> names = List.copyOf(n.children().keySet());
        return ReadOnlyViews.directoryStream(names, name -> p.resolve(PathNames.toText(name)), filter);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        OverlayPath p = check(link);
        Node n = p.getFileSystem().lookup(p, false);
        if (n.type() != FileType.SYMLINK) {
            throw new NotLinkException(p.toString());
        }
        return new OverlayPath(p.getFileSystem(), PathNames.toText(n.symlinkTarget()));
    }

    @Override
    public boolean isSameFile(Path a, Path b) throws IOException {
        OverlayPath pa = check(a);
        if (a.equals(b)) {
            return true;
        }
        if (!(b instanceof OverlayPath pb) || pb.getFileSystem() != pa.getFileSystem()) {
            return false;
        }
        OverlayFileSystem fs = pa.getFileSystem();
        return fs.sameFile(fs.lookup(pa, true), fs.lookup(pb, true));
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = check(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        OverlayPath p = check(path);
        p.getFileSystem().lookup(p, true);
        return p.getFileSystem().store();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        OverlayPath p = check(path);
        Node n = p.getFileSystem().lookup(p, true);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(p.toString(), null, "read-only file system");
            }
            if (m == AccessMode.EXECUTE && (n.mode() & 0111) == 0) {
                throw new AccessDeniedException(p.toString(), null, "no execute permission");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        OverlayPath p = check(path);
        boolean follow = follow(options);
        if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class) {
            String name = type == BasicFileAttributeView.class ? "basic"
                    : type == PosixFileAttributeView.class ? "posix" : "owner";
            return (V) ReadOnlyViews.posixView(name, () -> attributes(p, follow));
        }
        if (type == UserDefinedFileAttributeView.class) {
            return (V) ReadOnlyViews.userView(p, () -> p.getFileSystem().lookup(p, follow).xattrs());
        }
        return null;
    }

    private static OverlayAttributes attributes(OverlayPath p, boolean follow) throws IOException {
        OverlayFileSystem fs = p.getFileSystem();
        return fs.attributes(fs.lookup(p, follow));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            return (A) attributes(check(path), follow(options));
        }
        throw new UnsupportedOperationException("attributes " + type.getName());
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        OverlayPath p = check(path);
        boolean follow = follow(options);
        return ReadOnlyViews.readAttributes(attributes, () -> attributes(p, follow),
                () -> p.getFileSystem().lookup(p, follow).xattrs());
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createLink(Path link, Path existing) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
