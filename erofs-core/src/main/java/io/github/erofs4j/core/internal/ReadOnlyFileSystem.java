package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * What every read-only, single-root, '/'-separated {@link FileSystem} of erofs4j has in common: the open state, the
 * root and the one store, path joining, glob and regex matchers, and the operations such a file system refuses.
 * Subclasses make their paths and resolve them; {@link #closeResources()} releases what they hold, once.
 */
public abstract class ReadOnlyFileSystem extends FileSystem {

    private final String what;
    private volatile boolean open = true;

    /** @param what how messages name the file system ("an EROFS image"), after "watching" and the like */
    protected ReadOnlyFileSystem(String what) {
        this.what = what;
    }

    /** The root directory, "/". */
    protected abstract Path root();

    /** The file system's only store. */
    protected abstract FileStore store();

    /** A path of this file system from its text. */
    protected abstract Path newPath(String path);

    /** Releases what the file system holds; called once, by the first {@link #close()}. */
    protected abstract void closeResources() throws IOException;

    @Override
    public final void close() throws IOException {
        if (open) {
            open = false;
            closeResources();
        }
    }

    /** @throws ClosedFileSystemException once closed */
    public final void ensureOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final boolean isReadOnly() {
        return true;
    }

    @Override
    public final String getSeparator() {
        return "/";
    }

    @Override
    public final Iterable<Path> getRootDirectories() {
        return List.of(root());
    }

    @Override
    public final Iterable<FileStore> getFileStores() {
        return List.of(store());
    }

    @Override
    public final Set<String> supportedFileAttributeViews() {
        return ReadOnlyViews.VIEWS;
    }

    /** The names joined by '/', empty ones skipped (as the default file system does). */
    @Override
    public final Path getPath(String first, String... more) {
        if (more.length == 0) {
            return newPath(first);
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
        return newPath(sb.toString());
    }

    @Override
    public final PathMatcher getPathMatcher(String syntaxAndPattern) {
        return Globs.matcher(syntaxAndPattern);
    }

    @Override
    public final UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("user principal lookup in " + what);
    }

    @Override
    public final WatchService newWatchService() {
        throw new UnsupportedOperationException("watching " + what);
    }
}
