package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.internal.Messages;
import io.github.erofs4j.core.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A directory of the target: the root, or a name inside a parent directory.
 *
 * <p>With the native helper it is reached through an open file descriptor, opened from its parent's descriptor with
 * {@code O_NOFOLLOW}, never by a path: a symlink put in its place later cannot redirect what is written into it.
 * The descriptor stays open while someone {@linkplain #acquire() holds} it and is closed when the last hold is
 * released (the root's stays open until the end), so only the directories in use are open at a time. Opened again,
 * it must still be the same directory (device and inode), or the extraction stops writing into it.
 *
 * <p>Without the native helper it is a Java path (see {@link PathTargetWriter}). Thread-safe.
 */
final class TargetDir {
    /** The parent directory; null for the root. */
    final TargetDir parent;
    /** The name inside the parent, checked by the walk; the root's is empty. */
    final byte[] name;
    /** Whether this extraction created it (rather than finding it there). */
    final boolean created;
    /** The Java path, when written without the native helper; else null. */
    final Path path;
    private final Posix posix;
    private final String rootText;

    private int fd = -1;
    private int holds;
    /** Device and inode, known once it was opened. */
    private long dev = -1;
    private long ino;
    /** Whether it holds its parent open until it is first opened itself. */
    private boolean holdsParent;

    private TargetDir(TargetDir parent, byte[] name, boolean created, Path path, Posix posix, String rootText) {
        this.parent = parent;
        this.name = name;
        this.created = created;
        this.path = path;
        this.posix = posix;
        this.rootText = rootText;
    }

    /** The root, already open as {@code fd}, which stays open until {@link #closeRoot()}. */
    static TargetDir root(Path root, Posix posix, int fd) throws IOException {
        TargetDir d = new TargetDir(null, new byte[0], false, null, posix, root.toString());
        d.fd = fd;
        d.holds = 1;
        d.identify();
        return d;
    }

    /** The root of a target written through Java paths. */
    static TargetDir rootPath(Path root) {
        return new TargetDir(null, new byte[0], false, root, null, root.toString());
    }

    /**
     * A directory inside this one, not opened yet. It keeps this one open until it is first opened, so that opening
     * it does not have to open its ancestors again.
     */
    TargetDir child(byte[] childName, boolean createdHere) {
        TargetDir d = new TargetDir(this, childName, createdHere, null, posix, rootText);
        if (posix != null) {
            synchronized (this) {
                if (fd >= 0) {
                    holds++;
                    d.holdsParent = true;
                }
            }
        }
        return d;
    }

    /** A directory inside this one, written through Java paths. */
    TargetDir childPath(byte[] childName, Path childPath, boolean createdHere) {
        return new TargetDir(this, childName, createdHere, childPath, null, rootText);
    }

    /** Opens the directory if needed and holds it open; returns its descriptor. Pair with {@link #release()}. */
    synchronized int acquire() throws IOException {
        if (posix == null) {
            return -1;
        }
        if (fd < 0) {
            try {
                int pfd = parent.acquire();
                try {
                    fd = posix.openDirectoryAt(pfd, name);
                } finally {
                    parent.release();
                }
                try {
                    identify();
                } catch (IOException e) {
                    posix.close(fd);
                    fd = -1;
                    throw e;
                }
            } finally {
                if (holdsParent) {
                    holdsParent = false;
                    parent.release();
                }
            }
        }
        holds++;
        return fd;
    }

    /** Gives up one hold; the last one closes the descriptor (never the root's). */
    synchronized void release() throws IOException {
        if (posix == null) {
            return;
        }
        if (--holds == 0 && parent != null) {
            int f = fd;
            fd = -1;
            posix.close(f);
        }
    }

    /** Closes the root's descriptor at the end. */
    synchronized void closeRoot() throws IOException {
        if (posix != null && fd >= 0) {
            int f = fd;
            fd = -1;
            posix.close(f);
        }
    }

    /** Records device and inode at the first opening, and checks them at every later one. */
    private void identify() throws IOException {
        FileKey k = FileKey.of(posix.fstat(fd));
        if (dev == -1) {
            dev = k.dev();
            ino = k.ino();
        } else if (dev != k.dev() || ino != k.ino()) {
            throw new java.nio.file.FileSystemException(text(), null,
                    "was replaced by another directory during the extraction; not writing into it");
        }
    }

    /** Device and inode, the directory's identity; valid once it was opened. */
    synchronized FileKey key() {
        return new FileKey(dev, ino);
    }

    /** A directory's identity on the target's file systems. */
    record FileKey(long dev, long ino) {
        static FileKey of(Posix.Stat st) {
            return new FileKey((long) st.devMajor() << 32 | (st.devMinor() & 0xFFFFFFFFL), st.ino());
        }

        // Written out: a record's generated methods go through method handles, which C1 does not inline.
        @Override
        public boolean equals(Object o) {
            return o instanceof FileKey k && dev == k.dev && ino == k.ino;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dev * 31 + ino);
        }
    }

    /** The target path of this directory, for messages. */
    String text() {
        if (parent == null) {
            return rootText;
        }
        return parent.text() + "/" + Messages.safe(new String(name, StandardCharsets.UTF_8));
    }

    /** The target path of an entry of this directory, for messages. */
    String text(byte[] entry) {
        return text() + "/" + Messages.safe(new String(entry, StandardCharsets.UTF_8));
    }
}
