package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code erofs mkfs --dm-verity[=HASHFILE]} and {@code --verity-digest} against {@code veritysetup} and
 * {@code fsverity}: same files, same root hash, same output; an appended tree still mounts; failures leave nothing.
 */
class MkfsVerityTest {
    static final String SALT = "0123456789abcdef00112233445566778899aabbccddeeff0123456789abcdef";
    static final String UUID = "12345678-1234-4234-9234-123456789abc";
    static final Pattern ROOT = Pattern.compile("(?m)^Root hash:\\s+([0-9a-f]+)$");
    static final Pattern SALT_LINE = Pattern.compile("(?m)^Salt:\\s+(\\S+)$");
    static final Pattern UUID_LINE = Pattern.compile("(?m)^UUID:\\s+(\\S+)$");

    @TempDir
    Path tmp;

    Path src;

    @BeforeAll
    static void tools() {
        assumeTrue(VerityCommandTest.has("fsverity") && VerityCommandTest.has("veritysetup"),
                "fsverity or veritysetup not installed");
    }

    /** A small tree with one file large enough (2.5 MiB) for the hashers' multi-threaded path. */
    @BeforeEach
    void source() throws IOException {
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/motd"), "hello\n");
        byte[] big = new byte[5 << 19];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.createSymbolicLink(src.resolve("link"), Path.of("etc/motd"));
    }

    private static List<String> mkfs(String... args) {
        List<String> a = new ArrayList<>(List.of("mkfs", "--quiet", "-Uclear", "-T1700000000"));
        a.addAll(Arrays.asList(args));
        return a;
    }

    private static Cli.Result run(List<String> args) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    /** Runs a tool, requires exit 0, returns its standard output. */
    private static String tool(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + s);
        return s;
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        assertTrue(m.find(), p + " in:\n" + s);
        return m.group(1);
    }

    @Test
    void verityDigestIsWhatFsverityPrints() throws Exception {
        Path plain = tmp.resolve("plain.erofs");
        Path img = tmp.resolve("img.erofs");
        run(mkfs(plain.toString(), src.toString()));
        Cli.Result r = run(mkfs("--verity-digest", img.toString(), src.toString()));
        assertEquals(tool("fsverity", "digest", img.toString()), r.out());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(img), "hashing does not change the image");
        Cli.Result one = run(mkfs("--verity-digest", "--workers=1", img.toString(), src.toString()));
        assertEquals(r.out(), one.out(), "thread count");
    }

    @Test
    void hashFileIsWhatVeritysetupFormatWrites() throws Exception {
        Path plain = tmp.resolve("plain.erofs");
        run(mkfs(plain.toString(), src.toString()));
        String[][] variants = {
            {},
            {"--hash=sha512", "--data-block-size=1024", "--hash-block-size=512"},
        };
        for (String[] v : variants) {
            Path img = tmp.resolve("img.erofs");
            Path hash = tmp.resolve("img.hash");
            Path ref = tmp.resolve("ref.hash");
            Files.deleteIfExists(ref);
            List<String> args = mkfs("--dm-verity=" + hash, "--dm-verity-salt=" + SALT, "--dm-verity-uuid=" + UUID);
            for (String o : v) {
                args.add(o.replace("--", "--dm-verity-"));
            }
            args.addAll(List.of(img.toString(), src.toString()));
            Cli.Result r = run(args);
            List<String> vs = new ArrayList<>(List.of("veritysetup", "format", img.toString(), ref.toString(),
                    "--salt=" + SALT, "--uuid=" + UUID));
            vs.addAll(Arrays.asList(v));
            String want = tool(vs.toArray(String[]::new));
            assertEquals(want.replace(ref.toString(), hash.toString()), r.out(), Arrays.toString(v));
            assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(hash), Arrays.toString(v));
            assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(img), "a separate tree leaves the image");
            tool("veritysetup", "verify", img.toString(), hash.toString(), group(ROOT, r.out()));
        }
    }

    /**
     * Appended: the file is the image, zero-padded to the data block size, then veritysetup's superblock and tree
     * at --hash-offset; with 1 KiB EROFS blocks the image size is not a multiple of 4096, so the padding is
     * exercised. The fs-verity digest covers the whole file.
     */
    @ParameterizedTest
    @ValueSource(ints = {4096, 1024})
    void appendedIsWhatVeritysetupWritesAtTheHashOffset(int blockSize) throws Exception {
        Path plain = tmp.resolve("plain.erofs");
        Path img = tmp.resolve("img.erofs");
        String b = "-b" + blockSize;
        run(mkfs(b, plain.toString(), src.toString()));
        Cli.Result r = run(mkfs(b, "--dm-verity", "--verity-digest", "--dm-verity-salt=" + SALT,
                "--dm-verity-uuid=" + UUID, img.toString(), src.toString()));
        byte[] image = Files.readAllBytes(plain);
        long offset = (image.length + 4095L) / 4096 * 4096;
        assertEquals(blockSize == 1024, offset != image.length, "1 KiB blocks pad, 4 KiB blocks do not");
        Path ref = tmp.resolve("ref");
        Files.write(ref, Arrays.copyOf(image, (int) offset));
        String want = tool("veritysetup", "format", ref.toString(), ref.toString(), "--hash-offset=" + offset,
                "--data-blocks=" + offset / 4096, "--salt=" + SALT, "--uuid=" + UUID);
        String root = group(ROOT, want);
        assertEquals(root, group(ROOT, r.out()));
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(img));
        assertTrue(r.out().contains("Hash offset:     \t" + offset + "\n"), r.out());
        tool("veritysetup", "verify", img.toString(), img.toString(), root, "--hash-offset=" + offset);
        String digestLine = tool("fsverity", "digest", img.toString());
        assertTrue(r.out().endsWith(digestLine), r.out() + " vs " + digestLine);
        // everything before the digest line is veritysetup's report (for IMAGE) plus the hash offset
        assertEquals(want.replace(ref.toString(), img.toString()) + "Hash offset:     \t" + offset + "\n"
                + digestLine, r.out());
    }

    @Test
    @Tag("kernel")
    void appendedImageStillMounts() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        Path img = tmp.resolve("img.erofs");
        run(mkfs("--dm-verity", img.toString(), src.toString()));
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        tool("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString());
        try {
            assertEquals("hello\n", Files.readString(mnt.resolve("etc/motd")));
            assertArrayEquals(Files.readAllBytes(src.resolve("big.bin")), Files.readAllBytes(mnt.resolve("big.bin")));
        } finally {
            tool("umount", mnt.toString());
        }
        tool("fsck.erofs", img.toString());
    }

    @Test
    void defaultSaltAndUuidFollowTheFilesystemOptions() throws Exception {
        Path one = tmp.resolve("one.erofs");
        Path two = tmp.resolve("two.erofs");
        Cli.Result a = run(mkfs("--dm-verity", one.toString(), src.toString()));
        Cli.Result b = run(mkfs("--dm-verity", two.toString(), src.toString()));
        assertEquals(a.out().replace(one.toString(), two.toString()), b.out());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), "same options, same bytes");
        String salt = group(SALT_LINE, a.out());
        assertTrue(salt.matches("[0-9a-f]{64}"), "a 32-byte salt by default, like veritysetup: " + salt);
        assertEquals('4', group(UUID_LINE, a.out()).charAt(14), "a version-4 shaped UUID");
        // the printed salt and UUID are the ones in the superblock: veritysetup reproduces the tree with them
        long offset = Long.parseLong(a.out().replaceAll("(?s).*Hash offset:\\s+(\\d+).*", "$1"));
        tool("veritysetup", "verify", one.toString(), one.toString(), group(ROOT, a.out()),
                "--hash-offset=" + offset);

        List<String> other = mkfs("--dm-verity", two.toString(), src.toString());
        other.set(other.indexOf("-Uclear"), "-U" + UUID);
        Cli.Result c = run(other);
        assertNotEquals(salt, group(SALT_LINE, c.out()), "another filesystem UUID, another salt");
        assertNotEquals(group(UUID_LINE, a.out()), group(UUID_LINE, c.out()));
        List<String> later = mkfs("--dm-verity", two.toString(), src.toString());
        later.set(later.indexOf("-T1700000000"), "-T1700000001");
        assertNotEquals(salt, group(SALT_LINE, run(later).out()), "another build time, another salt");
        // mkfs's default random filesystem UUID makes the salt random too
        List<String> random = mkfs("--dm-verity", two.toString(), src.toString());
        random.remove("-Uclear");
        assertNotEquals(group(SALT_LINE, run(random).out()), group(SALT_LINE, run(random).out()));
        Cli.Result none = run(mkfs("--dm-verity", "--dm-verity-salt=-", two.toString(), src.toString()));
        assertEquals("-", group(SALT_LINE, none.out()));
    }

    @Test
    void failuresLeaveNothingBehind() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path img = out.resolve("img.erofs");
        Files.writeString(img, "old image");
        // HASHFILE cannot be replaced (a non-empty directory): fails after image and tree were written
        Path blocker = Files.createDirectories(out.resolve("img.hash"));
        Files.writeString(blocker.resolve("keep"), "x");
        Cli.Result r = Cli.run(mkfs("--dm-verity=" + blocker, img.toString(), src.toString()).toArray(String[]::new));
        assertEquals(1, r.status(), r.toString());
        assertUnchanged(out, img);
        // IMAGE cannot be replaced: the image with its appended tree, and the tree's level files, are removed
        Path dirImage = Files.createDirectories(out.resolve("dir.erofs"));
        Files.writeString(dirImage.resolve("keep"), "x");
        r = Cli.run(mkfs("--dm-verity", "--verity-digest", dirImage.toString(), src.toString())
                .toArray(String[]::new));
        assertEquals(1, r.status(), r.toString());
        assertEquals("", r.out(), "no root hash for an image that does not exist");
        assertUnchanged(out, img, dirImage);
        // HASHFILE in a missing directory
        r = Cli.run(mkfs("--dm-verity=" + out.resolve("no/such/dir.hash"), img.toString(), src.toString())
                .toArray(String[]::new));
        assertEquals(1, r.status(), r.toString());
        assertUnchanged(out, img, dirImage);
        // bad usage: nothing is written either
        String[][] usage = {
            {"--dm-verity-salt=00", img.toString(), src.toString()},
            {"--dm-verity", "--dm-verity-salt=xyz", img.toString(), src.toString()},
            {"--dm-verity", "--dm-verity-salt=" + "00".repeat(257), img.toString(), src.toString()},
            {"--dm-verity", "--dm-verity-hash=md5", img.toString(), src.toString()},
            {"--dm-verity", "--dm-verity-uuid=nope", img.toString(), src.toString()},
            {"--dm-verity=" + img, img.toString(), src.toString()},
            {"--dm-verity=", img.toString(), src.toString()},
        };
        for (String[] u : usage) {
            r = Cli.run(mkfs(u).toArray(String[]::new));
            assertEquals(2, r.status(), Arrays.toString(u) + ": " + r);
            assertUnchanged(out, img, dirImage);
        }
    }

    /** Only the given entries are in {@code dir}; the old image is untouched; the blocking dirs still hold "keep". */
    private static void assertUnchanged(Path dir, Path img, Path... others) throws IOException {
        assertEquals("old image", Files.readString(img));
        List<String> want = new ArrayList<>(List.of("img.erofs", "img.hash"));
        for (Path o : others) {
            want.add(o.getFileName().toString());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(want.stream().sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no new image, hash file or temporary file");
        }
        assertFalse(Files.isRegularFile(dir.resolve("img.hash")));
        assertTrue(Files.exists(dir.resolve("img.hash/keep")));
    }
}
