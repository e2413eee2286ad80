package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ls, cat, dump and fsck on the fixtures, and the exit status contract (0 ok, 1 bad image, 2 bad usage). */
class CommandsTest {
    static final String PLAIN = Cli.fixture("plain").toString();

    @TempDir
    Path tmp;

    static List<String> uncompressed() {
        return Cli.UNCOMPRESSED;
    }

    /** Manifest fields of the line for a path. */
    static String[] entry(String fixture, String path) throws Exception {
        for (String l : Cli.manifest(fixture)) {
            String[] f = l.split("\t");
            if (f[0].equals(path)) {
                return f;
            }
        }
        throw new AssertionError("no " + path + " in " + fixture);
    }

    @Test
    void usageErrorsExitWith2() {
        String[][] cases = {
            {},
            {"no-such-command"},
            {"ls"},
            {"ls", "--bogus", PLAIN},
            {"cat", PLAIN},
            {"dump", "--path=/", "--nid=38", PLAIN},
            {"dump", "--nid=abc", PLAIN},
            {"extract", PLAIN},
            {"extract", PLAIN, "/"},
            {"fsck", "--threads=-1", PLAIN},
            {"ls", PLAIN, "/", "extra"},
        };
        for (String[] args : cases) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), () -> String.join(" ", args) + ": " + r);
            assertTrue(!r.err().isEmpty(), () -> String.join(" ", args) + " says why");
        }
    }

    @Test
    void helpAndVersionExitWith0() {
        assertEquals(0, Cli.run("--version").status());
        assertTrue(Cli.run("--version").out().startsWith("erofs4j "));
        for (String cmd : List.of("ls", "cat", "dump", "fsck", "extract")) {
            Cli.Result r = Cli.run("help", cmd);
            assertEquals(0, r.status(), r::toString);
            assertTrue(r.out().contains("Usage: erofs " + cmd), r::toString);
        }
    }

    @Test
    void failuresExitWith1AndNameImageAndPath() throws Exception {
        Cli.Result r = Cli.run("ls", PLAIN, "/deep/nope");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("erofs ls: " + PLAIN + ": /deep/nope: "), r::toString);

        r = Cli.run("cat", PLAIN, "/deep");
        assertEquals(1, r.status());
        assertTrue(r.err().contains(PLAIN) && r.err().contains("/deep: is a directory"), r::toString);

        r = Cli.run("cat", PLAIN, "/fifo");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("/fifo: not a regular file"), r::toString);

        Path missing = tmp.resolve("missing.erofs");
        r = Cli.run("fsck", missing.toString());
        assertEquals(1, r.status());
        assertEquals("erofs fsck: " + missing + ": no such file or directory\n", r.err());

        Path notErofs = Files.write(tmp.resolve("zero.img"), new byte[8192]);
        r = Cli.run("dump", notErofs.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(notErofs + ": superblock at byte 1024"), r::toString);

        Path truncated = Files.write(tmp.resolve("trunc.erofs"),
                java.util.Arrays.copyOf(Files.readAllBytes(Cli.fixture("plain")), 100_000));
        r = Cli.run("fsck", truncated.toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains(truncated.toString()) && r.err().contains("at byte"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uncompressed")
    void fsckFindsEveryUncompressedFixtureSound(String fixture) throws Exception {
        Cli.Result r = Cli.run("fsck", Cli.fixture(fixture).toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err());
        double bytes = 0;
        for (String l : Cli.manifest(fixture)) {
            String[] f = l.split("\t");
            // A file with n links appears n times and is read once.
            if (f[1].equals("f") || f[1].equals("l")) {
                bytes += Double.parseDouble(f[5]) / Long.parseLong(f[8]);
            }
        }
        long manifestBytes = Math.round(bytes);
        assertTrue(r.out().contains(": no errors found: "), r::toString);
        // Every stored byte was read: holes are the only bytes not read.
        long read = Long.parseLong(r.out().replaceAll("(?s).*, (\\d+) bytes of data read.*", "$1"));
        assertTrue(read <= manifestBytes && read > manifestBytes - 1_000_000, () -> read + " vs " + r);
    }

    @Test
    void lsListsTheRootInByteOrder() throws Exception {
        Cli.Result r = Cli.run("ls", PLAIN);
        assertEquals(0, r.status(), r::toString);
        List<String> expected = new ArrayList<>();
        for (String l : Cli.manifest("plain")) {
            String p = l.split("\t")[0];
            if (!p.equals(".") && !p.contains("/")) {
                expected.add(p);
            }
        }
        assertEquals(expected, List.of(r.out().split("\n")));
    }

    @Test
    void lsRecursiveNamesEveryEntryOnce() throws Exception {
        Cli.Result r = Cli.run("ls", "-R", PLAIN);
        assertEquals(0, r.status(), r::toString);
        Set<String> expected = new TreeSet<>();
        for (String l : Cli.manifest("plain")) {
            expected.add(l.split("\t")[0]);
        }
        expected.remove(".");
        List<String> lines = List.of(r.out().split("\n"));
        assertEquals(expected.size(), lines.size());
        assertEquals(expected, new TreeSet<>(lines));
        // Pre-order: every path comes right after its parent's subtree started.
        assertEquals(List.of("a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e", "a/b/c/d/e/f", "a/b/c/d/e/f/g",
                "a/b/c/d/e/f/g/h", "a/b/c/d/e/f/g/h/leaf.txt", "hl-3"),
                List.of(Cli.run("ls", "-R", PLAIN, "/deep").out().split("\n")));
    }

    @Test
    void lsLongShowsModeOwnerSizeDevicesAndTargets() throws Exception {
        String out = Cli.run("ls", "-l", PLAIN).out();
        assertTrue(out.contains("-rwsr-xr-x   1     0     0         10 2024-11-09 01:40:21 setuid\n"), out);
        assertTrue(out.contains("brw-rw----   1     0     0       8, 1 "), out);
        assertTrue(out.contains("drwxrwxrwt "), out);
        assertTrue(out.contains("-rw-r--r--   1 70000 80000          8 "), out);
        assertTrue(out.contains(" sym-short -> text/doc-01.txt\n"), out);
        assertTrue(out.contains("-rw-r--r--   3     0     0       3000 "), out);
        String[] setuid = entry("plain", "setuid");
        assertEquals(Integer.parseInt(setuid[2], 8), 04755);
        // ls of a non-directory names it alone.
        assertEquals("size-1\n", Cli.run("ls", PLAIN, "/size-1").out().replace("/size-1", "size-1"));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"plain", "b1024", "chunk-index"})
    void catReproducesEveryRegularFile(String fixture) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int files = 0;
        for (String l : Cli.manifest(fixture)) {
            String[] f = l.split("\t");
            if (!f[1].equals("f")) {
                continue;
            }
            Cli.Result r = Cli.run("cat", Cli.fixture(fixture).toString(), "/" + f[0]);
            assertEquals(0, r.status(), () -> f[0] + ": " + r.err());
            assertEquals(f[9], HexFormat.of().formatHex(sha.digest(r.outBytes())), f[0]);
            files++;
        }
        assertTrue(files > 0);
    }

    @Test
    void catFollowsSymlinksInsideTheImage() throws Exception {
        byte[] direct = Cli.run("cat", PLAIN, "/text/doc-01.txt").outBytes();
        Cli.Result viaLink = Cli.run("cat", PLAIN, "/sym-short");
        assertEquals(0, viaLink.status(), viaLink::toString);
        assertArrayEquals(direct, viaLink.outBytes());
        // sym-abs points to /etc/passwd, resolved inside the image (where it does not exist), never on the host.
        Cli.Result abs = Cli.run("cat", PLAIN, "/sym-abs");
        assertEquals(1, abs.status(), abs::toString);
        assertTrue(abs.err().contains("no such file"), abs::toString);
    }

    @Test
    void dumpShowsSuperblockWithFeatureNames() {
        Cli.Result r = Cli.run("dump", Cli.fixture("chunk-index").toString());
        assertEquals(0, r.status(), r::toString);
        String out = r.out();
        assertTrue(out.contains("Filesystem magic number:                      0xE0F5E1E2\n"), out);
        assertTrue(out.matches("(?s).*Filesystem features: +sb_csum mtime xattr_filter chunked_file\n.*"), out);
        assertTrue(out.contains("Filesystem UUID:                              0b2ad6b4-52b2-4d3e-9c3c-1f0c6a6e5a01\n"),
                out);
        assertTrue(out.contains("Filesystem created:                           2023-11-14T22:13:20Z (1700000000)\n"),
                out);
    }

    @Test
    void dumpShowsMetaboxNidsUnsigned() {
        // As dump.erofs 1.9.3 shows them: the root's nid has the metabox bit (bit 63) set.
        Cli.Result r = Cli.run("dump", Cli.fixture("metabox").toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("Filesystem root nid:                          9223372036854775808\n"), r::toString);
        assertTrue(r.out().contains("Filesystem metabox nid:                       39\n"), r::toString);
        assertTrue(!Cli.run("dump", PLAIN).out().contains("metabox nid"), "no metabox line without the feature");
    }

    @Test
    void dumpStatisticsCountTheManifest() throws Exception {
        String out = Cli.run("dump", "-S", PLAIN).out();
        long regular = Cli.manifest("plain").stream().filter(l -> l.split("\t")[1].equals("f")).count();
        // hl-1, hl-2 and deep/hl-3 are one inode.
        assertTrue(out.contains("Regular files:                                " + (regular - 2) + "\n"), out);
        assertTrue(out.contains("block_device=1, char_device=2, directory=14, fifo=1, regular=" + (regular - 2)
                + ", socket=1, symlink=4"), out);
    }

    @Test
    void dumpInodeShowsLayoutHolesAndXattrs() throws Exception {
        Cli.Result r = Cli.run("dump", "--path=/sparse.img", Cli.fixture("chunk-map").toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("Layout:                                       4 (chunk-based)\n"), r::toString);
        assertTrue(r.out().matches("(?s).*Extents: +\\d+:.*: hole\n.*"), r::toString);
        assertTrue(r.out().contains("Size:                                         " + entry("chunk-map", "sparse.img")[5]),
                r::toString);

        r = Cli.run("dump", "--path=/size-1", PLAIN);
        assertTrue(r.out().contains("  user.comment = \"a small comment\"\n"), r::toString);

        r = Cli.run("dump", "--json", "--nid=" + nidOf("/empty-dir"), PLAIN);
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("\"path\": \"/empty-dir\""), r::toString);
        assertTrue(r.out().contains("\"name\": \"trusted.overlay.opaque\",\n        \"valueHex\": \"79\""),
                r::toString);
        assertTrue(r.out().startsWith("{\n  \"image\": ") && r.out().endsWith("}\n"), r::toString);
    }

    @Test
    void dumpJsonSuperblockAndStatistics() {
        Cli.Result r = Cli.run("dump", "-s", "-S", "--json", PLAIN);
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("\"uuid\": \"0b2ad6b4-52b2-4d3e-9c3c-1f0c6a6e5a01\""), r::toString);
        assertTrue(r.out().contains("\"features\": [\n      \"sb_csum\",\n      \"mtime\""), r::toString);
        assertTrue(r.out().contains("\"statistics\": {"), r::toString);
    }

    private static long nidOf(String path) {
        String out = Cli.run("dump", "--path=" + path, PLAIN).out();
        return Long.parseLong(out.replaceAll("(?s).*\nNID: +(\\d+)\n.*", "$1"));
    }
}
