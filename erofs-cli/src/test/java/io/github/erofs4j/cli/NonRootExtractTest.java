package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Extraction as an ordinary user (uid 65534 through {@code setpriv}, when the tests run as root): it restores what
 * it can, exits 0, and summarises what it skipped instead of naming every file.
 */
class NonRootExtractTest {

    @Test
    void restoresWhatItCanAndSummarisesTheRest() throws Exception {
        assumeTrue(Cli.isRoot(), "needs root to switch to an ordinary user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        assumeTrue(Cli.hasPython(), "python3 is needed to run manifest.py");
        Path base = Files.createTempDirectory("erofs4j-nonroot");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
            // The test class path may sit where the ordinary user cannot read (~/.m2): copy it.
            List<String> cp = new ArrayList<>();
            int i = 0;
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path src = Path.of(e);
                if (!Files.exists(src) || e.contains("surefire")) {
                    continue;
                }
                Path dst = base.resolve("cp" + i++ + (Files.isDirectory(src) ? "" : ".jar"));
                copy(src, dst);
                cp.add(dst.toString());
            }
            Path image = base.resolve("plain.erofs");
            Files.copy(Cli.fixture("plain"), image);
            openUp(base);
            Path out = base.resolve("out");
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(":", cp),
                    Main.class.getName(), "extract", image.toString(), out.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err);
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
            delete(base);
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

    private static void copy(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst);
            return;
        }
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, dst.resolve(src.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void openUp(Path base) throws IOException {
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path base) throws IOException {
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
