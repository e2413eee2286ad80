package io.github.erofs4j.core.testing;

import io.github.erofs4j.core.write.FsTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A random tree put on disk and handed to the writer as one of the inputs it takes: the directory itself, a GNU
 * tar (PAX, with xattrs and nanosecond times), or a GNU cpio (newc: plain, gzip, zstd, and after an uncompressed
 * early-microcode archive); with the kernel view an image of it must show, as far as that format carries the tree.
 */
public final class ArchiveCases {
    private ArchiveCases() {}

    /** The number of input kinds {@link #prepare} knows (0 to {@code KINDS - 1}). */
    public static final int KINDS = 6;

    /** An input to convert and the kernel view its image must show. */
    public record Case(Path input, List<String> want) {}

    /** Whether kind {@code kind} keeps sockets (tar does not archive them). */
    public static boolean keepsSockets(int kind) {
        return kind >= 2;
    }

    /** A short name of the input kind, for messages. */
    public static String name(int kind) {
        return switch (kind) {
            case 0 -> "directory";
            case 1 -> "tar";
            case 2 -> "cpio";
            case 3 -> "cpio.gz";
            case 4 -> "cpio.zst";
            default -> "early cpio + cpio.zst";
        };
    }

    /**
     * Materializes {@code tree} under {@code work/src}, archives it as kind {@code kind} and returns the input and
     * the view its image must show.
     */
    public static Case prepare(Path work, int kind, FsTree tree) throws IOException, InterruptedException {
        Path src = work.resolve("src");
        RandomTrees.materialize(tree, src);
        List<String> dirView = KernelTools.manifest(src);
        Path archive = work.resolve("in.archive");
        String a = archive.toString();
        switch (kind) {
            case 0 -> {
                return new Case(src, dirView);
            }
            case 1 -> {
                KernelTools.sh("tar --format=posix --xattrs --xattrs-include='*' -cf " + a + " .", src);
                // GNU tar records hard links of regular files and symlinks only.
                return new Case(archive, relink(dirView, "cbp"));
            }
            default -> {
                String list = "find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet";
                switch (kind) {
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
                List<String> want = cpioView(relink(dirView, "l"));
                if (kind == 5) {
                    want = merge(want, cpioView(KernelTools.manifest(work.resolve("early"))));
                }
                return new Case(archive, want);
            }
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
        TreeMap<byte[], String> all = new TreeMap<>(Arrays::compareUnsigned);
        for (String l : early) {
            all.put(l.substring(0, l.indexOf('\t')).getBytes(StandardCharsets.UTF_8), l);
        }
        for (String l : main) {
            all.put(l.substring(0, l.indexOf('\t')).getBytes(StandardCharsets.UTF_8), l);
        }
        return new ArrayList<>(all.values());
    }
}
