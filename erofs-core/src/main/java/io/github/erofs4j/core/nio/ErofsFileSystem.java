package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.read.SymlinkLoopException;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.ReadOnlyFileSystem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A read-only {@link java.nio.file.FileSystem} over one EROFS image. Thread-safe; closing it closes the image.
 */
final class ErofsFileSystem extends ReadOnlyFileSystem {

    private final ErofsFileSystemProvider provider;
    private final Path imagePath;
    private final ErofsImage image;
    private final ErofsPath root;
    private final ErofsFileStore store;
    /** Directories by path (names joined by '/'), to skip walking from the root for every file. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> dirCache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DIR_CACHE_MAX = 16384;

    ErofsFileSystem(ErofsFileSystemProvider provider, Path imagePath, ErofsImage image) {
        super("an EROFS image");
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
    protected void closeResources() throws IOException {
        provider.removeFileSystem(this);
        image.close();
    }

    @Override
    protected ErofsPath root() {
        return root;
    }

    @Override
    protected ErofsFileStore store() {
        return store;
    }

    @Override
    protected ErofsPath newPath(String path) {
        return new ErofsPath(this, path);
    }

    /** Resolves a path to its inode, following symlinks in every component and, if asked, in the last one. */
    ErofsInode lookup(ErofsPath path, boolean followLast) throws IOException {
        ensureOpen();
        // Paths from directory listings carry their nid and skip resolution; the depth limit still holds for them,
        // so a walk through a directory loop (an entry naming an ancestor) ends instead of growing without bound.
        int depth = path.getNameCount();
        if (depth > image.options().maxPathDepth()) {
            throw io.github.erofs4j.core.ErofsFormatException.limit(-1, "path " + path, "maxPathDepth",
                    image.options().maxPathDepth(), depth);
        }
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
