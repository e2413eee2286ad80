package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
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
import java.util.Map;
import java.util.Set;

/**
 * What the providers of erofs4j's read-only file systems share: attribute views and maps over a file's
 * {@link PosixAttributes} and xattrs, access checks, and refusing every write with
 * {@link ReadOnlyFileSystemException}. Subclasses resolve paths and open files. Thread-safe if they are.
 */
public abstract class ReadOnlyProvider extends FileSystemProvider {
    protected ReadOnlyProvider() {}

    /** Whether symlinks are followed: no {@link LinkOption#NOFOLLOW_LINKS} among the options. */
    public static boolean follow(LinkOption... options) {
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                return false;
            }
        }
        return true;
    }

    /** Refuses open options that would write. */
    protected static void refuseWrites(Set<? extends OpenOption> options) {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.DELETE_ON_CLOSE) {
                throw new ReadOnlyFileSystemException();
            }
        }
    }

    /**
     * The attributes of the file a path names.
     *
     * @throws java.nio.file.ProviderMismatchException for a path of another provider
     */
    protected abstract PosixAttributes attributes(Path path, boolean follow) throws IOException;

    /** All xattrs of the file a path names, by full name. */
    protected abstract Map<String, byte[]> xattrs(Path path, boolean follow) throws IOException;

    @Override
    public final boolean isHidden(Path path) {
        attributesCheck(path);
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** Lets the subclass refuse a path of another provider before anything is read. */
    protected abstract void attributesCheck(Path path);

    @Override
    public final void checkAccess(Path path, AccessMode... modes) throws IOException {
        PosixAttributes a = attributes(path, true);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(path.toString(), null, "read-only file system");
            }
            if (m == AccessMode.EXECUTE && (a.mode() & 0111) == 0) {
                throw new AccessDeniedException(path.toString(), null, "no execute permission");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
            LinkOption... options) {
        attributesCheck(path);
        boolean follow = follow(options);
        if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class) {
            String name = type == BasicFileAttributeView.class ? "basic"
                    : type == PosixFileAttributeView.class ? "posix" : "owner";
            return (V) ReadOnlyViews.posixView(name, () -> attributes(path, follow));
        }
        if (type == UserDefinedFileAttributeView.class) {
            return (V) ReadOnlyViews.userView(path, () -> xattrs(path, follow));
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            return (A) attributes(path, follow(options));
        }
        throw new UnsupportedOperationException("attributes " + type.getName());
    }

    @Override
    public final Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        boolean follow = follow(options);
        return ReadOnlyViews.readAttributes(attributes, () -> attributes(path, follow), () -> xattrs(path, follow));
    }

    @Override
    public final void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void createLink(Path link, Path existing) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public final void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
