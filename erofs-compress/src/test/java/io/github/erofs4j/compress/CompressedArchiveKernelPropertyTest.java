package io.github.erofs4j.compress;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.testing.ArchiveCases;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.Manifests;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
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
 * Every input kind written compressed: a random tree with hard links, xattrs, devices and files of every size,
 * given as a directory, a tar or a cpio (plain, gzip, zstd, after an early archive), built with lz4 or lz4hc, big
 * pclusters or ztailpacking, and with or without a chunk size (files that do not compress are then chunk-based,
 * as with mkfs.erofs). The kernel shows what the input carries; fsck.erofs accepts; our reader agrees.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class CompressedArchiveKernelPropertyTest {

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void compressedArchivesConvert(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int kind,
            @ForAll @IntRange(min = 0, max = 3) int set, @ForAll @IntRange(min = 0, max = 2) int chunks)
            throws Exception {
        FsTree tree = RandomTrees.generate(seed,
                new RandomTrees.Shape(50, false, 4096, ArchiveCases.keepsSockets(kind)));
        Compression c = switch (set) {
            case 0 -> Compression.builder("lz4").build();
            case 1 -> Compression.builder("lz4hc").build();
            case 2 -> Compression.builder("lz4hc").level(12).pclusterSize(65536).ztailpacking(true).build();
            default -> Compression.builder("lz4").pclusterSize(16384).compactIndexes(false).build();
        };
        long chunkSize = chunks == 0 ? 0 : chunks == 1 ? 4096 : 65536;
        WriteOptions opt = WriteOptions.builder().buildTime(1700000000L).chunkSize(chunkSize).workers(2)
                .compression(c).build();
        Path work = Files.createTempDirectory("erofs4j-zarchive-prop");
        try {
            ArchiveCases.Case in = ArchiveCases.prepare(work, kind, tree);
            Path img = work.resolve("t.erofs");
            try (SourceTree st = Sources.load(in.input(), null, SourceOptions.defaults())) {
                ErofsWriter.write(st.tree(), img, opt);
            }
            String what = "seed " + seed + " " + ArchiveCases.name(kind) + " " + c + " chunks " + chunkSize;
            KernelTools.assertSameLines(in.want(), KernelTools.kernelView(img), "kernel view, " + what);
            KernelTools.fsck(img);
            String fsck193 = CompressedWriterKernelPropertyTest.fsck193();
            if (fsck193 != null) {
                KernelTools.run(List.of(fsck193, img.toString()), work);
            }
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(in.want(), Manifests.of(image, true), "our reader, " + what);
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }
}
