package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees written with compressed directories ({@code --zD}) together with lz4hc, lzma and zstd, fragments,
 * all-fragments, dedupe, ztailpacking, big pclusters and the metabox: the kernel shows exactly the source,
 * fsck.erofs 1.9.3 accepts the image (where {@code MKFS_EROFS_193} names its mkfs.erofs), our reader agrees, every
 * directory is stored as a fragment of the packed inode, and the bytes depend neither on the number of workers nor
 * on the order the tree was built in.
 */
class CompressedDirectoryKernelPropertyTest {

    /** mkfs.erofs's spelling of each option set ({@code --zD} in its documented sense: on). */
    static final String[] SETS = {
        "-zlz4hc --zD", "-zlz4hc,12 -C65536 --zD -Eztailpacking", "-zlzma --zD", "-zlzma -C131072 --zD -Efragments",
        "-zzstd --zD", "-zzstd,15 -C16384 --zD -Efragments,ztailpacking", "-zlz4hc -C16384 --zD -Eall-fragments",
        "-zlz4hc --zD -Efragments,dedupe", "-zlz4hc --zD -m4096", "-zlzma -C65536 --zD -Efragments -m4096",
        "-zzstd --zD -Eztailpacking -m4096", "-zlz4 -Elegacy-compress --zD", "-zdeflate -C65536 --zD -Efragments",
    };

    @Tag("kernel")
    @AddLifecycleHook(KernelTools.SkipWithoutMount.class)
    @Property(tries = 39, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int set,
            @ForAll boolean workers) throws Exception {
        String spec = SETS[set];
        FsTree tree = tree(seed);
        WriteOptions opt = MetaboxAndHintsKernelPropertyTest.options(spec, workers ? 3 : 1);
        CompressedWriterKernelPropertyTest.assertEveryReaderShows(tree, opt, "seed " + seed + " " + spec);
        Path work = Files.createTempDirectory("erofs4j-zdirs");
        try {
            Path img = work.resolve("t.erofs");
            ErofsWriter.write(tree, img, opt);
            try (ErofsImage image = ErofsImage.open(img)) {
                assertEveryDirectoryPacked(image);
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }

    @Property(tries = 13, shrinking = ShrinkingMode.OFF)
    void sameBytesWhateverTheOrderAndWorkers(@ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int set)
            throws IOException {
        FsTree tree = tree(seed);
        WriteOptions opt = MetaboxAndHintsKernelPropertyTest.options(SETS[set], 1);
        CompressedDeterminismPropertyTest.assertSameBytes(tree, RandomTrees.shuffled(tree, new Random(~seed)),
                opt.toBuilder());
    }

    /** A random tree (sometimes with a directory of 1000 entries), plus directories of one to many blocks. */
    static FsTree tree(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(40, r.nextInt(4) == 0, 4096, true));
        Node deep = tree.root();
        for (int d = 0; d < 1 + r.nextInt(4); d++) {
            deep = deep.directory("level" + d);
            int files = r.nextInt(4) == 0 ? 0 : r.nextInt(300);
            for (int i = 0; i < files; i++) {
                byte[] body = ("entry " + i + " of level " + d + "\n").getBytes(StandardCharsets.UTF_8);
                deep.put("a rather long file name, number " + i, Node.file(body));
            }
        }
        return tree;
    }

    /** Every directory of the image is a fragment-only compressed inode of the size its entries take. */
    static void assertEveryDirectoryPacked(ErofsImage image) throws IOException {
        ArrayDeque<ErofsInode> todo = new ArrayDeque<>();
        todo.add(image.root());
        while (!todo.isEmpty()) {
            ErofsInode dir = todo.poll();
            assertEquals(Erofs.LAYOUT_COMPRESSED_FULL, dir.dataLayout(), "layout of directory nid " + dir.nid());
            for (DirEntry e : dir.children()) {
                if (e.fileType() == Erofs.FT_DIR) {
                    todo.add(image.inode(e.nid()));
                }
            }
        }
    }
}
