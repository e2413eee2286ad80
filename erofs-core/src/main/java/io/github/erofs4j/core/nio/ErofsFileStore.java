package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.internal.ReadOnlyFileStore;
import io.github.erofs4j.core.internal.ReadOnlyViews;
import java.util.Set;

/** The single, read-only store of an {@link ErofsFileSystem}. */
final class ErofsFileStore extends ReadOnlyFileStore {
    static final Set<String> VIEWS = ReadOnlyViews.VIEWS;

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
    public long getTotalSpace() {
        return io.github.erofs4j.core.internal.Records.superBlock(fs.image()).blocks() * fs.image().blockSize();
    }
}
