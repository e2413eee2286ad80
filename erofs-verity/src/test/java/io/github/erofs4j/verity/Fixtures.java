package io.github.erofs4j.verity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Locates the verity fixtures of the repository's testdata folder and rebuilds the deterministic input files of gen_files.py. */
public final class Fixtures {
    private Fixtures() {
    }

    /**
     * The repository's {@code testdata/fixtures/verity} folder, found through the {@code erofs4j.testdata}
     * property the build sets.
     */
    public static Path verityDir() {
        String p = System.getProperty("erofs4j.testdata");
        if (p == null || !Files.isDirectory(Path.of(p, "fixtures", "verity"))) {
            throw new IllegalStateException("system property erofs4j.testdata must name the repository's testdata "
                    + "folder (the Maven build sets it), not " + p);
        }
        return Path.of(p, "fixtures", "verity");
    }

    /** Lines of a vector file. */
    public static List<String> lines(String name) throws IOException {
        return Files.readAllLines(verityDir().resolve(name));
    }

    /** Byte i = (i*31+7) & 0xFF. */
    public static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** fsverity-utils' test pattern: byte i = ((i%11)+(i%439)+(i%1103)) & 0xFF. */
    public static byte[] upstream(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i % 11) + (i % 439) + (i % 1103));
        }
        return b;
    }

    private static final Map<String, Integer> SIZES = Map.of("empty", 0, "one", 1, "b4095", 4095, "b4096", 4096,
            "b4097", 4097, "b8192", 8192, "b128x4096", 128 * 4096, "b129x4096p1", 129 * 4096 + 1,
            "b16385x4096", 16385 * 4096);

    /** The content of a named gen_files.py file. */
    public static byte[] file(String name) {
        if (name.equals("zero1m")) {
            return new byte[1 << 20];
        }
        if (name.equals("upstream1m")) {
            return upstream(1_000_000);
        }
        if (name.equals("upstream100k")) {
            return upstream(100_000);
        }
        Integer n = SIZES.get(name);
        if (n == null) {
            throw new IllegalArgumentException("unknown fixture file " + name);
        }
        return pattern(n);
    }

    /** Hex to bytes; "-" is empty. */
    public static byte[] hex(String s) {
        return s.equals("-") ? new byte[0] : HexFormat.of().parseHex(s);
    }

    /** Bytes to lowercase hex. */
    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Whether a command exists on PATH. */
    public static boolean hasCommand(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) {
                return true;
            }
        }
        return false;
    }
}
