package io.github.erofs4j.overlay;

import io.github.erofs4j.core.internal.ReadOnlyFileStore;

/** The single, read-only store of an {@link OverlayFileSystem}; it reports no space. */
final class OverlayFileStore extends ReadOnlyFileStore {
    private final OverlayFileSystem fs;

    OverlayFileStore(OverlayFileSystem fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return fs.toString();
    }

    @Override
    public String type() {
        return "overlay";
    }

    @Override
    public long getTotalSpace() {
        return 0;
    }
}
