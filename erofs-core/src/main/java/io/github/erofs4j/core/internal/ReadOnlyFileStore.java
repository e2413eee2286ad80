package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The store of a read-only file system with the views of {@link ReadOnlyViews}: no usable or free space.
 * Subclasses give the name, type and total space.
 */
public abstract class ReadOnlyFileStore extends FileStore {
    protected ReadOnlyFileStore() {}

    @Override
    public final boolean isReadOnly() {
        return true;
    }

    @Override
    public final long getUsableSpace() {
        return 0;
    }

    @Override
    public final long getUnallocatedSpace() {
        return 0;
    }

    @Override
    public final boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class || type == UserDefinedFileAttributeView.class;
    }

    @Override
    public final boolean supportsFileAttributeView(String name) {
        return ReadOnlyViews.VIEWS.contains(name);
    }

    @Override
    public final <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public final Object getAttribute(String attribute) throws IOException {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            default -> throw new UnsupportedOperationException("file store attribute " + attribute);
        };
    }
}
