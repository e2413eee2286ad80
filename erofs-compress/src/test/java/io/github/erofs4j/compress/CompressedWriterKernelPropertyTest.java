package io.github.erofs4j.compress;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.testing.KernelTools;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
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
 * Random trees written compressed, with each lz4 option set mkfs.erofs offers and deflate and zstd at low and high
 * levels: the kernel mounts them and shows exactly the source tree; fsck.erofs (Debian's, which knows lz4 only,
 * and 1.9.3 where {@code MKFS_EROFS_193} names its mkfs.erofs) accepts them; our reader agrees. Lives in
 * erofs-compress, where the encoders are.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class CompressedWriterKernelPropertyTest {

    /** mkfs.erofs's spelling of each option set, and ours. */
    private static final String[] SETS = {
        "-zlz4", "-zlz4hc,1", "-zlz4hc", "-zlz4hc,12", "-zlz4hc -C16384", "-zlz4hc -C65536", "-zlz4 -C1048576",
        "-zlz4hc -Eztailpacking", "-zlz4hc -Elegacy-compress", "-zlz4hc,12 -C65536 -Eztailpacking",
        "-zlz4 -C16384 -Eztailpacking -Elegacy-compress",
        "-zdeflate", "-zdeflate,9", "-zdeflate -C65536 -Eztailpacking", "-zdeflate,level=9 -C1048576",
        "-zdeflate,4 -C16384 -Eztailpacking -Elegacy-compress",
        "-zzstd", "-zzstd,1 -Eztailpacking", "-zzstd,level=19 -C1048576", "-zzstd,3 -C16384 -Eztailpacking",
        "-zzstd,22 -C65536 -Eztailpacking", "-zzstd,level=9,dictsize=4096 -C131072 -Elegacy-compress",
    };

    @Property(tries = 66, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 21) int set,
            @ForAll boolean workers) throws Exception {
        String spec = SETS[set];
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(50, false, 4096, true));
        WriteOptions opt = WriteOptions.builder().buildTime(1700000000L).workers(workers ? 3 : 1)
                .compression(compression(spec).build()).build();
        assertEveryReaderShows(tree, opt, "seed " + seed + " " + spec);
    }

    /**
     * Our builder for mkfs.erofs's options {@code -zALG[,...]}, {@code -CBYTES}, {@code --zD} (as documented: on)
     * and {@code -E} with ztailpacking, legacy-compress, fragments[=SIZE], all-fragments[=SIZE] and dedupe.
     */
    static Compression.Builder compression(String spec) {
        Compression.Builder c = null;
        for (String o : spec.split(" ")) {
            if (o.startsWith("-z")) {
                c = Compression.parse(o.substring(2));
            } else if (o.equals("--zD")) {
                c.directories(true);
            } else if (o.startsWith("-C")) {
                c.pclusterSize(Integer.parseInt(o.substring(2)));
            } else if (o.startsWith("-E")) {
                for (String e : o.substring(2).split(",")) {
                    String name = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
                    int size = e.contains("=") ? Integer.parseInt(e.substring(e.indexOf('=') + 1)) : 0;
                    switch (name) {
                        case "ztailpacking" -> c.ztailpacking(true);
                        case "legacy-compress" -> c.compactIndexes(false);
                        case "fragments" -> c.fragments(true).fragmentPclusterSize(size);
                        case "all-fragments" -> c.allFragments(true).fragmentPclusterSize(size);
                        case "dedupe" -> c.dedupe(true);
                        default -> throw new IllegalArgumentException("-E" + e);
                    }
                }
            }
        }
        return c;
    }

    /**
     * Writes the tree and checks that the kernel shows exactly it, that fsck.erofs (Debian's, and 1.9.3's when
     * present) accepts the image, and that our reader agrees.
     */
    static void assertEveryReaderShows(FsTree tree, WriteOptions opt, String what) throws Exception {
        Path work = Files.createTempDirectory("erofs4j-zwriter-prop");
        try {
            Path img = work.resolve("t.erofs");
            ErofsWriter.write(tree, img, opt);
            List<String> want = RandomTrees.expected(tree);
            KernelTools.assertSameLines(want, KernelTools.kernelView(img), "kernel view, " + what);
            Compression c = opt.compression();
            // Debian's fsck.erofs 1.5 knows no deflate, zstd, fragments (nor so compressed directories), dedupe or
            // metabox (its lzma depends on the build)
            if (opt.metabox().isEmpty() && !c.fragments() && !c.dedupe() && !c.directories()
                    && c.algorithms().stream().allMatch(a -> !List.of("deflate", "zstd").contains(a.name()))) {
                KernelTools.fsck(img);
            }
            String fsck193 = fsck193();
            if (fsck193 != null) {
                KernelTools.run(List.of(fsck193, img.toString()), work);
            }
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(want, Manifests.of(image, true), "our reader, " + what);
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }

    /** fsck.erofs beside the mkfs.erofs that {@code MKFS_EROFS_193} names, when it exists. */
    static String fsck193() {
        String mkfs = System.getenv("MKFS_EROFS_193");
        if (mkfs == null || mkfs.isBlank()) {
            return null;
        }
        Path f = Path.of(mkfs).resolveSibling("fsck.erofs");
        return Files.isExecutable(f) ? f.toString() : null;
    }
}
