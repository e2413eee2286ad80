package io.github.erofs4j.core.source;

import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a directory tree from the file system into an {@link FsTree}: types, permissions, owners, nanosecond
 * mtimes, device numbers, hard links (by device and inode number) and xattrs. Symlinks are never followed.
 * File contents are not read here, only referenced, so the tree stays small.
 *
 * <p>Directories are read in parallel ({@link SourceOptions#workers()}); each directory's children are added by
 * one thread, and children are kept sorted by name, so the tree does not depend on timing or listing order.
 *
 * <p>Xattrs of every namespace are read through the JNA-based {@code core.posix} helper; without it the JDK can
 * only read the {@code user.} namespace of regular files and directories, and a warning says so once.
 */
public final class DirectorySource {
    private DirectorySource() {}

    /** Reads {@code dir} into a new tree. */
    public static FsTree read(Path dir, SourceOptions options) throws IOException {
        FsTree tree = new FsTree();
        read(dir, tree, options);
        return tree;
    }

    /** Reads {@code dir} into {@code tree}, the directory itself giving the root's attributes. */
    public static void read(Path dir, FsTree tree, SourceOptions options) throws IOException {
        BasicFileAttributes rootAttrs = Files.readAttributes(dir, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!rootAttrs.isDirectory()) {
            throw new IOException(dir + ": not a directory");
        }
        Walker w = new Walker(dir, options);
        Node rootAttrsNode = w.node(dir);
        tree.root().copyAttributesFrom(rootAttrsNode);
        if (options.workers() <= 1) {
            try {
                w.scan(dir, tree.root(), "", null);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(options.workers());
        try {
            pool.invoke(w.task(dir, tree.root(), ""));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class Walker {
        private static final String ATTRS = "unix:mode,uid,gid,nlink,ino,dev,rdev,size,lastModifiedTime";
        private final Path base;
        private final SourceOptions opt;
        private final ConcurrentHashMap<List<Long>, Node> links = new ConcurrentHashMap<>();
        private final XattrSource xattrSource = XattrSource.platform();
        /** The native helper when it can stat (one system call, no attribute map), else null: the JDK does it. */
        private final Posix posix = statHelper();
        private final AtomicBoolean warnedXattrs = new AtomicBoolean();

        Walker(Path base, SourceOptions opt) {
            this.base = base;
            this.opt = opt;
        }

        private static Posix statHelper() {
            try {
                Posix px = Posix.get();
                return px.available() && px.lstatAvailable() ? px : null;
            } catch (LinkageError e) {
                return null;
            }
        }

        RecursiveAction task(Path dir, Node node, String rel) {
            return new RecursiveAction() {
                @Override
                protected void compute() {
                    List<RecursiveAction> subs = new ArrayList<>();
                    scan(dir, node, rel, subs);
                    invokeAll(subs);
                }
            };
        }

        /** Adds the children of one directory; subdirectories go to {@code subs}, or are scanned now if null. */
        void scan(Path dir, Node dirNode, String rel, List<RecursiveAction> subs) {
            List<Object[]> subdirs = new ArrayList<>();
            // Failures about one child name that child already; only the directory's own are prefixed here.
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path c : ds) {
                    String name = c.getFileName().toString();
                    String crel = rel.isEmpty() ? name : rel + "/" + name;
                    if (opt.exclude().test(crel)) {
                        continue;
                    }
                    Node n = child(c);
                    if (n == null) {
                        continue;
                    }
                    byte[] nb = name.getBytes(StandardCharsets.UTF_8);
                    if (nb.length > 255) {
                        throw new UncheckedIOException(new IOException(c + ": name over 255 bytes (" + nb.length + ")"));
                    }
                    dirNode.put(nb, n);
                    if (n.type() == FileType.DIRECTORY) {
                        subdirs.add(new Object[] {c, n, crel});
                    }
                }
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw new UncheckedIOException(new IOException(dir + ": cannot read: " + e.getCause().getMessage(),
                        e.getCause()));
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException(dir + ": cannot read: " + e.getMessage(), e));
            }
            for (Object[] s : subdirs) {
                if (subs == null) {
                    scan((Path) s[0], (Node) s[1], (String) s[2], null);
                } else {
                    subs.add(task((Path) s[0], (Node) s[1], (String) s[2]));
                }
            }
        }

        /** {@link #node} of one child, whose failures name the child's path. */
        private Node child(Path c) {
            try {
                return node(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * What the walk needs of one path's attributes, from {@code statx} or from the JDK; {@code dev} and
         * {@code ino} identify hard links.
         */
        private record Attrs(int mode, long uid, long gid, long nlink, long dev, long ino, long size,
                long mtimeSeconds, int mtimeNanos, int rdevMajor, int rdevMinor) {
            List<Long> linkKey() {
                return List.of(dev, ino);
            }
        }

        private Attrs attrs(Path p) throws IOException {
            if (posix != null) {
                Posix.Stat st = posix.lstat(p);
                return new Attrs(st.mode(), st.uid(), st.gid(), st.nlink(),
                        ((long) st.devMajor() << 32) | (st.devMinor() & 0xFFFFFFFFL), st.ino(), st.size(),
                        st.mtimeSeconds(), st.mtimeNanos(), st.rdevMajor(), st.rdevMinor());
            }
            Map<String, Object> a;
            try {
                // Named attributes only: "unix:*" would also resolve owner and group names, a lookup per file.
                a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new IOException(p + ": cannot read attributes: " + e.getMessage(), e);
            }
            Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
            long rdev = (Long) a.get("rdev");
            int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
            int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
            return new Attrs((Integer) a.get("mode"), ((Integer) a.get("uid")) & 0xFFFFFFFFL,
                    ((Integer) a.get("gid")) & 0xFFFFFFFFL, (Integer) a.get("nlink"),
                    (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"), mtime.getEpochSecond(),
                    mtime.getNano(), major, minor);
        }

        /** A node for one path (a fresh directory node for directories), or null for an unknown type. */
        Node node(Path p) throws IOException {
            Attrs a = attrs(p);
            int mode = a.mode();
            int type = mode & 0170000;
            Node n;
            switch (type) {
                case 0040000 -> n = Node.directory();
                case 0100000 -> n = Node.file(FileContent.of(p, a.size()));
                case 0120000 -> n = Node.symlink(
                        Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                case 0020000 -> n = Node.charDevice(a.rdevMajor(), a.rdevMinor());
                case 0060000 -> n = Node.blockDevice(a.rdevMajor(), a.rdevMinor());
                case 0010000 -> n = Node.fifo();
                case 0140000 -> n = Node.socket();
                default -> {
                    opt.warn(p.toString(), "skipped: unknown file type " + Integer.toOctalString(type));
                    return null;
                }
            }
            List<Long> key = null;
            if (type != 0040000 && opt.hardlinks() && a.nlink() > 1) {
                key = a.linkKey();
                Node prev = links.get(key);
                if (prev != null) {
                    return prev;
                }
            }
            n.permissions(mode & 07777).owner(a.uid(), a.gid()).mtime(a.mtimeSeconds(), a.mtimeNanos());
            if (opt.xattrs()) {
                Map<String, byte[]> xattrs = readXattrs(p, type != 0100000 && type != 0040000);
                if (!xattrs.isEmpty()) {
                    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
                        if (x.getValue().length <= 0xFFFF) {
                            n.xattr(x.getKey(), x.getValue());
                        } else {
                            opt.warn(p.toString(), "xattr " + x.getKey() + " over 64 KiB dropped");
                        }
                    }
                }
            }
            if (key != null) {
                // Two threads may meet the same inode: both built equal nodes; everyone uses the first one kept.
                Node prev = links.putIfAbsent(key, n);
                return prev != null ? prev : n;
            }
            return n;
        }

        private Map<String, byte[]> readXattrs(Path p, boolean special) throws IOException {
            if (xattrSource != null) {
                try {
                    return xattrSource.read(p);
                } catch (IOException e) {
                    throw new IOException(p + ": cannot read xattrs: " + e.getMessage(), e);
                }
            }
            if (warnedXattrs.compareAndSet(false, true)) {
                opt.warn(base.toString(), "only user.* xattrs can be read without the native helper (JNA); "
                        + "trusted.* and security.* xattrs are not copied");
            }
            if (special) {
                // The JDK opens the file to read xattrs: that would follow symlinks and block on FIFOs.
                return Map.of();
            }
            Map<String, byte[]> out = new TreeMap<>();
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (v == null) {
                return out;
            }
            try {
                for (String name : v.list()) {
                    ByteBuffer b = ByteBuffer.allocate(v.size(name));
                    v.read(name, b);
                    out.put("user." + name, java.util.Arrays.copyOf(b.array(), b.position()));
                }
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                return out;
            }
            return out;
        }
    }
}
