package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.read.SymlinkLoopException;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.github.erofs4j.core.internal.Globs;

/**
 * A read-only {@link FileSystem} over one EROFS image. Thread-safe; closing it closes the image.
 */
final class ErofsFileSystem extends FileSystem {

    private final ErofsFileSystemProvider provider;
    private final Path imagePath;
    private final ErofsImage image;
    private final ErofsPath root;
    private final ErofsFileStore store;
    private volatile boolean open = true;
    /** Directories by path (names joined by '/'), to skip walking from the root for every file. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> dirCache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DIR_CACHE_MAX = 16384;

    ErofsFileSystem(ErofsFileSystemProvider provider, Path imagePath, ErofsImage image) {
        this.provider = provider;
        this.imagePath = imagePath;
        this.image = image;
        this.root = new ErofsPath(this, "/");
        this.store = new ErofsFileStore(this);
    }

    ErofsImage image() {
        return image;
    }

    Path imagePath() {
        return imagePath;
    }

    @Override
    public ErofsFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            provider.removeFileSystem(this);
            image.close();
        }
    }

    void ensureOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of(store);
    }

    ErofsFileStore store() {
        return store;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return ErofsFileStore.VIEWS;
    }

    @Override
    public Path getPath(String first, String... more) {
        if (more.length == 0) {
            return new ErofsPath(this, first);
        }
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        return new ErofsPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        return Globs.matcher(syntaxAndPattern);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("user principal lookup in an EROFS image");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("watching an EROFS image");
    }

    /** Resolves a path to its inode, following symlinks in every component and, if asked, in the last one. */
    ErofsInode lookup(ErofsPath path, boolean followLast) throws IOException {
        ensureOpen();
        if (path.knownNid() >= 0) {
            ErofsInode n = image.inode(path.knownNid());
            if (!followLast || n.type() != FileType.SYMLINK) {
                return n;
            }
        }
        ErofsPath abs = (ErofsPath) path.toAbsolutePath();
        List<String> names = abs.names();
        for (String n : names) {
            if (n.isEmpty() || n.equals(".") || n.equals("..")) {
                return resolve(path, followLast);
            }
        }
        try {
            return lookupClean(names, followLast);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(abs.toString());
        } catch (NotDirectoryException e) {
            throw new NotDirectoryException(abs.toString());
        }
    }

    /**
     * Resolution of a path without "." and ".." components, using the cache of directories: the image never
     * changes, so a path that once led to a directory always does.
     */
    private ErofsInode lookupClean(List<String> names, boolean followLast) throws IOException {
        if (names.isEmpty()) {
            return image.root();
        }
        List<String> parentNames = names.subList(0, names.size() - 1);
        ErofsInode dir = directory(parentNames);
        String last = names.get(names.size() - 1);
        Optional<DirEntry> e = dir.lookup(PathNames.fromText(last));
        if (e.isEmpty()) {
            throw new NoSuchFileException(last);
        }
        ErofsInode n = image.inode(e.get().nid());
        if (n.type() == FileType.SYMLINK && followLast) {
            return resolve(new ErofsPath(this, "/" + String.join("/", names)), true);
        }
        return n;
    }

    private ErofsInode directory(List<String> names) throws IOException {
        if (names.isEmpty()) {
            return image.root();
        }
        String key = String.join("/", names);
        Long nid = dirCache.get(key);
        if (nid != null) {
            return image.inode(nid);
        }
        ErofsInode d = lookupClean(names, true);
        if (d.type() != FileType.DIRECTORY) {
            throw new NotDirectoryException(key);
        }
        if (dirCache.size() >= DIR_CACHE_MAX) {
            dirCache.clear();
        }
        dirCache.put(key, d.nid());
        return d;
    }

    /** The canonical absolute path of a file: symlinks resolved, "." and ".." removed. */
    ErofsPath realPath(ErofsPath path, boolean followLast) throws IOException {
        ensureOpen();
        byte[] real = image.realPath(PathNames.fromText(path.toAbsolutePath().toString()), followLast);
        return new ErofsPath(this, PathNames.toText(real));
    }

    /** The reader's resolution; failures name the path as given. */
    private ErofsInode resolve(ErofsPath path, boolean followLast) throws IOException {
        ensureOpen();
        String abs = path.toAbsolutePath().toString();
        try {
            return image.resolve(PathNames.fromText(abs), followLast);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(abs);
        } catch (NotDirectoryException e) {
            throw new NotDirectoryException(abs);
        } catch (SymlinkLoopException e) {
            throw new SymlinkLoopException(abs);
        }
    }

    @Override
    public String toString() {
        return imagePath == null ? "erofs" : imagePath.toString();
    }
}
