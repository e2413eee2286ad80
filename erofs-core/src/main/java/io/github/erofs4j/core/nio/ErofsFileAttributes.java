package io.github.erofs4j.core.nio;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.PosixAttributes;
import io.github.erofs4j.core.read.ErofsInode;
import java.time.Instant;

/**
 * The attributes of one inode: basic and POSIX, plus the "unix" view's extra fields. Immutable: a snapshot of
 * the (immutable) inode.
 */
final class ErofsFileAttributes extends PosixAttributes {
    private final ErofsInode inode;

    ErofsFileAttributes(ErofsInode inode) {
        this.inode = inode;
    }

    @Override
    protected FileType type() {
        return inode.type();
    }

    @Override
    protected int mode() {
        return inode.mode();
    }

    @Override
    protected long uid() {
        return inode.uid();
    }

    @Override
    protected long gid() {
        return inode.gid();
    }

    @Override
    protected Instant mtime() {
        return inode.mtime();
    }

    @Override
    protected long ino() {
        return inode.nid();
    }

    @Override
    protected long nlink() {
        return inode.nlink();
    }

    @Override
    protected int rdevMajor() {
        return inode.rdevMajor();
    }

    @Override
    protected int rdevMinor() {
        return inode.rdevMinor();
    }

    @Override
    public long size() {
        return inode.size();
    }

    @Override
    public Object fileKey() {
        return inode.nid();
    }
}
