package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.extract.CheckReport;
import io.github.erofs4j.core.extract.ExtractOptions;
import io.github.erofs4j.core.extract.ExtractSummary;
import io.github.erofs4j.core.extract.ImageChecker;
import io.github.erofs4j.core.extract.ImageExtractor;
import io.github.erofs4j.core.extract.Problem;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.testing.Fixtures;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Images whose layout is hostile though every structure in them is well formed: a directory entry leading back to
 * an ancestor or to the directory itself, two files sharing their data blocks, one inode under thousands of names,
 * a 1 TiB sparse file (a pcluster over the metadata needs a decompressor: erofs-compress
 * {@code PclusterOverMetadataTest}). Each is read, walked,
 * checked ({@link ImageChecker}) and extracted ({@link ImageExtractor}): the answer is a reported problem naming
 * an offset, an IOException, or what the kernel does, in bounded time and memory. The timeouts
 * only guard against hangs.
 */
class HostileImageLayoutTest {
    private static final Duration HANG = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    /** A copy of the fixture {@code plain} whose dirent of {@code dir/name} points at the directory {@code to}. */
    private Path loopedPlain(String to) throws IOException {
        Path img = tmp.resolve("loop.erofs");
        byte[] b = Files.readAllBytes(Fixtures.image("plain"));
        try (ErofsImage image = ErofsImage.open(Fixtures.image("plain"))) {
            ErofsInode deep = image.resolve("/deep");
            assertEquals("a", deep.entries().get(2).name());
            int at = (int) (deep.dataExtents().get(0).physicalOffset() + 2 * 12);
            long nid = image.resolve(to).nid();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, nid);
        }
        Files.write(img, SyntheticImageTest.withChecksum(b));
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/deep"})
    void directoryLoopsAreReportedAndNeverFollowed(String target) throws Exception {
        // "/": /deep/a leads back to the root (a loop through an ancestor); "/deep": /deep/a is /deep itself.
        Path img = loopedPlain(target);
        try (ErofsImage image = ErofsImage.open(img)) {
            long nid = image.resolve(target).nid();
            assertEquals(nid, image.resolve("/deep/a").nid());
            // Lookups go through the loop as often as the path says, and no further.
            assertEquals(nid, image.resolve(target.equals("/") ? "/deep/a/deep/a/deep/a" : "/deep/a/a/a/a").nid());

            CheckReport check = assertTimeoutPreemptively(HANG, () -> ImageChecker.check(image));
            assertFalse(check.isClean());
            assertTrue(has(check, "/deep/a", "directory nid " + nid, "reachable twice"), check::toString);

            Path out = tmp.resolve("out");
            ExtractSummary s = assertTimeoutPreemptively(HANG,
                    () -> ImageExtractor.extract(image, out, ExtractOptions.defaults()));
            assertTrue(has(s.check(), "/deep/a", "directory nid " + nid, "reachable twice"), s::toString);
            assertFalse(Files.exists(out.resolve("deep/a"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.isRegularFile(out.resolve("size-1"), LinkOption.NOFOLLOW_LINKS), "the rest is extracted");
        }
        // The NIO file system's walk: Files.walk does not know directory hard links, so it descends until the
        // path depth limit of the reader stops it with an IOException; bounded, never a hang or another error.
        try (FileSystem fs = FileSystems.newFileSystem(img)) {
            UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(UncheckedIOException.class,
                    () -> assertTimeoutPreemptively(HANG, () -> {
                        try (Stream<Path> s = Files.walk(fs.getPath("/"))) {
                            return s.count();
                        }
                    }));
            assertTrue(e.getCause() instanceof io.github.erofs4j.core.ErofsFormatException f
                    && f.kind() == io.github.erofs4j.core.ErofsFormatException.Kind.LIMIT
                    && f.getMessage().contains("maxPathDepth"), e::toString);
        }
    }

    private static boolean has(CheckReport r, String path, String... parts) {
        for (Problem p : r.problems()) {
            if (p.path().equals(path) && Stream.of(parts).allMatch(p.description()::contains) && p.offset() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A written image of two 3-block files {@code a} and {@code b}; {@code b}'s start block then set to {@code a}'s. */
    private Path sharedBlocks(byte[] a, byte[] bb) throws IOException {
        FsTree t = new FsTree();
        t.put("a", Node.file(a));
        t.put("b", Node.file(bb));
        Path img = tmp.resolve("shared.erofs");
        ErofsWriter.write(t, img, WriteOptions.builder().inlineData(false).build());
        byte[] bytes = Files.readAllBytes(img);
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode ia = image.resolve("a");
            ErofsInode ib = image.resolve("b");
            assertEquals(Erofs.LAYOUT_FLAT_PLAIN, ib.dataLayout());
            long startA = ia.dataExtents().get(0).physicalOffset() / image.blockSize();
            // i_u (the start block of a flat file) is at byte 16 of both inode forms.
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) ib.inodeOffset() + 16, (int) startA);
        }
        Files.write(img, SyntheticImageTest.withChecksum(bytes));
        return img;
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void filesSharingBlocksBothReadWhatTheBlocksHold() throws Exception {
        byte[] a = pattern(3 * 4096, 1);
        byte[] b = pattern(3 * 4096, 2);
        Path img = sharedBlocks(a, b);
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(image.resolve("a").dataExtents().get(0).physicalOffset(),
                    image.resolve("b").dataExtents().get(0).physicalOffset());
            assertArrayEquals(a, image.resolve("a").readAllBytes());
            assertArrayEquals(a, image.resolve("b").readAllBytes());
            CheckReport check = ImageChecker.check(image);
            assertTrue(check.isClean(), check::toString);
            Path out = tmp.resolve("out");
            ExtractSummary s = ImageExtractor.extract(image, out, ExtractOptions.defaults());
            assertTrue(s.check().isClean(), s::toString);
            assertArrayEquals(a, Files.readAllBytes(out.resolve("a")));
            assertArrayEquals(a, Files.readAllBytes(out.resolve("b")));
            assertNotEquals(Files.getAttribute(out.resolve("a"), "unix:ino"), Files.getAttribute(out.resolve("b"),
                    "unix:ino"), "two files, not a hard link");
        }
    }

    @Test
    @Tag("kernel")
    void kernelReadsSharedBlocksTheSameWay() throws Exception {
        String why = KernelPropertyTest.machineProblem();
        assumeTrue(why == null, why);
        byte[] a = pattern(3 * 4096, 3);
        Path img = sharedBlocks(a, pattern(3 * 4096, 4));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        KernelPropertyTest.run(List.of("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString()));
        try (ErofsImage image = ErofsImage.open(img)) {
            for (String n : List.of("a", "b")) {
                assertArrayEquals(Files.readAllBytes(mnt.resolve(n)), image.resolve(n).readAllBytes(), n);
            }
        } finally {
            KernelPropertyTest.unmount(mnt);
        }
    }

    @Test
    void manyNamesOfOneInodeExtractAsHardLinks() throws Exception {
        int names = 3000;
        FsTree t = new FsTree();
        Node file = Node.file("shared\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < names; i++) {
            t.put("d" + (i % 10) + "/n" + i, file);
        }
        Path img = tmp.resolve("links.erofs");
        ErofsWriter.write(t, img, WriteOptions.defaults());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(names, image.resolve("d0/n0").nlink());
            CheckReport check = assertTimeoutPreemptively(HANG, () -> ImageChecker.check(image));
            assertTrue(check.isClean(), check::toString);
            Path out = tmp.resolve("out");
            ExtractSummary s = assertTimeoutPreemptively(HANG,
                    () -> ImageExtractor.extract(image, out, ExtractOptions.defaults()));
            assertTrue(s.check().isClean(), s::toString);
            Object ino = Files.getAttribute(out.resolve("d0/n0"), "unix:ino");
            for (int i = 0; i < names; i += 7) {
                assertEquals(ino, Files.getAttribute(out.resolve("d" + (i % 10) + "/n" + i), "unix:ino"));
            }
            assertEquals(names, Files.getAttribute(out.resolve("d9/n2999"), "unix:nlink"));
        }
    }

    @Test
    void teraByteSparseFileIsReadCheckedAndExtractedByItsData() throws Exception {
        long size = 1L << 40;
        FsTree t = new FsTree();
        t.put("huge", Node.file(FileContent.hole(size)));
        Path img = tmp.resolve("sparse.erofs");
        ErofsWriter.write(t, img, WriteOptions.defaults());
        assertTrue(Files.size(img) < (1 << 20), "holes take no data blocks");
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode huge = image.resolve("huge");
            assertEquals(size, huge.size());
            assertEquals(Erofs.LAYOUT_CHUNK_BASED, huge.dataLayout(), "the writer's hole: chunks without a block");
            assertTrue(huge.dataExtents().stream().allMatch(x -> x.physicalOffset() < 0), huge.dataExtents()::toString);
            byte[] buf = new byte[8192];
            java.util.Arrays.fill(buf, (byte) 1);
            assertEquals(4096, huge.read(size - 4096, buf, 0, buf.length));
            assertArrayEquals(new byte[4096], java.util.Arrays.copyOf(buf, 4096));
            assertEquals(8192, huge.read(size / 3, buf, 0, buf.length));
            CheckReport check = assertTimeoutPreemptively(HANG, () -> ImageChecker.check(image));
            assertTrue(check.isClean(), check::toString);
            assertTrue(check.bytesRead() < (1 << 20), "holes are not read: " + check.bytesRead());
            Path out = tmp.resolve("out");
            ExtractSummary s = assertTimeoutPreemptively(HANG,
                    () -> ImageExtractor.extract(image, out, ExtractOptions.defaults()));
            assertTrue(s.check().isClean(), s::toString);
            Path f = out.resolve("huge");
            assertEquals(size, Files.size(f));
            Process stat = new ProcessBuilder("stat", "-c", "%b", f.toString()).redirectErrorStream(true).start();
            long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes()).trim());
            assertEquals(0, stat.waitFor());
            assertTrue(blocks < 1024, "sparse on disk: " + blocks + " blocks of 512 bytes");
        }
    }
}
