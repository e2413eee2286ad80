package io.github.erofs4j.core.write;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.testing.KernelTools;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees built through the API and written by erofs4j are mounted by the kernel, which shows
 * exactly the source tree (plus the overlayfs origin marker on directories holding whiteouts); fsck.erofs 1.5
 * accepts every 4 KiB image (it supports no other block size); our reader agrees.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class WriterKernelPropertyTest {

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int bsPick,
            @ForAll @IntRange(min = 0, max = 9) int variant) throws Exception {
        int bs = 512 << bsPick;
        RandomTrees.Shape shape = new RandomTrees.Shape(60, variant == 0, bs, true);
        FsTree tree = RandomTrees.generate(seed, shape);
        WriteOptions.Builder b = WriteOptions.builder().blockSize(bs).buildTime(1700000000L);
        switch (variant) {
            case 1 -> b.inlineData(false);
            case 2 -> b.inodeFormat(WriteOptions.InodeFormat.EXTENDED);
            case 3 -> b.chunkSize(bs * 2L);
            case 4 -> b.xattrNameFilter(false).xattrShareThreshold(0);
            case 5 -> b.xattrPrefixes(List.of("trusted.overlay.", "user.x"));
            case 8 -> b.chunkSize(bs).chunkFormat(WriteOptions.ChunkFormat.INDEXES).rootXattrSize(13 + bs / 8);
            case 9 -> b.chunkSize(bs * 4L).inodeFormat(WriteOptions.InodeFormat.EXTENDED)
                    .chunkFormat(WriteOptions.ChunkFormat.INDEXES);
            default -> { }
        }
        WriteOptions opt = b.build();
        Path work = Files.createTempDirectory("erofs4j-writer-prop");
        try {
            Path img = work.resolve("t.erofs");
            ErofsWriter.write(tree, img, opt);
            List<String> want = RandomTrees.expected(tree);
            KernelTools.assertSameLines(want, KernelTools.kernelView(img), "kernel view, seed " + seed + " variant " + variant);
            if (bs == 4096 && opt.xattrPrefixes().isEmpty()) {
                KernelTools.fsck(img);
            }
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(want, Manifests.of(image, true), "our reader");
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }
}
