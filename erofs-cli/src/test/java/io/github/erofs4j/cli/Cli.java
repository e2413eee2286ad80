package io.github.erofs4j.cli;

import io.github.erofs4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Test helpers: run the CLI in-process with captured output; locate fixtures and tools. */
final class Cli {
    private Cli() {}

    /** The outcome of one command line. */
    record Result(int status, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- out:\n" + out() + "\n--- err:\n" + err;
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Main.run(Main.commandLine(o, e), args);
        o.flush();
        e.flush();
        return new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** The fixtures directory, {@code testdata/fixtures} of the repository. */
    static Path fixtures() {
        return Fixtures.dir();
    }

    static Path fixture(String name) {
        return Fixtures.image(name);
    }

    /** Every fixture image name (without .erofs), sorted. */
    static List<String> allFixtures() throws IOException {
        try (Stream<Path> s = Files.list(fixtures())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".erofs"))
                    .map(n -> n.substring(0, n.length() - 6)).sorted().toList();
        }
    }

    /** The fixtures without compressed inodes. */
    static final List<String> UNCOMPRESSED = Fixtures.UNCOMPRESSED;

    static List<String> manifest(String fixture) throws IOException {
        return Fixtures.manifest(fixture);
    }

    /** The manifest tool, {@code testdata/tools/manifest.py}. */
    static Path manifestTool() {
        return Fixtures.tool("manifest.py");
    }

    /** Runs manifest.py on a directory and returns its lines. */
    static List<String> manifestOf(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", manifestTool().toString(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("manifest.py failed on " + dir);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * Deletes the symlinks below a directory (without following them), so that JUnit's temp-dir cleanup does not
     * warn about links that point outside, like the fixtures' {@code sym-abs -> /etc/passwd}.
     */
    static void unlinkSymlinks(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    static boolean isRoot() {
        return io.github.erofs4j.core.extract.ImageExtractor.runningAsRoot()
                .orElse("root".equals(System.getProperty("user.name")));
    }

    static boolean hasPython() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
