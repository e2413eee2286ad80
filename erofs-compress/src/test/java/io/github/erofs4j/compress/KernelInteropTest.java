package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.read.ErofsImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * Random trees compressed at test time by Debian's mkfs.erofs 1.5 (lz4, lz4hc with several pcluster sizes,
 * ztailpacking, and legacy-compress, which in 1.5 also drops 0-padding) read back by us exactly as the kernel
 * shows them through a loop mount.
 */
@Tag("kernel")
@net.jqwik.api.Tag("kernel") // jqwik ignores JUnit's @Tag on its properties
class KernelInteropTest {

    /** mkfs.erofs 1.5 option sets; every one also gets {@code -T1700000000}. */
    static final List<List<String>> OPTIONS = List.of(
            List.of("-zlz4"),
            List.of("-zlz4hc"),
            List.of("-zlz4hc,12", "-C16384"),
            List.of("-zlz4hc", "-C65536"),
            List.of("-zlz4", "-C8192"),
            List.of("-zlz4hc", "-Eztailpacking"),
            List.of("-zlz4hc", "-C32768", "-Eztailpacking"),
            List.of("-zlz4hc", "-Elegacy-compress"),
            List.of("-zlz4", "-Elegacy-compress"));

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void readsLikeTheKernel(@ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int option) throws Exception {
        check(seed, option);
    }

    /** Every option set at least once, whatever the property's random choices. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void everyOptionSet(int option) throws Exception {
        check(20261126L + option, option);
    }

    private static void check(long seed, int option) throws Exception {
        assumeCanMount();
        MkfsErofs.assumeAvailable();
        Path tmp = Files.createTempDirectory("erofs4j-kernel-");
        try {
            Path src = tmp.resolve("src");
            makeTree(new Random(seed), src);
            Path image = tmp.resolve("t.erofs");
            List<String> opts = new ArrayList<>(OPTIONS.get(option));
            opts.add("-T1700000000");
            MkfsErofs.run(image, src, opts.toArray(String[]::new));
            Path mnt = Files.createDirectory(tmp.resolve("mnt"));
            List<String> kernel;
            exec("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
            try {
                kernel = view(mnt);
            } finally {
                exec("umount", mnt.toString());
            }
            try (ErofsImage img = ErofsImage.open(image, TestImages.readOptions().build())) {
                List<String> ours = new ArrayList<>();
                for (String line : TestImages.manifestOf(img)) {
                    // Columns compared: path type perms uid gid size mtime payload (no xattrs in these trees;
                    // nlink of directories differs by design of manifest.py, so it is left out everywhere).
                    String[] f = line.split("\t", -1);
                    ours.add(String.join("\t", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[9]));
                }
                assertEquals(kernel, ours, "options " + opts + ", seed " + seed);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** Directories, symlinks and files of every interesting size and kind of content. */
    static void makeTree(Random r, Path root) throws IOException {
        Files.createDirectories(root);
        List<Path> dirs = new ArrayList<>(List.of(root));
        int nd = r.nextInt(5);
        for (int i = 0; i < nd; i++) {
            Path d = dirs.get(r.nextInt(dirs.size())).resolve("dir" + i);
            Files.createDirectory(d);
            dirs.add(d);
        }
        int[] sizes = {0, 1, 100, 4095, 4096, 4097, 8191, 12289, 65539, 131072, 300_001, 1_200_000};
        int nf = 1 + r.nextInt(14);
        for (int i = 0; i < nf; i++) {
            Path dir = dirs.get(r.nextInt(dirs.size()));
            int size = sizes[r.nextInt(sizes.length)] + (r.nextBoolean() ? 0 : r.nextInt(3000));
            byte[] data = switch (r.nextInt(4)) {
                case 0 -> DecompressorRoundTripTest.data(r.nextLong(), size);
                case 1 -> {
                    byte[] b = new byte[size];
                    r.nextBytes(b);
                    yield b;
                }
                case 2 -> new byte[size];
                default -> {
                    // Alternating compressible and random runs: extents of both kinds in one file.
                    byte[] b = DecompressorRoundTripTest.data(r.nextLong(), size);
                    for (int p = 0; p < size; p += 20000) {
                        byte[] noise = new byte[Math.min(5000, size - p)];
                        r.nextBytes(noise);
                        System.arraycopy(noise, 0, b, p, noise.length);
                    }
                    yield b;
                }
            };
            Files.write(dir.resolve("f" + i + ".dat"), data);
        }
        // Always one large file mixing compressible and incompressible runs, so every image has many pclusters.
        byte[] anchor = DecompressorRoundTripTest.data(r.nextLong(), 200_000 + r.nextInt(500_000));
        for (int p = r.nextInt(30000); p < anchor.length; p += 30000 + r.nextInt(30000)) {
            byte[] noise = new byte[Math.min(3000 + r.nextInt(9000), anchor.length - p)];
            r.nextBytes(noise);
            System.arraycopy(noise, 0, anchor, p, noise.length);
        }
        Files.write(dirs.get(r.nextInt(dirs.size())).resolve("anchor.dat"), anchor);
        if (r.nextBoolean()) {
            Files.createSymbolicLink(root.resolve("link"), Path.of("f0.dat"));
        }
    }

    /** The kernel's view of a mounted tree in the columns compared. */
    static List<String> view(Path mnt) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(mnt)) {
            all = new ArrayList<>(s.toList());
        }
        all.sort(Comparator.comparing(p -> rel(mnt, p).getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        List<String> out = new ArrayList<>();
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String type;
            String payload;
            long size;
            if (Files.isSymbolicLink(p)) {
                type = "l";
                byte[] t = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8);
                payload = HexFormat.of().formatHex(t);
                size = t.length;
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                type = "d";
                payload = "-";
                size = 0;
            } else {
                type = "f";
                payload = sha256(Files.readAllBytes(p));
                size = (Long) a.get("size");
            }
            long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
            out.add(String.join("\t", rel(mnt, p), type, Integer.toOctalString(mode & 07777),
                    a.get("uid").toString(), a.get("gid").toString(), Long.toString(size), Long.toString(mtime),
                    payload));
        }
        return out;
    }

    private static String rel(Path root, Path p) {
        String s = root.relativize(p).toString();
        return s.isEmpty() ? "." : s;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assumeCanMount() throws IOException, InterruptedException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root to mount");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/loop-control")) || Files.exists(Path.of("/dev/loop0")),
                "no loop device");
    }

    static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
