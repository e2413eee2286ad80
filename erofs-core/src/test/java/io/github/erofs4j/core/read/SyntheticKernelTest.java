package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-built images of {@link SyntheticImageTest} (dot-omitted root, 48-bit chunk indexes, a sparse file over
 * 4 GiB, a 48-bit null start block, an NLINK_1 compact inode, epoch-relative mtime) mounted by the kernel: what it
 * shows must be what we read. This checks our reading of the newer format rules against Linux itself.
 */
@Tag("kernel")
class SyntheticKernelTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12})
    void kernelAgrees(int bits) throws Exception {
        String why = KernelPropertyTest.machineProblem();
        assumeTrue(why == null, why);
        Path img = tmp.resolve("s.erofs");
        Files.write(img, SyntheticImageTest.build(0, bits));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        KernelPropertyTest.run(List.of("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString()));
        try (ErofsImage image = ErofsImage.open(img)) {
            List<String> names;
            try (Stream<Path> s = Files.list(mnt)) {
                names = s.map(p -> p.getFileName().toString()).toList();
            }
            assertEquals(image.root().children().stream().map(DirEntry::name).toList(), names, "readdir order");
            compare(image, mnt, "");
            for (String n : names) {
                compare(image, mnt.resolve(n), n);
            }
            // Data: the hole file, the small inline file, and slices of the 5 GiB sparse file.
            assertArrayEquals(image.resolve("hole").readAllBytes(), Files.readAllBytes(mnt.resolve("hole")));
            assertArrayEquals(image.resolve("small").readAllBytes(), Files.readAllBytes(mnt.resolve("small")));
            ErofsInode big = image.resolve("big");
            try (FileChannel ch = FileChannel.open(mnt.resolve("big"))) {
                for (long at : new long[] {0, (4L << 30) - 10, SyntheticImageTest.BIG - 300, SyntheticImageTest.BIG - 5}) {
                    ByteBuffer k = ByteBuffer.allocate(300);
                    while (k.hasRemaining() && ch.read(k, at + k.position()) > 0) {
                        // fill up to EOF
                    }
                    byte[] ours = new byte[k.position()];
                    assertEquals(ours.length, big.read(at, ours, 0, ours.length));
                    assertArrayEquals(java.util.Arrays.copyOf(k.array(), k.position()), ours, "big at " + at);
                }
            }
        } finally {
            KernelPropertyTest.unmount(mnt);
        }
    }

    private static void compare(ErofsImage image, Path p, String path) throws Exception {
        ErofsInode n = image.resolve(path);
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertEquals((long) n.nid(), a.get("ino"), path + " ino");
        assertEquals(n.mode(), a.get("mode"), path + " mode");
        assertEquals((int) n.uid(), a.get("uid"), path + " uid");
        assertEquals((int) n.gid(), a.get("gid"), path + " gid");
        assertEquals((int) n.nlink(), a.get("nlink"), path + " nlink");
        assertEquals(n.size(), a.get("size"), path + " size");
        assertEquals(FileTime.from(n.mtime()), a.get("lastModifiedTime"), path + " mtime");
    }
}
