package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.testing.AsUser;
import io.github.erofs4j.core.testing.KernelTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Extraction as an ordinary user (uid 65534 through {@code setpriv}, when the tests run as root; see {@link AsUser}):
 * it restores what it can, exits 0, and summarises what it skipped instead of naming every file.
 */
class NonRootExtractTest {

    @Test
    void restoresWhatItCanAndSummarisesTheRest() throws Exception {
        String why = AsUser.unavailable();
        assumeTrue(why == null, why);
        assumeTrue(Cli.hasPython(), "python3 is needed to run manifest.py");
        Path base = Files.createTempDirectory("erofs4j-nonroot");
        try {
            Path image = base.resolve("plain.erofs");
            Files.copy(Cli.fixture("plain"), image);
            AsUser.give(base);
            Path out = base.resolve("out");
            AsUser.Result r = AsUser.run(base, Main.class.getName(), "extract", image.toString(), out.toString());
            String err = r.err();
            assertEquals(0, r.status(), err);
            String prefix = "erofs extract: " + image + ": not restored in " + out + ":\n";
            assertTrue(err.contains(prefix), err);
            // char-null needs CAP_MKNOD; the 0:0 whiteout does not (Linux 5.8+).
            assertTrue(err.contains("  1 char devices (mknod: Operation not permitted), e.g. " + out.resolve("char-null")),
                    err);
            assertTrue(err.contains("  1 block devices (mknod: Operation not permitted), e.g. "), err);
            assertTrue(err.matches("(?s).*  \\d+ xattrs trusted\\.\\* on [a-z ]+ \\(Operation not permitted\\), e\\.g\\. .*"),
                    err);
            assertTrue(err.lines().count() < 20, "a summary, not a line per file:\n" + err);

            // Everything else matches the kernel's view, with our own ownership and without what was skipped.
            Map<String, String[]> got = new HashMap<>();
            for (String l : Cli.manifestOf(out)) {
                got.put(l.split("\t")[0], l.split("\t"));
            }
            int checked = 0;
            for (String l : Cli.manifest("plain")) {
                String[] want = l.split("\t");
                if (want[0].equals("char-null") || want[0].equals("block-dev")) {
                    assertTrue(!got.containsKey(want[0]), want[0]);
                    continue;
                }
                String[] have = got.get(want[0]);
                assertTrue(have != null, want[0]);
                assertEquals("65534", have[3], want[0]);
                for (int f : new int[] {1, 2, 5, 6, 7, 8, 9}) {
                    assertEquals(want[f], have[f], want[0] + " field " + f);
                }
                assertEquals(withoutTrusted(want[10]), have[10], want[0] + " xattrs");
                checked++;
            }
            assertTrue(checked > 380);
        } finally {
            KernelTools.deleteTree(base);
        }
    }

    private static String withoutTrusted(String xattrs) {
        if (xattrs.equals("-")) {
            return xattrs;
        }
        List<String> keep = new ArrayList<>();
        for (String x : xattrs.split(",")) {
            if (!x.startsWith("trusted.")) {
                keep.add(x);
            }
        }
        return keep.isEmpty() ? "-" : String.join(",", keep);
    }
}
