package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.testing.Fixtures;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link DamageSweep} on each uncompressed fixture in a child JVM limited to {@code -Xmx256m}, so that an
 * allocation driven by a corrupt length shows up as an OutOfMemoryError (the child then exits non-zero) whatever
 * heap the test JVM itself has.
 */
class DamageSweepTest {

    /** Sweeps every fixture, two child JVMs at a time. */
    @Test
    void truncationsAndBitFlips() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String name : Fixtures.UNCOMPRESSED) {
                results.add(pool.submit(() -> sweep(name)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get(10, TimeUnit.MINUTES);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertEquals(List.of(), failures);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one child; returns null on success, else what went wrong. */
    private static String sweep(String name) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), DamageSweep.class.getName(), name,
                Fixtures.image(name).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return name + ": sweep did not finish";
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.print(text);
        if (p.exitValue() != 0 || !text.contains(" flips,")) {
            return name + ": sweep failed (exit " + p.exitValue() + "):\n" + text;
        }
        return null;
    }
}
