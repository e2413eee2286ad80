package io.github.erofs4j.compress;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
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
        CompressedDeterminismPropertyTest.assertSameBytes(tree, RandomTrees.shuffled(tree, new Random(~seed)),
                WriteOptions.builder().buildTime(1_600_000_000L).compression(CompressedWriterKernelPropertyTest
                        .compression(SpaceSaverKernelPropertyTest.SETS[set]).build()));
    }
}
