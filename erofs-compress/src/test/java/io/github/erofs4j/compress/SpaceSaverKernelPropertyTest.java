package io.github.erofs4j.compress;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees with repeated contents (whole copies, shared tails, shared beginnings, blocks repeated within a file)
 * written with the space savers, fragments, all-fragments and dedupe, alone and with ztailpacking and big pclusters,
 * with lz4hc and the other algorithms: the kernel shows exactly the source, fsck.erofs 1.9.3 accepts the image, our
 * reader agrees.
 */
@Tag("kernel")
@AddLifecycleHook(KernelTools.SkipWithoutMount.class)
class SpaceSaverKernelPropertyTest {

    /** mkfs.erofs's spelling of each option set. */
    static final String[] SETS = {
        "-zlz4hc -Efragments", "-zlz4hc -C65536 -Efragments,ztailpacking", "-zlz4hc,12 -C1048576 -Efragments",
        "-zlz4hc -Eall-fragments", "-zlz4hc,12 -C65536 -Eall-fragments,ztailpacking",
        "-zlz4hc -C16384 -Eall-fragments=4096", "-zlz4hc -Ededupe", "-zlz4hc -C65536 -Ededupe,ztailpacking",
        "-zlz4hc -C16384 -Efragments,dedupe", "-zlz4hc -C1048576 -Eall-fragments,dedupe",
        "-zzstd -C131072 -Efragments,ztailpacking", "-zdeflate -C4096 -Eall-fragments", "-zlzma -C262144 -Ededupe",
        "-zzstd,15 -C16384 -Efragments,dedupe,ztailpacking", "-zlz4 -Efragments -Elegacy-compress",
    };

    @Property(tries = 45, shrinking = ShrinkingMode.OFF)
    void kernelShowsTheTree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 14) int set,
            @ForAll boolean workers) throws Exception {
        String spec = SETS[set];
        FsTree tree = withRepeats(seed);
        WriteOptions opt = WriteOptions.builder().buildTime(1700000000L).workers(workers ? 3 : 1)
                .compression(CompressedWriterKernelPropertyTest.compression(spec).build()).build();
        CompressedWriterKernelPropertyTest.assertEveryReaderShows(tree, opt, "seed " + seed + " " + spec);
    }

    /**
     * A random tree plus a directory of files that repeat each other: copies, the same bytes after another
     * beginning (a shared tail), the same beginning with another end, and runs repeated within one file.
     */
    static FsTree withRepeats(long seed) {
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(40, false, 4096, true));
        Random r = new Random(seed * 31 + 7);
        Node dir = tree.root().directory("repeats");
        int n = 0;
        for (int i = 0; i < 6; i++) {
            int size = switch (r.nextInt(5)) {
                case 0 -> 1 + r.nextInt(200);
                case 1 -> 4096 * (1 + r.nextInt(3)) + r.nextInt(3) - 1;
                case 2 -> r.nextInt(20000);
                case 3 -> 70000 + r.nextInt(300000);
                default -> 4000 + r.nextInt(9000);
            };
            byte[] base = new byte[size];
            RandomTrees.compressible(r, base);
            dir.put("f" + n++, Node.file(base));
            dir.put("f" + n++, Node.file(base.clone()));
            byte[] head = new byte[r.nextInt(9000)];
            RandomTrees.compressible(r, head);
            dir.put("f" + n++, Node.file(concat(head, base)));
            byte[] end = new byte[1 + r.nextInt(5000)];
            RandomTrees.compressible(r, end);
            dir.put("f" + n++, Node.file(concat(base, end)));
            if (size > 0) {
                byte[] twice = concat(Arrays.copyOf(base, Math.min(size, 30000)), Arrays.copyOf(base,
                        Math.min(size, 30000)));
                dir.put("f" + n++, Node.file(concat(twice, head)));
            }
        }
        return tree;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
