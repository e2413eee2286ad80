package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.internal.SlashPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A path in an {@link ErofsFileSystem}: '/'-separated names, absolute when it starts with '/'. Immutable;
 * syntactic operations never touch the image.
 */
final class ErofsPath extends SlashPath {
    private final ErofsFileSystem fs;
    /** The nid this path names, when it came from a directory listing (the image never changes); else -1. */
    private final long nid;

    ErofsPath(ErofsFileSystem fs, String path) {
        this(fs, path, -1);
    }

    ErofsPath(ErofsFileSystem fs, String path, long nid) {
        super(path);
        this.fs = fs;
        this.nid = nid;
    }

    @Override
    protected ErofsPath make(String path) {
        return new ErofsPath(fs, path);
    }

    /** The nid recorded by the directory listing that produced this path, or -1. */
    long knownNid() {
        return nid;
    }

    /** This path resolved against a child name, remembering the child's nid. */
    ErofsPath child(String name, long childNid) {
        String path = pathString();
        return new ErofsPath(fs, path.equals("/") ? "/" + name : path.isEmpty() ? name : path + "/" + name,
                childNid);
    }

    @Override
    public ErofsFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public URI toUri() {
        return fs.provider().uriOf(fs, ((ErofsPath) toAbsolutePath()).pathString());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.realPath(this, ErofsFileSystemProvider.follow(options));
    }
}
