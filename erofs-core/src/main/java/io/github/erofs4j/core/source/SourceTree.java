package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.FsTree;
import java.io.Closeable;
import java.io.IOException;

/**
 * A tree read from a source, with the temporary files that hold its contents (archive members read from a
 * stream are spooled to disk). Keep it open until the image is written, then close it to delete them.
 */
public final class SourceTree implements Closeable {
    private final FsTree tree;
    private final Closeable resources;
    private final SourceKind kind;
    private final Compression compression;

    SourceTree(FsTree tree, Closeable resources, SourceKind kind, Compression compression) {
        this.tree = tree;
        this.resources = resources;
        this.kind = kind;
        this.compression = compression;
    }

    /** The tree. */
    public FsTree tree() {
        return tree;
    }

    /** What the source was. */
    public SourceKind kind() {
        return kind;
    }

    /** The outermost compression of an archive source (NONE for directories). */
    public Compression compression() {
        return compression;
    }

    @Override
    public void close() throws IOException {
        if (resources != null) {
            resources.close();
        }
    }
}
