package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code erofs extract} of a fixture, as root, gives a tree whose manifest.py output equals the fixture's manifest
 * line for line. Runs over every fixture, compressed ones included.
 */
class ExtractFixturesTest {
    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void unlink() throws java.io.IOException {
        Cli.unlinkSymlinks(tmp);
    }

    @BeforeAll
    static void requirements() {
        assumeTrue(Cli.isRoot(), "extraction restores owners, devices and trusted.* xattrs only as root");
        assumeTrue(Cli.hasPython(), "python3 is needed to run manifest.py");
    }

    static List<String> fixtures() throws Exception {
        return Cli.allFixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void extractedTreeMatchesTheKernelManifest(String fixture) throws Exception {
        Path dir = tmp.resolve("out");
        Cli.Result r = Cli.run("extract", Cli.fixture(fixture).toString(), dir.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err(), "nothing skipped as root");
        assertEquals(Cli.manifest(fixture), Cli.manifestOf(dir), fixture);
    }

    /** lz4-java's decoder (not the default) gives the kernel's tree too; an unknown decoder is a usage error. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lz4", "lz4hc-big", "lz4hc-legacy", "lz4hc-ztail",
        "lz4hc-frag-dedupe", "lz4-allfrag"})
    void lz4JavaDecoderGivesTheSameTree(String fixture) throws Exception {
        Path dir = tmp.resolve("lz4-java");
        Cli.Result r = Cli.run("extract", "--lz4-decoder=lz4-java", Cli.fixture(fixture).toString(), dir.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(Cli.manifest(fixture), Cli.manifestOf(dir), fixture);
        Cli.Result bad = Cli.run("extract", "--lz4-decoder=jni", Cli.fixture(fixture).toString(),
                tmp.resolve("bad").toString());
        assertEquals(2, bad.status(), bad::toString);
        assertTrue(bad.err().contains("--lz4-decoder: expected lz4-java or builtin, not 'jni'"), bad::toString);
    }

    @Test
    void oneThreadGivesTheSameTree() throws Exception {
        Path dir = tmp.resolve("one");
        Cli.Result r = Cli.run("fsck", "--threads=1", "--extract=" + dir, Cli.fixture("chunk-map").toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(Cli.manifest("chunk-map"), Cli.manifestOf(dir));
    }

    @Test
    void extractingTwiceNeedsOverwriteAndThenGivesTheSameTree() throws Exception {
        Path dir = tmp.resolve("twice");
        assertEquals(0, Cli.run("extract", Cli.fixture("plain").toString(), dir.toString()).status());
        Cli.Result again = Cli.run("extract", Cli.fixture("plain").toString(), dir.toString());
        assertEquals(1, again.status(), again::toString);
        assertTrue(again.err().contains("use --overwrite"), again::toString);
        Cli.Result forced = Cli.run("extract", "--overwrite", Cli.fixture("plain").toString(), dir.toString());
        assertEquals(0, forced.status(), forced::toString);
        assertEquals(Cli.manifest("plain"), Cli.manifestOf(dir));
    }

    @Test
    void holesStayHoles() throws Exception {
        Path dir = tmp.resolve("sparse");
        assertEquals(0, Cli.run("extract", Cli.fixture("chunk-map").toString(), dir.toString()).status());
        Path f = dir.resolve("sparse.img");
        Process p = new ProcessBuilder("stat", "-c", "%b %B %s", f.toString()).start();
        String[] st = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        assertEquals(0, p.waitFor());
        long allocated = Long.parseLong(st[0]) * Long.parseLong(st[1]);
        long size = Long.parseLong(st[2]);
        assertEquals(700_123, size);
        // One 16 KiB chunk holds data (see dump --path=/sparse.img); the rest of the 700 KB are holes.
        assertTrue(allocated <= 64 * 1024, () -> allocated + " bytes allocated for a file with one 16 KiB extent");
    }

    @Test
    void optOutFlagsLeaveXattrsAndOwnersAlone() throws Exception {
        Path dir = tmp.resolve("plain-opt");
        Cli.Result r = Cli.run("extract", "--no-xattrs", "--no-owner", Cli.fixture("plain").toString(),
                dir.toString());
        assertEquals(0, r.status(), r::toString);
        List<String> want = new java.util.ArrayList<>();
        for (String l : Cli.manifest("plain")) {
            String[] f = l.split("\t");
            f[3] = "0";
            f[4] = "0";
            f[10] = "-";
            want.add(String.join("\t", f));
        }
        assertEquals(want, Cli.manifestOf(dir));
    }

    private static void assertTrue(boolean b, java.util.function.Supplier<String> msg) {
        org.junit.jupiter.api.Assertions.assertTrue(b, msg);
    }
}
