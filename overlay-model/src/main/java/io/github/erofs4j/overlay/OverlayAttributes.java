package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.PosixAttributes;
import io.github.erofs4j.core.write.Node;
import java.time.Instant;

/** The attributes of one entry of a merged view, as a mount shows them. Immutable (the view never changes). */
final class OverlayAttributes extends PosixAttributes {
    private final Node node;
    private final long ino;
    private final int nlink;

    OverlayAttributes(Node node, long ino, int nlink) {
        this.node = node;
        this.ino = ino;
        this.nlink = nlink;
    }

    @Override
    protected FileType type() {
        return node.type();
    }

    @Override
    protected int mode() {
        return node.mode();
    }

    @Override
    protected long uid() {
        return node.uid();
    }

    @Override
    protected long gid() {
        return node.gid();
    }

    @Override
    protected Instant mtime() {
        return Instant.ofEpochSecond(node.mtimeSeconds(), node.mtimeNanos());
    }

    @Override
    protected long ino() {
        return ino;
    }

    @Override
    protected long nlink() {
        return nlink;
    }

    @Override
    protected int rdevMajor() {
        return node.rdevMajor();
    }

    @Override
    protected int rdevMinor() {
        return node.rdevMinor();
    }

    @Override
    public long size() {
        return node.size();
    }

    /** The inode number: hard links of a layer share it, as they share their node. */
    @Override
    public Object fileKey() {
        return ino;
    }
}
