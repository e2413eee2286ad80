package io.github.erofs4j.compress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the reference mkfs.erofs (Debian's 1.5 on CI; {@code MKFS_EROFS} overrides the path). */
final class MkfsErofs {
    private MkfsErofs() {}

    static String binary() {
        String env = System.getenv("MKFS_EROFS");
        return env != null && !env.isEmpty() ? env : "mkfs.erofs";
    }

    static void assumeAvailable() {
        boolean ok;
        try {
            Process p = new ProcessBuilder(binary(), "--help").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        Assumptions.assumeTrue(ok, "mkfs.erofs is not installed (apt-get install erofs-utils)");
    }

    /** Runs {@code mkfs.erofs OPTIONS IMAGE SRC}; fails with its output if it fails. */
    static void run(Path image, Path src, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.add("--quiet");
        cmd.addAll(List.of(options));
        cmd.add(image.toString());
        cmd.add(src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(image)) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
