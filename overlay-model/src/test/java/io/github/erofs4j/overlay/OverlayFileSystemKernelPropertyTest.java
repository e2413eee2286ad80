package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The merged view as a {@link FileSystem} answers as the kernel's overlay mount of the same stack answers through
 * the JDK's own file system: for every entry its "unix" attributes, symlink target, user xattrs, content (read
 * whole and after a seek), which entries are the same file, and where the path leads when symlinks are followed
 * (symlinks through other symlinks, "..", loops and dangling ones added to the top layer).
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
class OverlayFileSystemKernelPropertyTest {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** A metacopy file's absolute redirect passing a middle layer's directory with a relative redirect. */
    @Example
    void absoluteRedirectThroughRelativelyRedirectedDirectory() throws Exception {
        fileSystemAnswersAsTheMount(33912L);
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void fileSystemAnswersAsTheMount(@ForAll long seed) throws Exception {
        RandomStacks.Stack s = RandomStacks.generate(seed);
        addSymlinks(s.layers().get(0));
        Path dir = Files.createTempDirectory("erofs4j-ovlfs");
        List<Layer> opened = new ArrayList<>();
        try (KernelMounts m = new KernelMounts(dir)) {
            KernelMounts.Mounted mounted = m.mountStack(s, dir, opened);
            List<String> kernel;
            try {
                kernel = describe(mounted.mount());
            } catch (IOException e) {
                throw new AssertionError("seed " + seed + ": the mount cannot be read (" + e.getMessage() + ")\n"
                        + RandomStacks.dump(s) + "model:\n" + String.join("\n", ViewManifest.of(mounted.view())), e);
            }
            List<String> model;
            try (FileSystem fs = mounted.view().newFileSystem()) {
                model = describe(fs.getPath("/"));
            }
            assertEquals(kernel, model, () -> "seed " + seed + ": " + ViewManifest.diff(kernel, model)
                    + RandomStacks.dump(s));
        } finally {
            for (Layer l : opened) {
                l.close();
            }
            KernelMounts.deleteTree(dir);
        }
    }

    /** Symlinks that resolve through the pool names, each other, ".." and themselves, none leaving the root. */
    private static void addSymlinks(FsTree top) {
        String[][] links = {
            {"s0", "a"}, {"s1", "a/b"}, {"s2", "s1/../c"}, {"s3", "s2"}, {"s4", "s4"}, {"s5", "./b/./a"},
            {"s6", "s1/a"}, {"s7", "d/../s0/c"},
        };
        for (String[] l : links) {
            top.put(l[0], Node.symlink(l[1]));
        }
    }

    /** One line a path, in name order, from java.nio.file calls only. */
    private static List<String> describe(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        Map<Object, String> firstByKey = new HashMap<>();
        walk(root, root, out, firstByKey);
        out.sort(null);
        return out;
    }

    private static void walk(Path root, Path p, List<String> out, Map<Object, String> firstByKey)
            throws IOException {
        String rel = root.relativize(p).toString();
        Map<String, Object> a = new TreeMap<>(Files.readAttributes(p, "unix:*", NOFOLLOW));
        BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        StringBuilder sb = new StringBuilder(rel.isEmpty() ? "." : rel);
        int mode = (Integer) a.get("mode");
        sb.append(" mode=").append(Integer.toOctalString(mode)).append(" uid=").append(a.get("uid"))
                .append(" gid=").append(a.get("gid")).append(" mtime=").append(b.lastModifiedTime())
                .append(" size=").append(b.isDirectory() ? "-" : b.size())
                .append(" perms=").append(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, NOFOLLOW)));
        if (!b.isDirectory()) {
            // Directory link counts differ between overlayfs and the model (which reports none).
            sb.append(" nlink=").append(a.get("nlink"));
            String first = firstByKey.putIfAbsent(b.fileKey(), rel);
            sb.append(" same=").append(first == null ? "-" : first);
        }
        if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
            sb.append(" rdev=").append(a.get("rdev"));
        }
        if (b.isSymbolicLink()) {
            sb.append(" -> ").append(Files.readSymbolicLink(p));
        }
        if (b.isRegularFile() || b.isDirectory()) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                    NOFOLLOW);
            for (String n : new TreeSet<>(v.list())) {
                ByteBuffer buf = ByteBuffer.allocate(v.size(n));
                v.read(n, buf);
                sb.append(" user.").append(n).append('=').append(HexFormat.of().formatHex(buf.array()));
            }
        }
        if (b.isRegularFile()) {
            sb.append(" content=").append(content(p, b.size()));
        }
        sb.append(" follow=").append(follow(root, p));
        out.add(sb.toString());
        if (b.isDirectory()) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                ds.forEach(children::add);
            }
            for (Path c : children) {
                walk(root, c, out, firstByKey);
            }
        }
    }

    /** The digest of the whole content, then of 64 bytes read after seeking to a third of it. */
    private static String content(Path p, long size) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            md.update(in.readAllBytes());
        }
        String whole = HexFormat.of().formatHex(md.digest(), 0, 8);
        ByteBuffer tail = ByteBuffer.allocate(64);
        try (SeekableByteChannel ch = Files.newByteChannel(p)) {
            ch.position(size / 3);
            while (tail.hasRemaining() && ch.read(tail) > 0) {
                // fill
            }
            if (ch.position() != Math.min(size, size / 3 + 64)) {
                throw new IOException(p + ": position " + ch.position() + " after the read");
            }
        }
        return whole + "/" + HexFormat.of().formatHex(tail.array(), 0, tail.position());
    }

    /** Where the path leads with symlinks followed: the real path and type, or the error. */
    private static String follow(Path root, Path p) throws IOException {
        try {
            BasicFileAttributes f = Files.readAttributes(p, BasicFileAttributes.class);
            Path real = p.toRealPath();
            String type = f.isDirectory() ? "dir" : f.isRegularFile() ? "file" : f.isSymbolicLink() ? "link" : "other";
            return type + ":" + root.relativize(real);
        } catch (NoSuchFileException e) {
            return "ENOENT";
        } catch (NotDirectoryException e) {
            return "ENOTDIR";
        } catch (FileSystemException e) {
            String r = String.valueOf(e.getReason());
            if (r.contains("Not a directory")) {
                return "ENOTDIR";
            }
            if (r.contains("symbolic links")) {
                return "ELOOP";
            }
            throw e;
        }
    }
}
