package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.source.DirectorySource;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The superblock's compression fields against mkfs.erofs 1.9.3's (where {@code MKFS_EROFS_193} names it): the
 * incompatible feature bits, {@code u1} (the algorithm bitmap or the lz4 distance) and the configuration records
 * after the superblock are the same bytes for each algorithm, level, window and pcluster size.
 */
class CompressionConfigInteropTest {
    /** Superblock offsets: feature_incompat and u1, and the end of the superblock where the records start. */
    private static final int SB = 1024;
    private static final int FIELDS = SB + 80;
    private static final int RECORDS = SB + 128;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"-zlz4", "-zlz4hc", "-zlz4hc -C65536", "-zdeflate", "-zdeflate,9 -C16384", "-zzstd",
        "-zzstd -C65536", "-zzstd,level=9,dictsize=4096 -C131072", "-zzstd,3 -C1048576",
        "-zzstd,dictsize=256k -C16384", "-zlzma", "-zlzma,9 -C65536", "-zlzma,level=103,dictsize=65536 -C16384",
        "-zlzma -C1048576", "-zlz4hc:lzma", "-zlz4:lz4hc", "-zlzma,9:lz4", "-zzstd:deflate:lz4hc -C65536",
        "-zdeflate:zstd,dictsize=256k:lzma,dictsize=65536 -C16384", "-zlzma,dictsize=65536:lzma -C131072"})
    void sameFieldsAsMkfsErofs(String opts) throws Exception {
        String mkfs = System.getenv("MKFS_EROFS_193");
        Assumptions.assumeTrue(mkfs != null && !mkfs.isBlank(), "MKFS_EROFS_193 does not name mkfs.erofs 1.9.3");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "compressible text ".repeat(2000));
        Compression.Builder c = null;
        for (String o : opts.split(" ")) {
            if (o.startsWith("-z")) {
                c = Compression.parse(o.substring(2));
            } else {
                c.pclusterSize(Integer.parseInt(o.substring(2)));
            }
        }
        Path ours = tmp.resolve("ours.erofs");
        ErofsWriter.write(DirectorySource.read(src, SourceOptions.defaults()), ours,
                WriteOptions.builder().buildTime(0).compression(c.build()).build());
        Path theirs = tmp.resolve("theirs.erofs");
        List<String> cmd = new ArrayList<>(List.of(mkfs, "--quiet", "-T0"));
        cmd.addAll(List.of(opts.split(" ")));
        cmd.add(theirs.toString());
        cmd.add(src.toString());
        run(cmd);
        byte[] a = Files.readAllBytes(ours);
        byte[] b = Files.readAllBytes(theirs);
        assertArrayEquals(Arrays.copyOfRange(b, FIELDS, FIELDS + 6), Arrays.copyOfRange(a, FIELDS, FIELDS + 6),
                opts + ": feature_incompat and u1");
        int recordsLength = recordsLength(b);
        assertEquals(recordsLength, recordsLength(a), opts + ": configuration records' size");
        assertArrayEquals(Arrays.copyOfRange(b, RECORDS, RECORDS + recordsLength),
                Arrays.copyOfRange(a, RECORDS, RECORDS + recordsLength), opts + ": configuration records");
    }

    /** The bytes of the records: one per bit of the algorithm bitmap, each 4-byte aligned. */
    private static int recordsLength(byte[] img) {
        if ((img[FIELDS] & 2) == 0) {
            return 0;
        }
        int n = Integer.bitCount((img[FIELDS + 4] & 0xFF) | (img[FIELDS + 5] & 0xFF) << 8);
        int at = RECORDS;
        for (int i = 0; i < n; i++) {
            at += (2 + (img[at] & 0xFF) + (img[at + 1] & 0xFF) * 256 + 3) & ~3;
        }
        return at - RECORDS;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
