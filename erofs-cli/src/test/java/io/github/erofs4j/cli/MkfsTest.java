package io.github.erofs4j.cli;

import io.github.erofs4j.core.FileType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code erofs mkfs}: initramfs conversion against the kernel, reproducibility, failure hygiene. */
class MkfsTest {

    @TempDir
    Path tmp;

    /** A cpio initramfs assembled from host files converts, and mounts as cpio -idm extracts it. */
    @Test
    @Tag("kernel")
    void initramfsFromHostFilesConverts() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        Path stage = tmp.resolve("stage");
        Files.createDirectories(stage);
        sh("cp -a --parents /etc/default /etc/ssl /usr/bin/b* /usr/bin/c* /usr/lib/os-release " + stage
                + "/ 2>/dev/null; "
                + "cp -a --parents /lib/x86_64-linux-gnu/libc.so.6 " + stage + "/ 2>/dev/null || true", tmp);
        Path early = tmp.resolve("early");
        Files.createDirectories(early.resolve("kernel/x86/microcode"));
        Files.write(early.resolve("kernel/x86/microcode/AuthenticAMD.bin"), new byte[] {9, 8, 7, 6});
        sh("find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../early.cpio", early);
        sh("find . | LC_ALL=C sort | cpio -o -H newc --quiet | zstd -q -c > ../main.cpio.zst", stage);
        sh("cat early.cpio main.cpio.zst > initrd.img", tmp);
        Path img = tmp.resolve("out.erofs");
        Cli.Result r = Cli.run("mkfs", "-Uclear", "--quiet", img.toString(), tmp.resolve("initrd.img").toString());
        assertEquals(0, r.status(), r.toString());
        Path x = tmp.resolve("x");
        Files.createDirectories(x);
        sh("cpio -idm --quiet < ../early.cpio && zstd -dc ../main.cpio.zst | cpio -idm --quiet", x);
        List<String> want = comparable(Cli.manifestOf(x));
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        sh("mount -t erofs -o loop,ro " + img + " " + mnt, tmp);
        List<String> got;
        try {
            got = comparable(Cli.manifestOf(mnt));
        } finally {
            sh("umount " + mnt, tmp);
        }
        assertTrue(want.size() > 100, "a real tree: " + want.size() + " entries");
        assertSameLines(want, got);
        sh("fsck.erofs " + img + " > /dev/null", tmp);
    }

    /**
     * Drops the root line (the extraction directory's own attributes), symlink mtimes (cpio -m does not set
     * them) and directory mtimes (cpio sets them before extracting their contents, which changes them again).
     */
    private static List<String> comparable(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            if (f[0].equals(".")) {
                continue;
            }
            if (f[1].equals("l") || f[1].equals("d")) {
                f[6] = "-";
                f[7] = "-";
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    @Test
    void sameInputSameBytesAndTimeOptions() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d"));
        Files.writeString(src.resolve("d/a.txt"), "alpha\n");
        Files.writeString(src.resolve("b.txt"), "beta\n");
        Files.setLastModifiedTime(src.resolve("b.txt"), java.nio.file.attribute.FileTime.fromMillis(2_000_000_000_000L));
        Path one = tmp.resolve("one.erofs");
        Path two = tmp.resolve("two.erofs");
        assertEquals(0, Cli.run("mkfs", "--quiet", "-Uclear", "-T1000000000", one.toString(), src.toString()).status());
        assertEquals(0, Cli.run("mkfs", "--quiet", "-Uclear", "-T1000000000", "--workers=1", two.toString(),
                src.toString()).status());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        try (io.github.erofs4j.core.read.ErofsImage img = io.github.erofs4j.core.read.ErofsImage.open(one)) {
            assertEquals(1000000000L, io.github.erofs4j.core.internal.Records.superBlock(img).epoch());
            // -T without --mkfs-time applies to every file.
            assertEquals(1000000000L, img.resolve("b.txt").mtimeSeconds());
            assertFalse(img.resolve("b.txt").extendedInode(), "mtime = build time: compact inode");
        }
        assertEquals(0, Cli.run("mkfs", "--quiet", "-Uclear", "-T1000000000", "--mkfs-time", two.toString(),
                src.toString()).status());
        try (io.github.erofs4j.core.read.ErofsImage img = io.github.erofs4j.core.read.ErofsImage.open(two)) {
            assertEquals(2_000_000_000L, img.resolve("b.txt").mtimeSeconds());
        }
        // SOURCE_DATE_EPOCH: build time, and later mtimes clamped to it.
        Mkfs m = new Mkfs();
        m.env = java.util.Map.of("SOURCE_DATE_EPOCH", "1500000000");
        picocli.CommandLine cl = Main.commandLine();
        cl.getSubcommands().get("mkfs").getCommandSpec();
        picocli.CommandLine own = new picocli.CommandLine(m);
        assertEquals(0, own.execute("--quiet", "-Uclear", two.toString(), src.toString()));
        try (io.github.erofs4j.core.read.ErofsImage img = io.github.erofs4j.core.read.ErofsImage.open(two)) {
            assertEquals(1500000000L, io.github.erofs4j.core.internal.Records.superBlock(img).epoch());
            assertEquals(1500000000L, img.resolve("b.txt").mtimeSeconds());
        }
    }

    @Test
    void aufsWhiteoutsAndExclusions() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d/sub"));
        Files.createDirectories(src.resolve("skip/deep"));
        Files.writeString(src.resolve("d/f"), "hi");
        Files.writeString(src.resolve("d/.wh.gone"), "");
        Files.writeString(src.resolve("d/sub/.wh..wh..opq"), "");
        Files.writeString(src.resolve("d/x.log"), "log");
        sh("tar -cf layer.tar -C src .", tmp);
        Path img = tmp.resolve("l.erofs");
        Cli.Result r = Cli.run("mkfs", "--quiet", "--aufs", "--exclude-path=/skip", "--exclude-regex=\\.log$",
                img.toString(), tmp.resolve("layer.tar").toString());
        assertEquals(0, r.status(), r.toString());
        try (io.github.erofs4j.core.read.ErofsImage im = io.github.erofs4j.core.read.ErofsImage.open(img)) {
            io.github.erofs4j.core.read.ErofsInode wh = im.resolve("d/gone");
            assertEquals(io.github.erofs4j.core.FileType.CHAR_DEVICE, wh.type());
            assertEquals(0, wh.rdevMajor());
            assertEquals(0, wh.rdevMinor());
            assertArrayEquals(new byte[0], im.resolve("d").xattr("trusted.overlay.origin").orElseThrow(),
                    "a directory holding whiteouts is marked as mkfs.erofs does");
            assertArrayEquals(new byte[] {'y'}, im.resolve("d/sub").xattr("trusted.overlay.opaque").orElseThrow());
            assertTrue(im.resolve("d/sub").children().isEmpty());
            assertTrue(im.root().lookup("skip").isEmpty(), "--exclude-path");
            assertTrue(im.resolve("d").lookup("x.log").isEmpty(), "--exclude-regex");
            assertTrue(im.resolve("d").lookup(".wh.gone").isEmpty());
        }
        // --ovlfs-strip drops whiteouts and opaque markers instead.
        r = Cli.run("mkfs", "--quiet", "--aufs", "--ovlfs-strip", "--tar", img.toString(),
                tmp.resolve("layer.tar").toString());
        assertEquals(0, r.status(), r.toString());
        try (io.github.erofs4j.core.read.ErofsImage im = io.github.erofs4j.core.read.ErofsImage.open(img)) {
            assertTrue(im.resolve("d").lookup("gone").isEmpty());
            assertTrue(im.resolve("d").xattr("trusted.overlay.origin").isEmpty());
            assertTrue(im.resolve("d/sub").xattr("trusted.overlay.opaque").isEmpty());
        }
    }

    @Test
    void failedBuildLeavesNothingBehind() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.write(src.resolve("big.bin"), new byte[100_000]);
        sh("tar -cf full.tar -C src . && head -c 20000 full.tar > cut.tar", tmp);
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Cli.Result r = Cli.run("mkfs", "--quiet", out.resolve("x.erofs").toString(), tmp.resolve("cut.tar").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("big.bin"), "names the member: " + r.err());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "no image, no temporary file");
        }
    }

    private static void assertSameLines(List<String> want, List<String> got) {
        if (want.equals(got)) {
            return;
        }
        List<String> missing = new ArrayList<>(want);
        missing.removeAll(got);
        List<String> extra = new ArrayList<>(got);
        extra.removeAll(want);
        throw new org.opentest4j.AssertionFailedError("kernel view differs from cpio -idm: missing "
                + missing.subList(0, Math.min(5, missing.size())) + " unexpected "
                + extra.subList(0, Math.min(5, extra.size())));
    }

    private static void sh(String script, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(script + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
