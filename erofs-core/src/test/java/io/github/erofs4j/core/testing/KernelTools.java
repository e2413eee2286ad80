package io.github.erofs4j.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** Loop mounts, fsck.erofs and the manifest tool of {@code testdata/tools}, for the kernel tests. */
public final class KernelTools {
    private KernelTools() {}

    /** Why this machine cannot mount images, or null. */
    public static String machineProblem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot loop-mount";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no loop device support (/dev/loop-control missing)";
        }
        return null;
    }

    /** Skips a jqwik property, with the reason, where loop mounts are impossible. */
    public static final class SkipWithoutMount implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String why = machineProblem();
            return why == null ? SkipResult.doNotSkip() : SkipResult.skip(why);
        }
    }

    public static Path tool(String name) {
        return Fixtures.tool(name);
    }

    /** The manifest lines (manifest.py) of a directory. */
    public static List<String> manifest(Path dir) throws IOException {
        return run(List.of("python3", tool("manifest.py").toString(), dir.toString()), null);
    }

    /** The kernel's view of an image as manifest lines: loop-mounted read-only in a unique directory. */
    public static List<String> kernelView(Path image) throws IOException {
        Path mnt = Files.createTempDirectory("erofs4j-writer-mnt");
        try {
            run(List.of("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString()), null);
            try {
                return manifest(mnt);
            } finally {
                run(List.of("umount", mnt.toString()), null);
            }
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    /** Runs fsck.erofs; returns its output, failing when it rejects the image. */
    public static List<String> fsck(Path image) throws IOException {
        return run(List.of("fsck.erofs", image.toString()), null);
    }

    /** Runs a command (optionally in a directory), returns stdout lines; fails on a non-zero exit. */
    public static List<String> run(List<String> cmd, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path err = Files.createTempFile("erofs4j-cmd", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("timed out: " + cmd);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (p.exitValue() != 0) {
                throw new IOException(cmd + " exited " + p.exitValue() + ": " + Files.readString(err));
            }
            String s = new String(out, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Runs a shell pipeline in a directory. */
    public static List<String> sh(String script, Path dir) throws IOException {
        return run(List.of("bash", "-o", "pipefail", "-c", script), dir);
    }

    /** Fails with only the differing lines (a few), not two huge lists. */
    public static void assertSameLines(List<String> want, List<String> got, String what) {
        if (want.equals(got)) {
            return;
        }
        java.util.Set<String> w = new java.util.LinkedHashSet<>(want);
        java.util.Set<String> g = new java.util.LinkedHashSet<>(got);
        StringBuilder sb = new StringBuilder(what + ": " + want.size() + " lines expected, " + got.size() + " got\n");
        int shown = 0;
        for (String l : want) {
            if (!g.contains(l) && shown++ < 6) {
                sb.append("- ").append(l.length() > 400 ? l.substring(0, 400) + "..." : l).append('\n');
            }
        }
        for (String l : got) {
            if (!w.contains(l) && shown++ < 12) {
                sb.append("+ ").append(l.length() > 400 ? l.substring(0, 400) + "..." : l).append('\n');
            }
        }
        if (shown == 0) {
            sb.append("same lines, different order or duplicates");
        }
        throw new org.opentest4j.AssertionFailedError(sb.toString());
    }

    public static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
