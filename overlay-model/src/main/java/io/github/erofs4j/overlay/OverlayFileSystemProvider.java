package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.ReadOnlyProvider;
import io.github.erofs4j.core.internal.ReadOnlyViews;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
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
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider of one {@link OverlayFileSystem}, scheme {@code "overlay"}: not installed (a merged view has no URI);
 * each operation resolves its path in the view. Thread-safe.
 */
final class OverlayFileSystemProvider extends ReadOnlyProvider {
    static final String SCHEME = "overlay";

    @Override
    public String getScheme() {
        return SCHEME;
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
        refuseWrites(options);
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
    public FileStore getFileStore(Path path) throws IOException {
        OverlayPath p = check(path);
        p.getFileSystem().lookup(p, true);
        return p.getFileSystem().store();
    }

    @Override
    protected void attributesCheck(Path path) {
        check(path);
    }

    @Override
    protected OverlayAttributes attributes(Path path, boolean follow) throws IOException {
        OverlayPath p = check(path);
        OverlayFileSystem fs = p.getFileSystem();
        return fs.attributes(fs.lookup(p, follow));
    }

    @Override
    protected Map<String, byte[]> xattrs(Path path, boolean follow) throws IOException {
        OverlayPath p = check(path);
        return p.getFileSystem().lookup(p, follow).xattrs();
    }
}
