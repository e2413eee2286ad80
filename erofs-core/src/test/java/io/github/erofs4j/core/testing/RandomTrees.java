package io.github.erofs4j.core.testing;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.posix.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random trees for the writer's properties: names of 1-255 bytes with UTF-8, every file type, hard links across
 * directories, xattrs (user, trusted, security; values up to 1 KiB; some repeated enough to be shared), sizes
 * around block boundaries, sparse-looking files, ids above 65535, nanosecond mtimes, and sometimes a directory of
 * 1000 entries. Plus the manifest the kernel should show for a tree, and a way to put the tree on disk.
 */
public final class RandomTrees {
    private static final String[] PIECES = {
        "a", "b", "z", "A", "0", "9", "-", "_", ".", " ", "!", "#", "+", ",", "é", "ß", "日本", "語", "🙂", "Ωμ", "x",
        "long", "name", "~", "=", "@"
    };

    private RandomTrees() {}

    /** Generation knobs. */
    public record Shape(int entries, boolean bigDir, int blockSize, boolean sockets) {}

    public static FsTree generate(long seed, Shape shape) {
        Random r = new Random(seed);
        FsTree tree = new FsTree();
        List<Node> dirs = new ArrayList<>();
        dirs.add(tree.root());
        attrs(r, tree.root(), true);
        List<Node> linkable = new ArrayList<>();
        byte[][] sharedValues = new byte[3][];
        for (int i = 0; i < sharedValues.length; i++) {
            sharedValues[i] = bytes(r, 1 + r.nextInt(200));
        }
        int bs = shape.blockSize();
        for (int i = 0; i < shape.entries(); i++) {
            Node parent = dirs.get(r.nextInt(dirs.size()));
            byte[] name = name(r);
            if (parent.child(name) != null) {
                continue;
            }
            int kind = r.nextInt(20);
            Node n;
            if (kind < 4) {
                n = Node.directory();
                dirs.add(n);
            } else if (kind < 12) {
                n = Node.file(content(r, bs));
            } else if (kind < 14) {
                int len = r.nextInt(10) == 0 ? bs + r.nextInt(300) : 1 + r.nextInt(120);
                n = Node.symlink(target(r, len));
            } else if (kind == 14) {
                n = r.nextBoolean() ? Node.charDevice(r.nextInt(4096), r.nextInt(1 << 20))
                        : Node.blockDevice(r.nextInt(4096), r.nextInt(1 << 20));
            } else if (kind == 15) {
                n = Node.charDevice(0, 0); // an overlayfs whiteout
            } else if (kind == 16) {
                n = Node.fifo();
            } else if (kind == 17 && shape.sockets()) {
                n = Node.socket();
            } else if (kind >= 18 && !linkable.isEmpty()) {
                parent.put(name, linkable.get(r.nextInt(linkable.size())));
                continue;
            } else {
                n = Node.file(content(r, bs));
            }
            attrs(r, n, n.type() == FileType.DIRECTORY || n.type() == FileType.REGULAR);
            if (r.nextInt(4) == 0) {
                // Repeated pairs: used by many inodes, hence shared.
                n.xattr("trusted.shared" + r.nextInt(2), sharedValues[r.nextInt(sharedValues.length)]);
            }
            if (n.type() != FileType.DIRECTORY) {
                linkable.add(n);
            }
            parent.put(name, n);
        }
        if (shape.bigDir()) {
            Node big = tree.root().directory("big-dir");
            attrs(r, big, true);
            for (int i = 0; i < 1000; i++) {
                byte[] nm = (String.format("%04d-", i) + "x".repeat(r.nextInt(60))).getBytes(StandardCharsets.UTF_8);
                Node f = Node.file(bytes(r, r.nextInt(40)));
                attrs(r, f, false);
                big.put(nm, f);
            }
        }
        return tree;
    }

    private static void attrs(Random r, Node n, boolean userXattrsAllowed) {
        int perms = n.type() == FileType.SYMLINK ? 0777 : r.nextInt(8) == 0 ? r.nextInt(07777 + 1)
                : (n.type() == FileType.DIRECTORY ? 0755 : 0644);
        if (n.type() != FileType.SYMLINK) {
            n.permissions(perms);
        }
        long uid = r.nextInt(5) == 0 ? 65536L + r.nextInt(1 << 30) : r.nextInt(3) == 0 ? 0 : r.nextInt(70000);
        long gid = r.nextInt(5) == 0 ? 65536L + r.nextInt(1 << 30) : r.nextInt(3) == 0 ? 0 : r.nextInt(70000);
        n.owner(uid, gid);
        long t = r.nextInt(4) == 0 ? 1700000000L : 1_000_000_000L + (r.nextLong() & 0x7FFFFFFFL);
        n.mtime(t, r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000_000));
        int nx = r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 0;
        for (int i = 0; i < nx; i++) {
            String ns = switch (r.nextInt(userXattrsAllowed ? 3 : 2)) {
                case 0 -> "trusted.";
                case 1 -> "security.";
                default -> "user.";
            };
            String nm = ns + (r.nextBoolean() ? "overlay." : "") + "x" + r.nextInt(1000)
                    + (r.nextInt(8) == 0 ? "-" + "n".repeat(r.nextInt(150)) : "");
            n.xattr(nm, bytes(r, r.nextInt(6) == 0 ? r.nextInt(1025) : r.nextInt(40)));
        }
    }

    private static FileContent content(Random r, int bs) {
        int size = switch (r.nextInt(9)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> bs - 1;
            case 3 -> bs;
            case 4 -> bs + 1;
            case 5 -> 2 * bs - 1 + r.nextInt(3);
            case 6 -> 3 * bs + r.nextInt(bs);
            case 7 -> r.nextInt(20000);
            default -> 16 * bs + r.nextInt(8 * bs);
        };
        byte[] b = new byte[size];
        if (r.nextInt(5) == 0 && size > 4 * bs) {
            // Sparse-looking: mostly zeros with a little data in the middle and at the end.
            int at = bs * (1 + r.nextInt(size / bs - 2));
            for (int i = 0; i < Math.min(100, size - at); i++) {
                b[at + i] = (byte) (1 + r.nextInt(255));
            }
            b[size - 1] = 1;
        } else if (r.nextBoolean()) {
            compressible(r, b);
        } else {
            r.nextBytes(b);
        }
        return FileContent.of(b);
    }

    /** Runs of text-like, repeated, zero and random bytes: data that compresses, partly. */
    public static void compressible(Random r, byte[] b) {
        String words = "erofs cluster block inode the of and lz4 data compressed tail ";
        int i = 0;
        while (i < b.length) {
            int run = Math.min(b.length - i, 1 + r.nextInt(6000));
            int mode = r.nextInt(4);
            int phase = r.nextInt(words.length());
            for (int j = 0; j < run; j++) {
                b[i + j] = switch (mode) {
                    case 0 -> (byte) words.charAt((phase + j) % words.length());
                    case 1 -> (byte) ((j * 31 / 7) & 0x3F);
                    case 2 -> 0;
                    default -> (byte) r.nextInt();
                };
            }
            i += run;
        }
    }

    public static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A name of 1-255 bytes: mixed ASCII and multi-byte UTF-8, never "." or "..". */
    public static byte[] name(Random r) {
        int target = switch (r.nextInt(6)) {
            case 0 -> 255;
            case 1 -> 1 + r.nextInt(3);
            default -> 1 + r.nextInt(40);
        };
        StringBuilder sb = new StringBuilder();
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < target) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        while (b.length > 255) {
            sb.setLength(sb.length() - 1);
            if (Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
                sb.setLength(sb.length() - 1);
            }
            b = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (!Node.validName(b)) {
            return ("n" + r.nextInt(100000)).getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static byte[] target(Random r, int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            sb.append(r.nextInt(5) == 0 ? "/" : PIECES[r.nextInt(PIECES.length)]);
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        return b.length > 4095 ? Arrays.copyOf(b, 4000) : b;
    }

    // ---------------------------------------------------------------- expected view

    /** The manifest (manifest.py format) the kernel should show for a tree written with PRESERVE times. */
    public static List<String> expected(FsTree tree) throws IOException {
        Map<Node, Integer> refs = new IdentityHashMap<>();
        count(tree.root(), refs);
        TreeMap<byte[], String> lines = new TreeMap<>(Arrays::compareUnsigned);
        walk(tree.root(), new byte[] {'.'}, true, refs, lines);
        return new ArrayList<>(lines.values());
    }

    private static void count(Node dir, Map<Node, Integer> refs) {
        for (Node c : dir.children().values()) {
            refs.merge(c, 1, Integer::sum);
            if (c.type() == FileType.DIRECTORY) {
                count(c, refs);
            }
        }
    }

    private static void walk(Node n, byte[] path, boolean root, Map<Node, Integer> refs,
            TreeMap<byte[], String> out) throws IOException {
        out.put(path, line(new String(path, StandardCharsets.UTF_8), n, refs));
        if (n.type() != FileType.DIRECTORY) {
            return;
        }
        for (Map.Entry<byte[], Node> e : n.children().entrySet()) {
            byte[] p = root ? e.getKey() : concat(path, e.getKey());
            walk(e.getValue(), p, false, refs, out);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + 1 + b.length);
        r[a.length] = '/';
        System.arraycopy(b, 0, r, a.length + 1, b.length);
        return r;
    }

    public static String line(String path, Node n, Map<Node, Integer> refs) throws IOException {
        String type = switch (n.type()) {
            case REGULAR -> "f";
            case DIRECTORY -> "d";
            case SYMLINK -> "l";
            case CHAR_DEVICE -> "c";
            case BLOCK_DEVICE -> "b";
            case FIFO -> "p";
            case SOCKET -> "s";
        };
        String payload = switch (n.type()) {
            case REGULAR -> sha256(n.content());
            case SYMLINK -> HexFormat.of().formatHex(n.symlinkTarget());
            case CHAR_DEVICE, BLOCK_DEVICE -> n.rdevMajor() + ":" + n.rdevMinor();
            default -> "-";
        };
        TreeMap<String, byte[]> x = new TreeMap<>(n.xattrs());
        StringBuilder xs = new StringBuilder();
        for (Map.Entry<String, byte[]> e : x.entrySet()) {
            if (xs.length() > 0) {
                xs.append(',');
            }
            xs.append(e.getKey()).append('=').append(HexFormat.of().formatHex(e.getValue()));
        }
        long size = n.type() == FileType.REGULAR || n.type() == FileType.SYMLINK ? n.size() : 0;
        long nlink = n.type() == FileType.DIRECTORY ? 0 : refs.getOrDefault(n, 1);
        return String.join("\t", path, type, Integer.toOctalString(n.permissions()), Long.toString(n.uid()),
                Long.toString(n.gid()), Long.toString(size), Long.toString(n.mtimeSeconds()),
                Integer.toString(n.mtimeNanos()), Long.toString(nlink), payload, xs.length() == 0 ? "-" : xs.toString());
    }

    public static String sha256(FileContent c) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            try (ReadableByteChannel ch = c.open(0)) {
                while (ch.read(b.clear()) >= 0) {
                    md.update(b.flip());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- on disk

    /** Creates the tree under {@code dir} (which must not exist): every type, owner, mode, xattr and mtime. */
    public static void materialize(FsTree tree, Path dir) throws IOException {
        Files.createDirectory(dir);
        Map<Node, Path> made = new IdentityHashMap<>();
        create(tree.root(), dir, made);
        finish(tree.root(), dir);
    }

    private static void create(Node dirNode, Path dir, Map<Node, Path> made) throws IOException {
        Posix px = Posix.get();
        for (Map.Entry<byte[], Node> e : dirNode.children().entrySet()) {
            Path p = dir.resolve(new String(e.getKey(), StandardCharsets.UTF_8));
            Node n = e.getValue();
            Path first = made.get(n);
            if (first != null) {
                Files.createLink(p, first);
                continue;
            }
            switch (n.type()) {
                case DIRECTORY -> Files.createDirectory(p);
                case REGULAR -> {
                    try (ReadableByteChannel ch = n.content().open(0);
                            java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(p,
                                    java.nio.file.StandardOpenOption.CREATE_NEW,
                                    java.nio.file.StandardOpenOption.WRITE)) {
                        ByteBuffer b = ByteBuffer.allocate(1 << 16);
                        while (ch.read(b.clear()) >= 0) {
                            b.flip();
                            while (b.hasRemaining()) {
                                out.write(b);
                            }
                        }
                    }
                }
                case SYMLINK -> Files.createSymbolicLink(p,
                        Path.of(new String(n.symlinkTarget(), StandardCharsets.UTF_8)));
                default -> px.mknod(p, n.mode(), n.rdevMajor(), n.rdevMinor());
            }
            made.put(n, p);
            if (n.type() == FileType.DIRECTORY) {
                create(n, p, made);
            } else {
                apply(n, p);
            }
        }
    }

    private static void finish(Node dirNode, Path dir) throws IOException {
        for (Map.Entry<byte[], Node> e : dirNode.children().entrySet()) {
            if (e.getValue().type() == FileType.DIRECTORY) {
                finish(e.getValue(), dir.resolve(new String(e.getKey(), StandardCharsets.UTF_8)));
            }
        }
        apply(dirNode, dir);
    }

    private static void apply(Node n, Path p) throws IOException {
        Posix px = Posix.get();
        boolean special = n.type() != FileType.REGULAR && n.type() != FileType.DIRECTORY
                && n.type() != FileType.SYMLINK;
        if (special) {
            // The JDK opens the file to change these, which fails on sockets and devices.
            KernelTools.run(List.of("chown", "-h", n.uid() + ":" + n.gid(), p.toString()), null);
            KernelTools.run(List.of("chmod", Integer.toOctalString(n.permissions()), p.toString()), null);
        } else {
            Files.setAttribute(p, "unix:uid", (int) n.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) n.gid(), LinkOption.NOFOLLOW_LINKS);
            if (n.type() != FileType.SYMLINK) {
                Files.setAttribute(p, "unix:mode", n.permissions(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        for (Map.Entry<String, byte[]> x : n.xattrs().entrySet()) {
            px.lsetxattr(p, x.getKey(), x.getValue());
        }
        px.lutimens(p, n.mtimeSeconds(), n.mtimeNanos());
    }

    /** The same tree (same node objects, so hard links stay links) inserted in a random order. */
    public static FsTree shuffled(FsTree src, Random r) {
        FsTree out = new FsTree();
        out.root().copyAttributesFrom(src.root());
        copy(src.root(), out.root(), r);
        return out;
    }

    private static void copy(Node from, Node to, Random r) {
        List<Map.Entry<byte[], Node>> entries = new ArrayList<>(from.children().entrySet());
        Collections.shuffle(entries, r);
        for (Map.Entry<byte[], Node> e : entries) {
            Node n = e.getValue();
            if (n.type() == FileType.DIRECTORY) {
                Node d = Node.directory().copyAttributesFrom(n);
                to.put(e.getKey(), d);
                copy(n, d, r);
            } else {
                to.put(e.getKey(), n);
            }
        }
    }
}
