package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlayfs whiteouts (0:0 character devices) per input kind, as mkfs.erofs 1.9.3 treats them: from a
 * directory, a directory holding whiteouts gets an empty {@code trusted.overlay.origin} (also with {@code -x -1}),
 * and {@code --ovlfs-strip} drops them instead; from a tarball, 0:0 devices are plain devices (no marker, kept by
 * {@code --ovlfs-strip}); from a tarball with {@code --aufs}, the whiteouts made from {@code .wh.} markers mark
 * their directory (and with {@code --ovlfs-strip} go, along with the raw whiteouts of that directory).
 * The kernel test mounts our image and mkfs.erofs 1.9.3's ({@code MKFS_EROFS_193}) and compares them entry by
 * entry.
 */
class WhiteoutInteropTest {
    private static final String ORIGIN = "trusted.overlay.origin";

    @TempDir
    Path tmp;

    /** Whiteouts in two directories (one opaque), a plain device, a directory without whiteouts. */
    private Path plainTree() throws Exception {
        Path src = tmp.resolve("plain");
        Files.createDirectories(src.resolve("d1/sub"));
        Files.createDirectories(src.resolve("d2"));
        Files.createDirectories(src.resolve("d3"));
        Files.writeString(src.resolve("d1/keep"), "kept\n");
        Files.writeString(src.resolve("d1/sub/f"), "f\n");
        Files.writeString(src.resolve("d3/g"), "g\n");
        sh("mknod " + src.resolve("d1/gone") + " c 0 0 && mknod " + src.resolve("d2/x") + " c 0 0 && mknod "
                + src.resolve("rootwh") + " c 0 0 && mknod " + src.resolve("d3/null") + " c 1 3 && setfattr -n "
                + "trusted.overlay.opaque -v y " + src.resolve("d2") + " && setfattr -n user.note -v n "
                + src.resolve("d1/keep"), tmp);
        return src;
    }

    /** An OCI-style layer: {@code .wh.} markers, an opaque marker, and a raw 0:0 device beside a marker. */
    private Path aufsTree() throws Exception {
        Path src = tmp.resolve("aufs");
        Files.createDirectories(src.resolve("a/b"));
        Files.createDirectories(src.resolve("c"));
        Files.writeString(src.resolve("a/.wh.gone"), "");
        Files.writeString(src.resolve("a/b/.wh..wh..opq"), "");
        Files.writeString(src.resolve("a/b/f"), "f\n");
        sh("mknod " + src.resolve("a/raw") + " c 0 0 && mknod " + src.resolve("c/raw") + " c 0 0", tmp);
        return src;
    }

    private Path tarball(Path dir, String name) throws Exception {
        Path tar = tmp.resolve(name);
        sh("tar --xattrs --xattrs-include='*' -cf " + tar + " -C " + dir + " .", tmp);
        return tar;
    }

    private Path tarballWithoutXattrs(Path dir, String name) throws Exception {
        Path tar = tmp.resolve(name);
        sh("tar --no-xattrs -cf " + tar + " -C " + dir + " .", tmp);
        return tar;
    }

    @Test
    void markersPerInputKind() throws Exception {
        assumeTrue(Cli.isRoot(), "needs root to make device nodes");
        Path dir = plainTree();
        Path tar = tarball(dir, "plain.tar");
        Path fromDir = ours(List.of(), dir);
        Path fromTar = ours(List.of("--tar=f"), tar);
        try (ErofsImage d = ErofsImage.open(fromDir); ErofsImage t = ErofsImage.open(fromTar)) {
            for (String p : List.of("", "d1", "d2")) {
                assertArrayEquals(new byte[0], inode(d, p).xattr(ORIGIN).orElseThrow(), "directory input: /" + p);
                assertTrue(inode(t, p).xattr(ORIGIN).isEmpty(), "tar input: /" + p);
                assertEquals(FileType.CHAR_DEVICE, inode(t, p.isEmpty() ? "rootwh" : p.equals("d1") ? "d1/gone"
                        : "d2/x").type());
            }
            assertTrue(d.resolve("d3").xattr(ORIGIN).isEmpty());
        }
        // -x -1 leaves the source's xattrs out, not the markers.
        try (ErofsImage d = ErofsImage.open(ours(List.of("-x-1"), dir))) {
            assertArrayEquals(new byte[0], d.resolve("d1").xattr(ORIGIN).orElseThrow());
            assertTrue(d.resolve("d2").xattr("trusted.overlay.opaque").isEmpty());
            assertTrue(d.resolve("d1/keep").xattr("user.note").isEmpty());
        }
        // --ovlfs-strip: whiteouts of a directory source go; a tarball's 0:0 devices stay.
        try (ErofsImage d = ErofsImage.open(ours(List.of("--ovlfs-strip=1"), dir));
                ErofsImage t = ErofsImage.open(ours(List.of("--ovlfs-strip=1", "--tar=f"), tar))) {
            assertTrue(d.resolve("d1").lookup("gone").isEmpty());
            assertEquals(FileType.CHAR_DEVICE, t.resolve("d1/gone").type());
            assertTrue(t.resolve("d1").xattr(ORIGIN).isEmpty());
        }
        // --aufs: whiteouts made from markers count; a raw one beside them goes with them under --ovlfs-strip.
        Path layer = tarball(aufsTree(), "layer.tar");
        try (ErofsImage a = ErofsImage.open(ours(List.of("--aufs", "--tar=f"), layer))) {
            assertArrayEquals(new byte[0], a.resolve("a").xattr(ORIGIN).orElseThrow());
            assertEquals(0, a.resolve("a/gone").mode() & 07777, "mkfs.erofs's whiteout mode");
            assertTrue(a.resolve("c").xattr(ORIGIN).isEmpty());
        }
        try (ErofsImage a = ErofsImage.open(ours(List.of("--aufs", "--tar=f", "--ovlfs-strip=1"), layer))) {
            assertTrue(a.resolve("a").lookup("gone").isEmpty());
            assertTrue(a.resolve("a").lookup("raw").isEmpty());
            assertEquals(FileType.CHAR_DEVICE, a.resolve("c/raw").type());
        }
    }

    @Test
    @Tag("kernel")
    void kernelViewsMatchMkfsErofs193() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        String mkfs193 = System.getenv("MKFS_EROFS_193");
        assumeTrue(mkfs193 != null && !mkfs193.isBlank() && Files.isExecutable(Path.of(mkfs193)),
                "MKFS_EROFS_193 does not name an mkfs.erofs 1.9.3 binary: nothing to compare with");
        Path dir = plainTree();
        Path tar = tarball(dir, "plain.tar");
        Path layer = tarball(aufsTree(), "layer.tar");
        int compared = 0;
        // mkfs.erofs's -x -1 stops it reading a directory's xattrs but not a tarball's (ours leaves out both).
        Path tarNoXattrs = tarballWithoutXattrs(dir, "plain-nox.tar");
        for (List<String> opts : List.of(List.<String>of(), List.of("-x-1"), List.of("--ovlfs-strip=1"))) {
            compared += compare(mkfs193, opts, List.of(), dir, "directory");
            compared += compare(mkfs193, opts, List.of("--tar=f"), opts.contains("-x-1") ? tarNoXattrs : tar,
                    "tarball");
            compared += compare(mkfs193, opts, List.of("--aufs", "--tar=f"), layer, "aufs tarball");
        }
        assertTrue(compared > 9 * 5, "entries compared: " + compared);
    }

    /** Builds both images, mounts both and compares the manifests line by line; returns the entries compared. */
    private int compare(String mkfs193, List<String> opts, List<String> kind, Path src, String what)
            throws Exception {
        List<String> args = new ArrayList<>(opts);
        args.addAll(kind);
        String label = what + " " + args;
        List<String> mine = mounted(ours(args, src));
        Path theirs = tmp.resolve("theirs.erofs");
        Files.deleteIfExists(theirs);
        List<String> cmd = new ArrayList<>(List.of(mkfs193, "--quiet", "-T0", "-Uclear"));
        cmd.addAll(args);
        cmd.add(theirs.toString());
        cmd.add(src.toString());
        sh(String.join(" ", cmd), tmp);
        List<String> want = mounted(theirs);
        for (int i = 0; i < Math.min(want.size(), mine.size()); i++) {
            assertEquals(want.get(i), mine.get(i), label + ": entry " + i);
        }
        assertEquals(want.size(), mine.size(), label + ": entries");
        boolean anyDevice = want.stream().anyMatch(l -> l.split("\t")[1].equals("c"));
        assertTrue(anyDevice || opts.contains("--ovlfs-strip=1"), label + ": whiteouts are compared");
        return want.size();
    }

    private Path ours(List<String> opts, Path src) {
        Path img = tmp.resolve("ours-" + Integer.toHexString(opts.hashCode()) + ".erofs");
        List<String> args = new ArrayList<>(List.of("mkfs", "--quiet", "-T0", "-Uclear"));
        args.addAll(opts);
        args.add(img.toString());
        args.add(src.toString());
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), opts + ": " + r);
        return img;
    }

    private List<String> mounted(Path img) throws Exception {
        Path mnt = Files.createTempDirectory(tmp, "mnt");
        sh("mount -t erofs -o loop,ro " + img + " " + mnt, tmp);
        try {
            return Cli.manifestOf(mnt);
        } finally {
            sh("umount " + mnt, tmp);
        }
    }

    private static ErofsInode inode(ErofsImage img, String path) throws IOException {
        return path.isEmpty() ? img.root() : img.resolve(path);
    }

    private static void sh(String script, Path cwd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(cwd.toFile())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(script + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
