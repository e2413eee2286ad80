package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without JNA on the class path the CLI still extracts: it warns once, restores what the JDK can (data, modes
 * with setuid, owners, times, user.* xattrs on files and directories) and summarises the rest.
 */
class NoJnaExtractTest {
    @TempDir
    Path tmp;

    @AfterEach
    void unlink() throws java.io.IOException {
        Cli.unlinkSymlinks(tmp);
    }

    @Test
    void warnsAndRestoresWhatTheJdkCan() throws Exception {
        assumeTrue(Cli.isRoot(), "owners are compared, which needs root");
        assumeTrue(Cli.hasPython(), "python3 is needed to run manifest.py");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.contains("jna")) {
                cp.add(e);
            }
        }
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, cp), Main.class.getName(), "extract",
                Cli.fixture("plain").toString(), out.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.startsWith("erofs extract: warning: JNA (net.java.dev.jna:jna) is not on the class or module "
                + "path; "), err);
        assertTrue(err.contains("  5 device nodes, fifos and sockets (need JNA), e.g. "), err);
        assertTrue(err.lines().count() < 15, err);

        Map<String, String[]> got = new HashMap<>();
        for (String l : Cli.manifestOf(out)) {
            got.put(l.split("\t")[0], l.split("\t"));
        }
        for (String l : Cli.manifest("plain")) {
            String[] want = l.split("\t");
            String[] have = got.get(want[0]);
            if ("cbps".contains(want[1])) {
                assertTrue(have == null, want[0]);
                continue;
            }
            assertTrue(have != null, want[0]);
            // Type, mode (setuid included), owner, size, links and content are all restored.
            for (int f : new int[] {1, 2, 3, 4, 5, 8, 9}) {
                assertEquals(want[f], have[f], want[0] + " field " + f);
            }
            if (!want[1].equals("l")) {
                assertEquals(want[6] + "." + want[7], have[6] + "." + have[7], want[0] + " mtime");
                assertEquals(userOnly(want[10]), have[10], want[0] + " xattrs");
            }
        }
    }

    private static String userOnly(String xattrs) {
        List<String> keep = new ArrayList<>();
        for (String x : xattrs.split(",")) {
            if (x.startsWith("user.")) {
                keep.add(x);
            }
        }
        return keep.isEmpty() ? "-" : String.join(",", keep);
    }
}
