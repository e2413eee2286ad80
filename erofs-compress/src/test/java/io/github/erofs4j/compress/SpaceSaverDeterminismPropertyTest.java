package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
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
 * Images with fragments, all-fragments and dedupe depend only on the tree and the options: one, two or eight
 * workers, and the tree inserted in another order, give the same bytes.
 */
class SpaceSaverDeterminismPropertyTest {

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void sameBytesWhateverTheOrderAndWorkers(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 14) int set) throws IOException {
        FsTree tree = SpaceSaverKernelPropertyTest.withRepeats(seed);
        FsTree shuffled = RandomTrees.shuffled(tree, new Random(~seed));
        WriteOptions.Builder b = WriteOptions.builder().buildTime(1_600_000_000L)
                .compression(CompressedWriterKernelPropertyTest.compression(SpaceSaverKernelPropertyTest.SETS[set])
                        .build());
        byte[] one = write(tree, b.workers(1).build());
        assertArrayEquals(one, write(shuffled, b.workers(2).build()), "shuffled order, 2 workers");
        assertArrayEquals(one, write(tree, b.workers(8).build()), "8 workers");
    }

    private static byte[] write(FsTree tree, WriteOptions opt) throws IOException {
        Path dir = Files.createTempDirectory("erofs4j-zsave");
        try {
            Path img = dir.resolve("x.erofs");
            ErofsWriter.write(tree, img, opt);
            return Files.readAllBytes(img);
        } finally {
            KernelTools.deleteTree(dir);
        }
    }
}
