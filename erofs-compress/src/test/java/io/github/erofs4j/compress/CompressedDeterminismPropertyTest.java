package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Compressed images depend only on the tree and the options: one, two or eight workers, and the tree inserted in
 * another order, give the same bytes.
 */
class CompressedDeterminismPropertyTest {

    @Property(tries = 14, shrinking = ShrinkingMode.OFF)
    void sameBytesWhateverTheOrderAndWorkers(@ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int set)
            throws IOException {
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(60, false, 4096, true));
        FsTree shuffled = RandomTrees.shuffled(tree, new Random(~seed));
        Compression c = switch (set) {
            case 0 -> Compression.builder("lz4").build();
            case 1 -> Compression.builder("lz4hc").pclusterSize(65536).build();
            case 2 -> Compression.builder("lz4hc").level(12).pclusterSize(16384).ztailpacking(true).build();
            case 3 -> Compression.builder("lz4hc").level(3).compactIndexes(false).ztailpacking(true).build();
            case 4 -> Compression.builder("lzma").level(1).pclusterSize(16384).ztailpacking(true).build();
            case 5 -> Compression.builder("deflate").level(6).pclusterSize(65536).build();
            default -> Compression.builder("zstd").level(3).ztailpacking(true).build();
        };
        assertSameBytes(tree, shuffled, WriteOptions.builder().buildTime(1_600_000_000L).compression(c));
    }

    /** One worker on {@code tree}, two on {@code shuffled} (the same tree), eight on {@code tree}: the same bytes. */
    static void assertSameBytes(FsTree tree, FsTree shuffled, WriteOptions.Builder b) throws IOException {
        byte[] one = write(tree, b.workers(1).build());
        assertArrayEquals(one, write(shuffled, b.workers(2).build()), "shuffled order, 2 workers");
        assertArrayEquals(one, write(tree, b.workers(8).build()), "8 workers");
    }

    private static byte[] write(FsTree tree, WriteOptions opt) throws IOException {
        Path dir = Files.createTempDirectory("erofs4j-zdet");
        try {
            Path img = dir.resolve("x.erofs");
            ErofsWriter.write(tree, img, opt);
            return Files.readAllBytes(img);
        } finally {
            KernelTools.deleteTree(dir);
        }
    }
}
