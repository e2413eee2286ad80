package io.github.erofs4j.core.write;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.testing.KernelTools;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        for (int format = 0; format <= 5; format++) {
            check(seed, format, format >= 2 ? withSockets : noSockets);
        }
    }

    private static void check(long seed, int format, FsTree tree) throws Exception {
        Path work = Files.createTempDirectory("erofs4j-writer-arch");
        try {
            Path src = work.resolve("src");
            RandomTrees.materialize(tree, src);
            List<String> dirView = KernelTools.manifest(src);
            Path archive = work.resolve("in.archive");
            String a = archive.toString();
            List<String> want;
            switch (format) {
                case 0 -> { // the directory itself
                    archive = src;
                    want = dirView;
                }
                case 1 -> { // GNU tar, PAX with xattrs and nanosecond times (sockets are not archived)
                    KernelTools.sh("tar --format=posix --xattrs --xattrs-include='*' -cf " + a + " .", src);
                    // GNU tar records hard links of regular files and symlinks only.
                    want = relink(dirView, "cbp");
                }
                default -> {
                    String list = "find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet";
                    switch (format) {
                        case 2 -> KernelTools.sh(list + " > " + a, src);
                        case 3 -> KernelTools.sh(list + " | gzip -c > " + a, src);
                        case 4 -> KernelTools.sh(list + " | zstd -q -c > " + a, src);
                        default -> {
                            // An uncompressed early archive, then the compressed main one.
                            Path early = work.resolve("early");
                            Files.createDirectories(early.resolve("kernel/x86/microcode"));
                            Files.write(early.resolve("kernel/x86/microcode/GenuineIntel.bin"), new byte[] {1, 2, 3});
                            KernelTools.sh("find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet > "
                                    + a, early);
                            KernelTools.sh(list + " | zstd -q -c >> " + a, src);
                        }
                    }
                    // The kernel links cpio members of every type but symlinks.
                    want = cpioView(relink(dirView, "l"));
                    if (format == 5) {
                        want = merge(want, cpioView(KernelTools.manifest(work.resolve("early"))));
                    }
                }
            }
            Path img = work.resolve("t.erofs");
            try (SourceTree st = Sources.load(archive, null, SourceOptions.defaults())) {
                ErofsWriter.write(st.tree(), img, WriteOptions.builder().buildTime(1700000000L).build());
            }
            KernelTools.assertSameLines(want, KernelTools.kernelView(img), "kernel view, seed " + seed + " format " + format);
            KernelTools.fsck(img);
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(want, Manifests.of(image, true), "our reader");
            }
        } finally {
            KernelTools.deleteTree(work);
        }
    }

    /** Sets nlink to 1 for the given manifest types, whose hard links the archive format loses. */
    private static List<String> relink(List<String> lines, String types) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            if (types.contains(f[1])) {
                f[8] = "1";
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    /** What survives newc: no xattrs, whole-second mtimes. */
    private static List<String> cpioView(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            f[7] = "0";
            f[10] = "-";
            if (f[1].equals("l")) {
                // GNU cpio stores symlink targets without leading "./" components.
                String t = f[9];
                while (t.startsWith("2e2f") && t.length() > 4) {
                    t = t.substring(4);
                }
                f[5] = Integer.toString(t.length() / 2);
                f[9] = t;
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    /** The main archive's lines plus the early archive's, whose root entry the main one replaces. */
    private static List<String> merge(List<String> main, List<String> early) {
        java.util.TreeMap<byte[], String> all = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
        for (String l : early) {
            all.put(l.substring(0, l.indexOf('\t')).getBytes(java.nio.charset.StandardCharsets.UTF_8), l);
        }
        for (String l : main) {
            all.put(l.substring(0, l.indexOf('\t')).getBytes(java.nio.charset.StandardCharsets.UTF_8), l);
        }
        return new ArrayList<>(all.values());
    }
}
