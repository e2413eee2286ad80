package io.github.erofs4j.compress;

import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.Compressors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * A micro-benchmark of the LZ4 encoders in the way mkfs fills pclusters: each file is cut into consecutive
 * destSize calls of a fixed capacity, each consuming as much as fits. Prints, per encoder and level, the input
 * and output totals and the single-thread throughput (input bytes per second of wall time, best of the runs: on a busy machine, run it a few times). Run by {@code bench/lz4-encoders.sh}.
 *
 * <p>Arguments: {@code capacity listFile runs spec...}, where each spec is {@code lz4} or {@code lz4hc:LEVEL}
 * and the list file names one input file per line. For calibration, {@code lz4-java} and {@code lz4-java-hc:LEVEL}
 * run lz4-java's safe (pure Java) compressors over the same files in plain mode, in chunks of 4 times the
 * capacity (lz4-java has no destSize mode, so their sizes do not compare, only their speed).
 */
public final class Lz4EncoderBench {

    private Lz4EncoderBench() {}

    public static void main(String[] args) throws IOException {
        int capacity = Integer.parseInt(args[0]);
        List<byte[]> files = new ArrayList<>();
        long total = 0;
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
                byte[] b = Files.readAllBytes(Path.of(line.strip()));
                files.add(b);
                total += b.length;
            }
        }
        int runs = Integer.parseInt(args[2]);
        Compressors installed = Compressors.installed();
        byte[] dst = new byte[capacity];
        int[] consumed = new int[1];
        for (int a = 3; a < args.length; a++) {
            String[] spec = args[a].split(":");
            int level = spec.length > 1 ? Integer.parseInt(spec[1]) : 0;
            if (spec[0].startsWith("lz4-java")) {
                calibrate(spec[0].endsWith("-hc") ? LZ4Factory.safeInstance().highCompressor(level)
                        : LZ4Factory.safeInstance().fastCompressor(), args[a], files, total, capacity, runs);
                continue;
            }
            Compressor c = installed.create(spec[0], level, CompressorOptions.defaults());
            long out = 0;
            double best = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                out = 0;
                long t0 = System.nanoTime();
                for (byte[] f : files) {
                    int pos = 0;
                    while (pos < f.length) {
                        out += c.compressDestSize(f, pos, f.length - pos, dst, 0, capacity, consumed);
                        pos += consumed[0];
                    }
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("%-9s cap %6d  in %d out %d  ratio %.4f  %.4f s  %.1f MB/s%n", args[a], capacity,
                    total, out, (double) out / total, best, total / best / 1e6);
        }
    }

    private static void calibrate(LZ4Compressor c, String name, List<byte[]> files, long total, int capacity,
            int runs) {
        int chunk = capacity * 4;
        byte[] dst = new byte[c.maxCompressedLength(chunk)];
        long out = 0;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            out = 0;
            long t0 = System.nanoTime();
            for (byte[] f : files) {
                for (int pos = 0; pos < f.length; pos += chunk) {
                    out += c.compress(f, pos, Math.min(chunk, f.length - pos), dst, 0, dst.length);
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("%-9s chunk %5d  in %d out %d  ratio %.4f  %.4f s  %.1f MB/s%n", name, chunk, total, out,
                (double) out / total, best, total / best / 1e6);
    }
}
