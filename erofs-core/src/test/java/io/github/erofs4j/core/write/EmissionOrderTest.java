package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image written to a path without an observer is written with positional writes, metadata and data in
 * parallel jobs (each file read once); a channel given by the caller strictly in order, never repositioned (it may
 * be in append mode). Both must give the same bytes, with one writer thread or several, also when the channel does
 * not start at 0, and for files around the per-thread buffer's size and the kernel-copy limit, whose inline tails
 * are read with their blocks or separately.
 */
class EmissionOrderTest {
    private static final int[] SIZES = {0, 1, 100, 4095, 4096, 4097, 8191, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
        (1 << 20) + 4096 + 7, (1 << 20) + 4096, 3 * (1 << 20) + 5};

    @Test
    void dataFirstWithFewTailsKeptEqualsSequential(@TempDir Path dir) throws IOException {
        // Past the tail budget, the metadata pass reads tails again from their files: the same bytes.
        long budget = ImageBuilder.maxTailsInMemory;
        ImageBuilder.maxTailsInMemory = 5000;
        try {
            dataFirstEqualsSequential(dir);
        } finally {
            ImageBuilder.maxTailsInMemory = budget;
        }
    }

    @Test
    void dataFirstEqualsSequential(@TempDir Path dir) throws IOException {
        for (int bs : new int[] {512, 4096}) {
            FsTree tree = tree(dir.resolve("src-" + bs), bs);
            WriteOptions opt = WriteOptions.builder().blockSize(bs).buildTime(1_600_000_000L).workers(2).build();

            DeterminismPropertyTest.MemoryChannel mem = new DeterminismPropertyTest.MemoryChannel();
            ErofsWriter.write(tree, mem, opt);
            byte[] sequential = mem.bytes();

            Path img = dir.resolve("a-" + bs + ".erofs");
            ErofsWriter.write(tree, img, opt);
            assertArrayEquals(sequential, Files.readAllBytes(img), "file output, block size " + bs);
            Path one = dir.resolve("one-" + bs + ".erofs");
            ErofsWriter.write(tree, one, opt.toBuilder().workers(1).build());
            assertArrayEquals(sequential, Files.readAllBytes(one), "file output, one thread, block size " + bs);

            Path offset = dir.resolve("b-" + bs + ".img");
            byte[] prefix = new byte[777];
            Arrays.fill(prefix, (byte) 0x5A);
            Files.write(offset, prefix);
            // Append mode ignores positions: only strictly sequential output survives it.
            try (FileChannel fc = FileChannel.open(offset, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ErofsWriter.write(tree, fc, opt);
                assertEquals(prefix.length + sequential.length, fc.position(), "channel left after the image");
            }
            byte[] all = Files.readAllBytes(offset);
            assertArrayEquals(prefix, Arrays.copyOf(all, prefix.length), "bytes before the image untouched");
            assertArrayEquals(sequential, Arrays.copyOfRange(all, prefix.length, all.length),
                    "file channel in append mode after " + prefix.length + " bytes");

            try (ErofsImage image = ErofsImage.open(img)) {
                for (int i = 0; i < SIZES.length; i++) {
                    for (String name : new String[] {"p" + i, "m" + i, "r" + i}) {
                        ErofsInode f = image.resolve("/" + name);
                        byte[] got = new byte[(int) f.size()];
                        int n = 0;
                        while (n < got.length) {
                            n += f.read(n, got, n, got.length - n);
                        }
                        assertArrayEquals(content(i), got, name + " (" + SIZES[i] + " bytes), block size " + bs);
                    }
                }
            }
        }
    }

    @Test
    void aFileShorterThanRecordedFailsTheBuildAndLeavesNoImage(@TempDir Path dir) throws IOException {
        // Read in place in the metadata area, whole into the buffer, and copied by the kernel.
        for (int claimed : new int[] {100, 3 * 4096 + 10, 3 * (1 << 20) + 5}) {
            Path f = dir.resolve("short-" + claimed);
            Files.write(f, new byte[claimed - 7]);
            FsTree tree = new FsTree();
            tree.put("a/short", Node.file(FileContent.of(f, claimed)));
            for (int workers : new int[] {1, 2}) {
                Path img = dir.resolve("img-" + claimed + "-" + workers);
                IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> ErofsWriter.write(tree, img, WriteOptions.builder().workers(workers).build()));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(f.toString())
                        && e.getMessage().contains("shorter"), e.getMessage());
                try (var left = Files.list(dir)) {
                    assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".img-")
                            || p.getFileName().toString().startsWith("img-")).count(), "image left behind");
                }
            }
        }
    }

    /**
     * Files of every size three times: from a path and from a range of one shared file at an odd offset (both
     * copied in the kernel where it can), and from memory.
     */
    private static FsTree tree(Path src, int bs) throws IOException {
        Files.createDirectories(src);
        FsTree tree = new FsTree();
        Path spool = src.resolve("spool");
        long at = 0;
        try (FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < SIZES.length; i++) {
                Path f = src.resolve("p" + i);
                Files.write(f, content(i));
                tree.put("p" + i, Node.file(FileContent.of(f)).mtime(1_600_000_000L, 0));
                tree.put("m" + i, Node.file(content(i)).mtime(1_600_000_000L, 0));
                at += 3;
                out.write(java.nio.ByteBuffer.wrap(content(i)), at);
                tree.put("r" + i, Node.file(FileContent.of(spool, at, SIZES[i], "member r" + i))
                        .mtime(1_600_000_000L, 0));
                at += SIZES[i];
            }
        }
        return tree;
    }

    private static byte[] content(int i) {
        byte[] b = new byte[SIZES[i]];
        new Random(i).nextBytes(b);
        return b;
    }
}
