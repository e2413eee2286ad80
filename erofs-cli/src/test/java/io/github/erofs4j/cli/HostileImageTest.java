package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.AsUser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Images crafted to escape the target directory (names with '/', a symlink and a directory under one name, a
 * directory loop) and targets booby-trapped with symlinks: extraction reports the damage, exits 1, and writes
 * nothing outside the target. Each extraction runs in this process and, when the tests run as root, as the ordinary
 * user 65534 in a child JVM ({@link AsUser}), with the target and the attacker's directory given to that user.
 */
class HostileImageTest {
    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void unlink() throws java.io.IOException {
        Cli.unlinkSymlinks(tmp);
    }

    /** Where extraction goes: tmp/out. Everything else in tmp must stay as the test left it. */
    Path out;
    /** A directory outside the target that an attacker wants to write into. */
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        out = tmp.resolve("out");
        outside = Files.createDirectory(tmp.resolve("outside"));
    }

    /** A copy of a fixture with every occurrence of {@code from} (exactly {@code count}) replaced by {@code to}. */
    Path patched(String fixture, String name, byte[] from, byte[] to, int count) throws IOException {
        assertEquals(from.length, to.length);
        byte[] img = Files.readAllBytes(Cli.fixture(fixture));
        int found = 0;
        for (int i = 0; i + from.length <= img.length; i++) {
            if (java.util.Arrays.equals(img, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, img, i, to.length);
                found++;
            }
        }
        assertEquals(count, found, "occurrences of " + new String(from, StandardCharsets.UTF_8));
        return Files.write(tmp.resolve(name), fixChecksum(img));
    }

    /** Recomputes the superblock checksum, which covers block 0 where small images keep their metadata too. */
    static byte[] fixChecksum(byte[] img) {
        SuperBlock sb = SuperBlock.decode(ByteBuffer.wrap(img), Erofs.SUPERBLOCK_OFFSET);
        long sum = SuperBlock.checksum(img, SuperBlock.checksumLength(sb.blockSize()));
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(Erofs.SUPERBLOCK_OFFSET
                + SuperBlock.CHECKSUM_OFFSET, (int) sum);
        return img;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Nothing appeared next to the target {@code tmp/out}, and the attacker's directory is still empty. */
    static void assertNothingOutside(Path tmp, Path outside) throws IOException {
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(), s.toList(), "files written outside the target");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                assertTrue(n.equals("out") || n.equals("outside") || n.endsWith(".erofs"), "unexpected " + p);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void nameWithSlashIsRefused(AsUser.Where where) throws Exception {
        // /deep holes ".", "..", "a", "hl-3" (names packed as "...ahl-3"); "h/.." keeps the order but holds '/'.
        Path img = patched("plain", "slash.erofs", b("...ahl-3"), b("...ah/.."), 1);
        where.prepare(tmp);
        where.call(HostileImageTest.class, "extractNameWithSlash", img, tmp, out, outside);
        Cli.Result fsck = Cli.run("fsck", img.toString());
        assertEquals(1, fsck.status());
        assertTrue(fsck.err().contains("name contains '/'"), fsck::toString);
    }

    static void extractNameWithSlash(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[2]);
        Cli.Result r = Cli.run("extract", img.toString(), out.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains(img + ": /deep: dirent 3 of directory nid "), r::toString);
        assertTrue(r.err().matches("(?s).*dirent 3 of directory nid \\d+ at byte \\d+ \\(0x[0-9a-f]+\\): name "
                + "contains '/'; not extracted.*"), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("deep/a/b/c/d/e/f/g/h/leaf.txt")), "the rest is extracted");
        try (Stream<Path> s = Files.list(out.resolve("deep"))) {
            assertEquals(List.of(out.resolve("deep/a")), s.toList());
        }
        assertNothingOutside(Path.of(a[1]), Path.of(a[3]));
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void symlinkAndDirectoryUnderOneNameCannotRedirectWrites(AsUser.Where where) throws Exception {
        // The root directory "dir-large" (holding 300 files) is renamed "sym-short", the name of a symlink whose
        // 15-byte target is pointed at the attacker's directory.
        // The symlink's target must keep its 15 bytes: a short alias of 'outside' in /tmp.
        String t15 = ("/tmp/e4j-" + Long.toString(System.nanoTime(), 36) + "xxxxxxxxxxxxxxx").substring(0, 15);
        Path trap = Path.of(t15);
        Files.createSymbolicLink(trap, outside);
        try {
            Path img1 = patched("plain", "dup1.erofs", b("dir-largedup-a.txt"), b("sym-shortdup-a.txt"), 1);
            byte[] bytes = Files.readAllBytes(img1);
            Files.delete(img1);
            Path img = tmp.resolve("dup.erofs");
            Files.write(img, bytes);
            img = patchedFile(img, b("text/doc-01.txt"), b(t15));
            where.prepare(tmp);
            where.call(HostileImageTest.class, "extractSymlinkAndDirectoryUnderOneName", img, tmp, out, outside);
        } finally {
            Files.deleteIfExists(trap);
        }
    }

    static void extractSymlinkAndDirectoryUnderOneName(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[2]);
        Cli.Result r = Cli.run("extract", img.toString(), out.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("is not after"), r::toString);
        assertTrue(Files.isDirectory(out.resolve("sym-short"), LinkOption.NOFOLLOW_LINKS), "the first one wins");
        assertNothingOutside(Path.of(a[1]), Path.of(a[3]));
        try (Stream<Path> s = Files.list(out.resolve("sym-short"))) {
            assertEquals(Cli.manifest("plain").stream().filter(l -> l.startsWith("dir-large/")).count(), s.count());
        }
        // Again over the existing tree with --overwrite: still nothing replaces the directory by the symlink.
        Cli.Result again = Cli.run("extract", "--overwrite", img.toString(), out.toString());
        assertEquals(1, again.status(), again::toString);
        assertTrue(Files.isDirectory(out.resolve("sym-short"), LinkOption.NOFOLLOW_LINKS));
        assertNothingOutside(Path.of(a[1]), Path.of(a[3]));
    }

    private Path patchedFile(Path img, byte[] from, byte[] to) throws IOException {
        byte[] bytes = Files.readAllBytes(img);
        int found = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                found++;
            }
        }
        assertEquals(1, found);
        return Files.write(img, fixChecksum(bytes));
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void directoryLoopEndsWithAnError(AsUser.Where where) throws Exception {
        Path img = tmp.resolve("loop.erofs");
        Files.copy(Cli.fixture("plain"), img);
        long direntOffset;
        long rootNid;
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode deep = image.resolve("/deep");
            rootNid = image.rootNid();
            assertEquals("a", deep.entries().get(2).name());
            direntOffset = deep.dataExtents().get(0).physicalOffset() + 2 * 12;
        }
        // deep/a now points back at the root directory.
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer nid = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rootNid);
            ch.write(nid, direntOffset);
        }
        Files.write(img, fixChecksum(Files.readAllBytes(img)));
        where.prepare(tmp);
        where.call(HostileImageTest.class, "extractDirectoryLoop", img, tmp, out, outside, rootNid);
        Cli.Result ls = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("ls", "-R", img.toString()));
        assertEquals(1, ls.status(), ls::toString);
    }

    static void extractDirectoryLoop(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[2]);
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Cli.run("extract", img.toString(), out.toString()));
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains(": /deep/a: directory nid " + a[4]), r::toString);
        assertTrue(r.err().contains("reachable twice"), r::toString);
        assertFalse(Files.exists(out.resolve("deep/a"), LinkOption.NOFOLLOW_LINKS));
        assertNothingOutside(Path.of(a[1]), Path.of(a[3]));
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void symlinkPlantedInTheTargetIsNotFollowed(AsUser.Where where) throws Exception {
        Files.createDirectory(out);
        Files.createSymbolicLink(out.resolve("deep"), outside);
        Files.createSymbolicLink(out.resolve("size-1"), outside.resolve("size-1"));
        where.prepare(tmp);
        where.call(HostileImageTest.class, "extractOverPlantedSymlinks", tmp, out, outside);
    }

    static void extractOverPlantedSymlinks(String... a) throws Exception {
        Path tmp = Path.of(a[0]);
        Path out = Path.of(a[1]);
        Path outside = Path.of(a[2]);
        Cli.Result r = Cli.run("extract", Cli.fixture("plain").toString(), out.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("exists and is not a directory (use --overwrite)"), r::toString);
        assertTrue(r.err().contains("already exists (use --overwrite)"), r::toString);
        assertNothingOutside(tmp, outside);

        Cli.Result forced = Cli.run("extract", "--overwrite", Cli.fixture("plain").toString(), out.toString());
        assertEquals(0, forced.status(), forced::toString);
        assertTrue(Files.isDirectory(out.resolve("deep"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(out.resolve("size-1"), LinkOption.NOFOLLOW_LINKS));
        assertNothingOutside(tmp, outside);
        if (Cli.isRoot() && Cli.hasPython()) {
            assertEquals(Cli.manifest("plain"), Cli.manifestOf(out));
        }
    }
}
