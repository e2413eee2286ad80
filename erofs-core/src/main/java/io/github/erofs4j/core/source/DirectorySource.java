package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a directory tree from the file system into an {@link FsTree}: types, permissions, owners, nanosecond
 * mtimes, device numbers, hard links (by device and inode number) and xattrs. Symlinks are never followed.
 * File contents are not read here, only referenced, so the tree stays small.
 *
 * <p>Xattrs: without a platform helper the JDK can only read the {@code user.} namespace; {@code trusted.} and
 * {@code security.} need the Linux calls of the optional JNA-based helper. A warning says so once when xattrs of
 * other namespaces may have been missed.
 */
public final class DirectorySource {
    private DirectorySource() {}

    /** Reads {@code dir} into a new tree. */
    public static FsTree read(Path dir, SourceOptions options) throws IOException {
        FsTree tree = new FsTree();
        read(dir, tree, options);
        return tree;
    }

    /** Reads {@code dir} into {@code tree}, the directory itself becoming the root's attributes. */
    public static void read(Path dir, FsTree tree, SourceOptions options) throws IOException {
        BasicFileAttributes rootAttrs = Files.readAttributes(dir, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!rootAttrs.isDirectory()) {
            throw new IOException(dir + ": not a directory");
        }
        new Walker(dir, tree, options).walk();
    }

    private static final class Walker {
        private final Path base;
        private final FsTree tree;
        private final SourceOptions opt;
        private final Map<Long, Map<Long, Node>> links = new HashMap<>();
        private final Map<Path, Node> dirs = new HashMap<>();
        private final XattrSource xattrSource = XattrSource.platform();
        private boolean warnedXattrs;

        Walker(Path base, FsTree tree, SourceOptions opt) {
            this.base = base;
            this.tree = tree;
            this.opt = opt;
        }

        void walk() throws IOException {
            Files.walkFileTree(base, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(base) && opt.exclude().test(rel(d))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    add(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (!opt.exclude().test(rel(f))) {
                        add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    throw new IOException(f + ": cannot read: " + e.getMessage(), e);
                }
            });
        }

        private String rel(Path p) {
            return base.relativize(p).toString();
        }

        private void add(Path p) throws IOException {
            Map<String, Object> a;
            try {
                // Named attributes only: "unix:*" would also resolve owner and group names, a lookup per file.
                a = Files.readAttributes(p, "unix:mode,uid,gid,nlink,ino,dev,rdev,size,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new IOException(p + ": cannot read attributes: " + e.getMessage(), e);
            }
            int mode = (Integer) a.get("mode");
            long uid = ((Integer) a.get("uid")) & 0xFFFFFFFFL;
            long gid = ((Integer) a.get("gid")) & 0xFFFFFFFFL;
            Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
            int type = mode & 0170000;
            Node n;
            boolean linkable = false;
            switch (type) {
                case 0040000 -> n = Node.directory();
                case 0100000 -> {
                    n = Node.file(FileContent.of(p, (Long) a.get("size")));
                    linkable = true;
                }
                case 0120000 -> {
                    byte[] target = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8);
                    n = Node.symlink(target);
                    linkable = true;
                }
                case 0020000, 0060000 -> {
                    long rdev = (Long) a.get("rdev");
                    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                    n = type == 0020000 ? Node.charDevice(major, minor) : Node.blockDevice(major, minor);
                    linkable = true;
                }
                case 0010000 -> {
                    n = Node.fifo();
                    linkable = true;
                }
                case 0140000 -> {
                    n = Node.socket();
                    linkable = true;
                }
                default -> {
                    opt.warn(p.toString(), "skipped: unknown file type " + Integer.toOctalString(type));
                    return;
                }
            }
            if (linkable && opt.hardlinks() && ((Integer) a.get("nlink")) > 1) {
                long dev = (Long) a.get("dev");
                long ino = (Long) a.get("ino");
                Node prev = links.computeIfAbsent(dev, k -> new HashMap<>()).get(ino);
                if (prev != null) {
                    put(p, prev);
                    return;
                }
                links.get(dev).put(ino, n);
            }
            n.permissions(mode & 07777).owner(uid, gid).mtime(mtime);
            if (opt.xattrs()) {
                for (Map.Entry<String, byte[]> x : readXattrs(p, type != 0100000 && type != 0040000).entrySet()) {
                    if (x.getValue().length <= 0xFFFF) {
                        n.xattr(x.getKey(), x.getValue());
                    } else {
                        opt.warn(p.toString(), "xattr " + x.getKey() + " over 64 KiB dropped");
                    }
                }
            }
            put(p, n);
        }

        private void put(Path p, Node n) {
            if (p.equals(base)) {
                tree.root().copyAttributesFrom(n);
                dirs.put(p, tree.root());
                return;
            }
            Node parent = dirs.get(p.getParent());
            parent.put(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), n);
            if (n.type() == io.github.erofs4j.core.write.NodeType.DIRECTORY) {
                dirs.put(p, n);
            }
        }

        private Map<String, byte[]> readXattrs(Path p, boolean special) throws IOException {
            if (xattrSource != null) {
                try {
                    return xattrSource.read(p);
                } catch (IOException e) {
                    throw new IOException(p + ": cannot read xattrs: " + e.getMessage(), e);
                }
            }
            if (!warnedXattrs) {
                warnedXattrs = true;
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
