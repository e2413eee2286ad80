package io.github.erofs4j.compress;

import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.Compressors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A micro-benchmark of the LZ4 encoders in the way mkfs fills pclusters: each file is cut into consecutive
 * destSize calls of a fixed capacity, each consuming as much as fits. Prints, per encoder and level, the input
 * and output totals and the single-thread throughput. Run by {@code bench/lz4-encoders.sh}.
 *
 * <p>Arguments: {@code capacity listFile runs spec...}, where each spec is {@code lz4} or {@code lz4hc:LEVEL}
 * and the list file names one input file per line.
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
}
