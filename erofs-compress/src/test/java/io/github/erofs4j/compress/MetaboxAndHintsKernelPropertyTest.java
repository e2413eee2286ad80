package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.CompressHints;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Metabox;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees written with several algorithms chosen per file by compress hints (pcluster sizes and algorithm
 * indexes, some files kept uncompressed) and with compressed metadata (the metabox, plain or compressed with the
 * primary or another algorithm): the kernel shows exactly the source, fsck.erofs 1.9.3 accepts the image (where
 * {@code MKFS_EROFS_193} names its mkfs.erofs), our reader agrees, and the bytes do not depend on the number of
 * workers.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class MetaboxAndHintsKernelPropertyTest {

    /** mkfs.erofs's spelling of each option set; HINTS stands for the hints below. */
    private static final String[] SETS = {
        "-zlz4hc:lzma HINTS", "-zlz4:zstd,9:deflate -C16384 HINTS", "-zlzma,9:lz4hc,12 -C65536 -Eztailpacking HINTS",
        "-zzstd:lz4 -Elegacy-compress HINTS", "-m4096", "-zlz4hc -m4096", "-zlzma -C16384 -m4096:1 -zlzma:lz4hc",
        "-zlz4hc -C65536 -Eztailpacking -m16384", "-zdeflate:lz4 -m4096:1 HINTS", "-zzstd -Elegacy-compress -m4096",
        "-zlz4hc:lzma -C65536 -Efragments,dedupe HINTS", "-zlzma:lz4hc -C16384 -Eall-fragments HINTS",
        "-zlz4hc:zstd -C65536 -Efragments=16384,ztailpacking -m4096:1 HINTS", "-zlzma -Eall-fragments,dedupe -m4096",
    };

    /** Rules naming every index of a three-algorithm list; sizes from one block to 64 KiB, and 0 (uncompressed). */
    private static final String HINTS = """
            # pclusters and algorithms by name
            16384 1 [a-e][^/]*$
            0 [f-h][^/]*$
            4096 2 [0-9][^/]*$
            65536 0 ~
            8192 1 .*
            """;

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 13) int set) throws Exception {
        String spec = SETS[set];
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(50, false, 4096, true));
        WriteOptions opt = options(spec, 3);
        CompressedWriterKernelPropertyTest.assertEveryReaderShows(tree, opt, "seed " + seed + " " + spec);
        Path work = Files.createTempDirectory("erofs4j-mbhints");
        try {
            Path one = work.resolve("one.erofs");
            Path three = work.resolve("three.erofs");
            ErofsWriter.write(tree, one, options(spec, 1));
            ErofsWriter.write(tree, three, opt);
            assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(three), spec + ": bytes depend on workers");
        } finally {
            KernelTools.deleteTree(work);
        }
    }

    /** Our options for mkfs.erofs's: the compression ones, the hints and {@code -m SIZE[:INDEX]}. */
    static WriteOptions options(String spec, int workers) {
        WriteOptions.Builder b = WriteOptions.builder().buildTime(1700000000L).workers(workers);
        String z = null;
        StringBuilder rest = new StringBuilder();
        for (String o : spec.split(" ")) {
            if (o.startsWith("-m")) {
                String[] m = o.substring(2).split(":");
                b.metabox(new Metabox(Integer.parseInt(m[0]), m.length > 1 ? Integer.parseInt(m[1]) : 0));
            } else if (o.startsWith("-z")) {
                z = o; // the last -z wins
            } else if (!o.equals("HINTS")) {
                rest.append(' ').append(o);
            }
        }
        if (z != null) {
            Compression.Builder c = CompressedWriterKernelPropertyTest.compression(z + rest);
            if (spec.contains("HINTS")) {
                c.hints(hints(c.build().algorithms().size()));
            }
            b.compression(c.build());
        }
        return b.build();
    }

    /** The hints with indexes beyond the image's algorithms folded back into range. */
    private static CompressHints hints(int algorithms) {
        CompressHints h = CompressHints.parse(HINTS);
        return CompressHints.of(h.rules().stream().map(r -> new CompressHints.Rule(r.pclusterSize(),
                r.algorithm() % algorithms, r.regex(), r.line())).toList());
    }
}
