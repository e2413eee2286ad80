package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code erofs mkfs --zD}: compressed directories, each directory's content a fragment of the packed inode. Against
 * mkfs.erofs 1.9.3 (where {@code MKFS_EROFS_193} names it; it reads the flag the other way round, so plain
 * {@code --zD} enables it there): both images mount to the same view, store every directory the same way, have
 * packed inodes of the same size, and our reader reads 1.9.3's image as the kernel does.
 */
class MkfsCompressedDirectoryTest {

    @TempDir
    Path tmp;

    /** A tree with an empty directory, a chain of directories and directories of one to several blocks. */
    private Path source() throws IOException {
        Path src = tmp.resolve("src");
        Path deep = Files.createDirectories(src.resolve("a/b/c/d"));
        Files.writeString(deep.resolve("leaf"), "at the bottom\n");
        Files.createDirectories(src.resolve("empty"));
        for (int n : new int[] {3, 90, 400}) {
            Path d = Files.createDirectories(src.resolve("many" + n));
            for (int i = 0; i < n; i++) {
                Files.writeString(d.resolve("a file with a long name, number " + i), "content " + i + "\n");
            }
        }
        Files.writeString(src.resolve("top"), "compressible text ".repeat(1000));
        Files.createSymbolicLink(src.resolve("link"), Path.of("many3"));
        return src;
    }

    private Path ours(Path src, String name, String... opts) {
        Path img = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("mkfs", "--quiet", "-T0", "-Uclear"));
        args.addAll(List.of(opts));
        args.add(img.toString());
        args.add(src.toString());
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), r.toString());
        return img;
    }

    @Test
    @Tag("kernel")
    void sameViewAndLayoutAsMkfsErofs193() throws Exception {
        assumeTrue(KernelTools.machineProblem() == null, String.valueOf(KernelTools.machineProblem()));
        String mkfs = System.getenv("MKFS_EROFS_193");
        assumeTrue(mkfs != null && !mkfs.isBlank(), "MKFS_EROFS_193 does not name mkfs.erofs 1.9.3");
        Path src = source();
        for (List<String> opts : List.of(List.of("-zlz4hc"), List.of("-zlzma", "-Efragments"),
                List.of("-zlz4hc", "-m4096"))) {
            Path mine = ours(src, "ours.erofs", concat(opts, "--zD").toArray(new String[0]));
            Path theirs = tmp.resolve("theirs.erofs");
            Files.deleteIfExists(theirs);
            KernelTools.run(concat(List.of(mkfs, "--quiet", "-T0", "-Uclear"), concat(opts, "--zD"),
                    theirs.toString(), src.toString()), null);
            List<String> view = KernelTools.kernelView(theirs);
            KernelTools.assertSameLines(view, KernelTools.kernelView(mine), opts + ": our image in the kernel");
            Path fsck = Path.of(mkfs).resolveSibling("fsck.erofs");
            if (Files.isExecutable(fsck)) {
                KernelTools.run(List.of(fsck.toString(), mine.toString()), null);
            }
            try (ErofsImage a = ErofsImage.open(mine); ErofsImage b = ErofsImage.open(theirs)) {
                KernelTools.assertSameLines(view, Manifests.of(b, true), opts + ": our reader on 1.9.3's image");
                KernelTools.assertSameLines(view, Manifests.of(a, true), opts + ": our reader on our image");
                Map<String, String> layouts = directoryLayouts(b);
                assertEquals(layouts, directoryLayouts(a), opts + ": directory layouts and sizes");
                assertTrue(layouts.values().stream().allMatch(v -> v.startsWith(Erofs.LAYOUT_COMPRESSED_FULL + " ")),
                        opts + ": 1.9.3 compresses every directory: " + layouts);
                assertEquals(b.inode(packedNid(theirs)).size(), a.inode(packedNid(mine)).size(),
                        opts + ": packed inode size");
            }
        }
    }

    @Test
    void flagSpellings() throws Exception {
        Path src = source();
        Map<String, Integer> want = Map.of("--zD", Erofs.LAYOUT_COMPRESSED_FULL, "--zD=1",
                Erofs.LAYOUT_COMPRESSED_FULL, "--zD=0", Erofs.LAYOUT_FLAT_INLINE);
        for (Map.Entry<String, Integer> e : want.entrySet()) {
            Path img = ours(src, "o.erofs", "-zlz4hc", e.getKey());
            try (ErofsImage image = ErofsImage.open(img)) {
                assertEquals(e.getValue(), image.root().dataLayout(), e.getKey());
            }
        }
        Path img = tmp.resolve("none.erofs");
        Cli.Result r = Cli.run("mkfs", "--quiet", "--zD", img.toString(), src.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--zD needs -z"), r.err());
        assertTrue(Files.notExists(img));
    }

    /** Each directory's path with its layout and size. */
    private static Map<String, String> directoryLayouts(ErofsImage image) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<String> todo = new ArrayList<>(List.of("/"));
        while (!todo.isEmpty()) {
            String path = todo.remove(todo.size() - 1);
            ErofsInode dir = image.resolve(path);
            out.put(path, dir.dataLayout() + " " + dir.size());
            for (DirEntry e : dir.children()) {
                if (e.fileType() == Erofs.FT_DIR) {
                    todo.add((path.equals("/") ? "/" : path + "/") + e.name());
                }
            }
        }
        return out;
    }

    /** The superblock's {@code packed_nid}. */
    private static long packedNid(Path img) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(img)) {
            ch.read(b, Erofs.SUPERBLOCK_OFFSET + 96);
        }
        return b.getLong(0);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(List.of(b));
        return l;
    }

    private static List<String> concat(List<String> a, List<String> b, String... c) {
        return concat(concat(a, b.toArray(new String[0])), c);
    }
}
