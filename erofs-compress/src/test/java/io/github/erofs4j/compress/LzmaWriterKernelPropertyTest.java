package io.github.erofs4j.compress;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees written as lzma images at fast, default and extreme levels, pclusters from one block to 1 MiB,
 * with and without inline tails: the kernel mounts them and shows exactly the source tree; fsck.erofs (Debian's,
 * and 1.9.3 where {@code MKFS_EROFS_193} names its mkfs.erofs) accepts them; our reader agrees.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class LzmaWriterKernelPropertyTest {

    /** mkfs.erofs's spelling of each option set. */
    private static final String[] SETS = {
        "-zlzma,0", "-zlzma", "-zlzma,9 -C16384", "-zlzma,level=3 -C1048576 -Eztailpacking",
        "-zlzma,109 -C65536 -Eztailpacking", "-zlzma,100 -Eztailpacking", "-zlzma,6,dictsize=4096 -C131072",
        "-zlzma,4 -C262144 -Eztailpacking -Elegacy-compress",
    };

    @Property(tries = 16, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 7) int set,
            @ForAll boolean workers) throws Exception {
        String spec = SETS[set];
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(40, false, 4096, true));
        WriteOptions opt = WriteOptions.builder().buildTime(1700000000L).workers(workers ? 3 : 1)
                .compression(CompressedWriterKernelPropertyTest.compression(spec).build()).build();
        CompressedWriterKernelPropertyTest.assertEveryReaderShows(tree, opt, "seed " + seed + " " + spec);
    }
}
