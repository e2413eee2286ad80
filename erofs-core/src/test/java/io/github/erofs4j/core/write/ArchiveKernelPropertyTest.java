package io.github.erofs4j.core.write;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.testing.ArchiveCases;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.Manifests;
import io.github.erofs4j.core.testing.RandomTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A random tree put on disk, archived by GNU tar (PAX, with xattrs) or GNU cpio (newc: plain, gzip,
 * zstd, and after a second uncompressed archive as an early-microcode initramfs has), converted by erofs4j;
 * the kernel's view of the image equals the source directory as far as the archive format carries it, and the
 * directory source gives the same view.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class ArchiveKernelPropertyTest {

    @Property(tries = 5, shrinking = ShrinkingMode.OFF)
    void archivesConvert(@ForAll long seed) throws Exception {
        // Sockets only where the format keeps them (tar skips them).
        FsTree withSockets = RandomTrees.generate(seed, new RandomTrees.Shape(50, false, 4096, true));
        FsTree noSockets = RandomTrees.generate(seed, new RandomTrees.Shape(50, false, 4096, false));
        for (int kind = 0; kind < ArchiveCases.KINDS; kind++) {
            check(seed, kind, ArchiveCases.keepsSockets(kind) ? withSockets : noSockets);
        }
    }

    private static void check(long seed, int kind, FsTree tree) throws Exception {
        Path work = Files.createTempDirectory("erofs4j-writer-arch");
        try {
            ArchiveCases.Case c = ArchiveCases.prepare(work, kind, tree);
            Path img = work.resolve("t.erofs");
            try (SourceTree st = Sources.load(c.input(), null, SourceOptions.defaults())) {
                ErofsWriter.write(st.tree(), img, WriteOptions.builder().buildTime(1700000000L).build());
            }
            String what = "seed " + seed + " " + ArchiveCases.name(kind);
            KernelTools.assertSameLines(c.want(), KernelTools.kernelView(img), "kernel view, " + what);
            KernelTools.fsck(img);
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(c.want(), Manifests.of(image, true), "our reader, " + what);
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }
}
