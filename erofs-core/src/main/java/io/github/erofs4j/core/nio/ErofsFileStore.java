package io.github.erofs4j.core.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Set;

/** The single, read-only store of an {@link ErofsFileSystem}. */
final class ErofsFileStore extends FileStore {
    static final Set<String> VIEWS = Set.of("basic", "posix", "unix", "owner", "user");

    private final ErofsFileSystem fs;

    ErofsFileStore(ErofsFileSystem fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        String label = fs.image().volumeLabel();
        return label.isEmpty() ? fs.toString() : label;
    }

    @Override
    public String type() {
        return "erofs";
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public long getTotalSpace() {
        return io.github.erofs4j.core.internal.Records.superBlock(fs.image()).blocks() * fs.image().blockSize();
    }

    @Override
    public long getUsableSpace() {
        return 0;
    }

    @Override
    public long getUnallocatedSpace() {
        return 0;
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class || type == UserDefinedFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return VIEWS.contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            default -> throw new UnsupportedOperationException("file store attribute " + attribute);
        };
    }
}
