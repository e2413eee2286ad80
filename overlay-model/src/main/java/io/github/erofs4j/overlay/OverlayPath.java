package io.github.erofs4j.overlay;

import io.github.erofs4j.core.internal.ReadOnlyProvider;
import io.github.erofs4j.core.internal.SlashPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** A path in an {@link OverlayFileSystem}. Immutable; syntactic operations never touch the view. */
final class OverlayPath extends SlashPath {
    private final OverlayFileSystem fs;

    OverlayPath(OverlayFileSystem fs, String path) {
        super(path);
        this.fs = fs;
    }

    @Override
    protected OverlayPath make(String path) {
        return new OverlayPath(fs, path);
    }

    @Override
    public OverlayFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public URI toUri() {
        throw new UnsupportedOperationException("a merged overlay view has no URI");
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.resolve(this, ReadOnlyProvider.follow(options)).path();
    }
}
