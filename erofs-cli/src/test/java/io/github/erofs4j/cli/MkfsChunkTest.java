package io.github.erofs4j.cli;

import static io.github.erofs4j.core.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code erofs mkfs} chunk options ({@code --chunksize} with {@code -E force-chunk-indexes} /
 * {@code force-inode-blockmap}) and {@code --root-xattr-isize}: a tree with duplicates, written zeros and real
 * holes mounts as the source, passes fsck.erofs and reads the same with our reader; with
 * {@code MKFS_EROFS_193} naming an mkfs.erofs 1.9.3 binary, its image for the same options is byte-identical.
 */
class MkfsChunkTest {

    @TempDir
    Path tmp;

    /** Chunked option sets: every regular file is chunk-based, so the layout is mkfs.erofs 1.9.3's exactly. */
    private static final List<List<String>> CHUNKED = List.of(
            List.of("--chunksize=4096"),
            List.of("--chunksize=4096", "-Eforce-chunk-indexes"),
            List.of("--chunksize=8192", "-Eforce-chunk-indexes,force-inode-blockmap"),
            List.of("--chunksize=65536", "-Eforce-chunk-indexes", "--root-xattr-isize=100"),
            List.of("--chunksize=4096", "--root-xattr-isize=13"),
            List.of("-b", "1024", "--chunksize=1024", "-Eforce-chunk-indexes"));

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Data, duplicates, written zeros (full chunks), real holes (sparse files) and small files. */
    private Path chunkTree() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        byte[] r1 = random(1, 100_000);
        Files.write(src.resolve("r1"), r1);
        Files.write(src.resolve("sub/r1copy"), r1);
        byte[] x = random(2, 4096);
        byte[] y = random(3, 4096);
        Files.write(src.resolve("xy"), concat(x, y));
        Files.write(src.resolve("yx"), concat(y, x));
        Files.write(src.resolve("r32k"), random(4, 32768));
        Files.write(src.resolve("mixed"), concat(random(5, 5000), new byte[20000], random(6, 9000)));
        Files.writeString(src.resolve("small"), "small\n");
        sparse(src.resolve("sparse"), 1_000_000);
        sparse(src.resolve("sparse-small"), 100);
        try (FileChannel ch = FileChannel.open(src.resolve("holey"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(random(7, 3 * 4096)), 0);
            ch.write(ByteBuffer.wrap(random(8, 100)), 200_000);
        }
        try (FileChannel ch = FileChannel.open(src.resolve("tail-hole"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(random(9, 3 * 4096)), 0);
        }
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("tail-hole").toFile(), "rw")) {
            f.setLength(3 * 4096 + 5000);
        }
        // Xattr bodies of 16 and 20 bytes past the header: block maps right after them, indexes 8-aligned.
        userXattr(src.resolve("r1"), "user.a", "12345678");
        userXattr(src.resolve("mixed"), "user.bb", "1");
        userXattr(src, "user.root", "1234");
        return src;
    }

    /** Sets a user xattr where the file system allows it (the test stays meaningful without). */
    private static void userXattr(Path p, String name, String value) {
        try {
            Files.setAttribute(p, "user:" + name.substring(5), value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | UnsupportedOperationException e) {
            // no user xattrs here
        }
    }

    private static void sparse(Path p, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    @Test
    @Tag("kernel")
    void chunkedImagesMountAsTheSource() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        Path src = chunkTree();
        List<String> want = manifest(src, true);
        for (List<String> opts : CHUNKED) {
            check(src, want, opts, true);
        }
    }

    @Test
    @Tag("kernel")
    void reservedRootXattrSpaceWithoutChunks() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        // Small files only: flat layouts whose placement mkfs.erofs 1.9.3 shares with us.
        Path src = tmp.resolve("plain");
        Files.createDirectories(src.resolve("d"));
        Files.writeString(src.resolve("a"), "hi\n");
        Files.writeString(src.resolve("d/b"), "there\n");
        List<String> want = manifest(src, true);
        for (String n : List.of("13", "100", "4097", "65532")) {
            Path img = check(src, want, List.of("--root-xattr-isize=" + n), true);
            try (ErofsImage image = ErofsImage.open(img)) {
                assertEquals((Integer.parseInt(n) + 3) & ~3, image.root().xattrBodySize());
            }
        }
    }

    @Test
    void optionErrors() {
        Path img = tmp.resolve("x.erofs");
        for (String bad : List.of("--root-xattr-isize=12", "--root-xattr-isize=65533", "--root-xattr-isize=-1")) {
            Cli.Result r = Cli.run("mkfs", "--quiet", bad, img.toString(), tmp.toString());
            assertEquals(2, r.status(), r.toString());
            assertTrue(r.err().contains("root xattr size"), r.err());
        }
        Cli.Result r = Cli.run("mkfs", "--quiet", "-Eforce-chunk-index", img.toString(), tmp.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("unsupported extended option: force-chunk-index"), r.err());
        assertTrue(Files.notExists(img));
    }

    /** Builds with our mkfs (and mkfs.erofs 1.9.3 when given), mounts, runs fsck and our reader. */
    private Path check(Path src, List<String> want, List<String> opts, boolean compareWith193) throws Exception {
        Path img = tmp.resolve("ours.erofs");
        List<String> args = new ArrayList<>(List.of("mkfs", "--quiet", "-T0", "-Uclear"));
        args.addAll(opts);
        args.add(img.toString());
        args.add(src.toString());
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), opts + ": " + r);
        Path mnt = Files.createTempDirectory(tmp, "mnt");
        List<String> kernel;
        List<String> kernelNoTime;
        sh("mount -t erofs -o loop,ro " + img + " " + mnt);
        try {
            kernel = manifest(mnt, false);
            kernelNoTime = manifest(mnt, true);
        } finally {
            sh("umount " + mnt);
        }
        assertEquals(want, kernelNoTime, opts + ": the kernel shows the source");
        if (!opts.contains("-b")) {
            sh("fsck.erofs " + img + " > /dev/null");
        }
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(kernel, Manifests.of(image, true), opts + ": our reader shows what the kernel shows");
        }
        String mkfs193 = System.getenv("MKFS_EROFS_193");
        if (compareWith193 && mkfs193 != null && !mkfs193.isBlank()) {
            Path theirs = tmp.resolve("theirs.erofs");
            List<String> cmd = new ArrayList<>(List.of(mkfs193, "--quiet", "-T0", "-Uclear"));
            cmd.addAll(opts);
            cmd.add(theirs.toString());
            cmd.add(src.toString());
            sh(String.join(" ", cmd));
            byte[] a = Files.readAllBytes(img);
            byte[] b = Files.readAllBytes(theirs);
            assertEquals(b.length, a.length, opts + ": image size against mkfs.erofs 1.9.3");
            assertEquals(chunkDecisions(theirs, src), chunkDecisions(img, src), opts + ": chunk formats and maps");
            if (!opts.contains("-b")) {
                // With smaller blocks mkfs.erofs's buffer allocator lets a large inode without inline data
                // straddle two metadata blocks, and ours does not: same decisions, other inode offsets.
                assertArrayEquals(b, a, opts + ": bytes against mkfs.erofs 1.9.3");
            }
        }
        return img;
    }

    /** Per regular file: the i_u word (chunk format) and the extents our reader sees. */
    private static List<String> chunkDecisions(Path img, Path src) throws IOException {
        List<String> out = new ArrayList<>();
        try (ErofsImage image = ErofsImage.open(img); Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = src.relativize(f).toString();
                ErofsInode n = image.resolve(rel);
                out.add(rel + " layout " + n.dataLayout() + " u 0x" + Long.toHexString(io.github.erofs4j.core.internal.Records.core(n).u()) + " "
                        + n.dataExtents());
            }
        }
        return out;
    }

    private static List<String> manifest(Path dir, boolean noMtime) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", Cli.manifestTool().toString(), dir.toString()));
        if (noMtime) {
            cmd.add("--no-mtime");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("manifest.py failed on " + dir);
        }
        return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
    }

    private static void sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(script + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
