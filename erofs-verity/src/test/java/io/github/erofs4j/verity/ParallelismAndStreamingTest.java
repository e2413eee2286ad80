package io.github.erofs4j.verity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import io.github.erofs4j.verity.dm.DmVerityTree;
import io.github.erofs4j.verity.dm.DmVerityTreeBuilder;
import io.github.erofs4j.verity.dm.DmVeritySuperblock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thread count never changes bytes; every input path gives the same result; bad input is a checked exception. */
class ParallelismAndStreamingTest {

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void oneThreadAndManyThreadsGiveIdenticalDigestsAndTrees(@TempDir Path dir) throws IOException {
        byte[] data = random(13 * (1 << 20) + 12345, 1);
        Path f = Files.write(dir.resolve("f"), data);
        for (FsVerityParams p : new FsVerityParams[] {FsVerityParams.defaults(),
                FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.SHA512).blockSize(1024).salt(new byte[] {9}).build()}) {
            FsVerityDigest one = FsVerity.digest(f, p, Parallelism.single(), dir.resolve("t1"));
            for (int threads : new int[] {2, 3, 8}) {
                FsVerityDigest many = FsVerity.digest(f, p, Parallelism.of(threads), dir.resolve("tn"));
                assertEquals(one.hex(), many.hex());
                assertArrayEquals(Files.readAllBytes(dir.resolve("t1")), Files.readAllBytes(dir.resolve("tn")));
            }
            // stream in odd-sized writes, as a writer would
            try (FsVerityHasher h = FsVerityHasher.create(p, Parallelism.of(4), null)) {
                Random r = new Random(2);
                int pos = 0;
                while (pos < data.length) {
                    int n = Math.min(data.length - pos, r.nextInt(200_000));
                    if (r.nextBoolean()) {
                        h.update(data, pos, n);
                    } else {
                        h.update(ByteBuffer.wrap(data, pos, n));
                    }
                    pos += n;
                }
                assertEquals(one.hex(), h.finish().hex());
            }
            assertEquals(one.hex(), FsVerity.digest(new ByteArrayInputStream(data), p).hex());
        }
        DmVerityParams dp = DmVerityParams.defaults();
        DmVerityTree a = DmVerity.format(f, dir.resolve("h1"), dp, Parallelism.single());
        DmVerityTree b = DmVerity.format(f, dir.resolve("h4"), dp, Parallelism.of(4));
        assertEquals(a.rootHashHex(), b.rootHashHex());
        assertArrayEquals(Files.readAllBytes(dir.resolve("h1")), Files.readAllBytes(dir.resolve("h4")));
    }

    @Test
    void dmTreeFedInOrderAndSpilledEqualsFormat(@TempDir Path dir) throws IOException {
        byte[] data = random(3 * (1 << 20), 3);
        Path f = Files.write(dir.resolve("img"), data);
        DmVerityParams p = DmVerityParams.builder().salt(new byte[] {1, 2, 3}).build();
        DmVerityTree ref = DmVerity.format(f, dir.resolve("ref.hash"), p, Parallelism.single());
        // what an image writer does: feed bytes while writing, spill the levels, then write sb + tree at the end
        Path out = dir.resolve("streamed.hash");
        DmVerityTree t;
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.position(p.treeOffset());
            try (MerkleTreeSinks.SpillingSink sink = MerkleTreeSinks.spilling(ch, dir);
                 DmVerityTreeBuilder b = DmVerityTreeBuilder.create(p, Parallelism.of(2), sink)) {
                for (int i = 0; i < data.length; i += 70_000) {
                    b.update(data, i, Math.min(70_000, data.length - i));
                }
                t = b.finish();
            }
            ByteBuffer sb = ByteBuffer.wrap(t.superblock().encode());
            while (sb.hasRemaining()) {
                ch.write(sb, sb.position());
            }
        }
        assertEquals(ref.rootHashHex(), t.rootHashHex());
        assertArrayEquals(Files.readAllBytes(dir.resolve("ref.hash")), Files.readAllBytes(out));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "temporary level files are deleted");
        }
    }

    @Test
    void appenderWhileWritingEqualsVeritysetupAppendedTree(@TempDir Path dir) throws IOException {
        byte[] data = random(2 * (1 << 20) + 5 * 4096, 8);   // an "image" of whole 4 KiB blocks
        DmVerityParams p = DmVerityParams.builder().salt(new byte[] {7, 7}).uuid(java.util.UUID.fromString(
                "12345678-1234-1234-1234-123456789abc")).build();
        Path img = dir.resolve("img");
        DmVerityTree t;
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
             io.github.erofs4j.verity.dm.DmVerityAppender a =
                     io.github.erofs4j.verity.dm.DmVerityAppender.create(p, Parallelism.of(2), dir)) {
            for (int i = 0; i < data.length; i += 50_000) {   // what a writer does: write, then feed
                int n = Math.min(50_000, data.length - i);
                ch.write(ByteBuffer.wrap(data, i, n));
                a.update(data, i, n);
            }
            t = a.finish(ch, data.length);
        }
        Path ref = Files.write(dir.resolve("ref"), data);
        DmVerityTree r = DmVerity.format(ref, ref, p.toBuilder().hashOffset(data.length)
                .dataBlocks(data.length / 4096).build(), Parallelism.single());
        assertEquals(r.rootHashHex(), t.rootHashHex());
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(img));
        assertEquals(data.length, t.params().hashOffset());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("erofs4j-tree-")),
                    "temporary level files are deleted");
        }
        if (Fixtures.hasCommand("veritysetup")) {
            Path vs = Files.write(dir.resolve("vs"), data);
            Tools.Result res = Tools.run(java.util.List.of("veritysetup", "format", vs.toString(), vs.toString(),
                    "--hash-offset=" + data.length, "--data-blocks=" + data.length / 4096, "--salt=0707",
                    "--uuid=12345678-1234-1234-1234-123456789abc"));
            assertEquals(0, res.exit(), res.err());
            assertArrayEquals(Files.readAllBytes(vs), Files.readAllBytes(img));
        }
    }

    @Test
    void badParametersAreCheckedExceptions() {
        assertTrue(assertThrows(VerityException.class, () -> FsVerityParams.builder().salt(new byte[33]).build())
                .getMessage().contains("salt"));
        assertTrue(assertThrows(VerityException.class, () -> FsVerityParams.builder().blockSize(3000).build())
                .getMessage().contains("power of 2"));
        assertTrue(assertThrows(VerityException.class, () -> FsVerityParams.builder().blockSize(64)
                .algorithm(FsVerityHashAlgorithm.SHA512).build()).getMessage().contains("too small"));
        assertThrows(VerityException.class, () -> FsVerityHashAlgorithm.fromName("sha1"));
        assertThrows(VerityException.class, () -> DmVerityParams.builder().salt(new byte[257]).build());
        assertThrows(VerityException.class, () -> DmVerityParams.builder().dataBlockSize(256).build());
        assertThrows(VerityException.class, () -> DmVerityParams.builder().hashOffset(1000).build());
        assertThrows(VerityException.class, () -> DmVerityParams.builder().hashType(2).build());
    }

    @Test
    void badDmInputsAreCheckedExceptions(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("d"), random(40960, 4));
        Path h = dir.resolve("h");
        DmVerityTree t = DmVerity.format(f, h, DmVerityParams.defaults(), Parallelism.single());
        // wrong superblock magic, named with its offset
        byte[] hb = Files.readAllBytes(h);
        hb[0] = 'X';
        Path bad = Files.write(dir.resolve("bad"), hb);
        VerityException e = assertThrows(VerityException.class,
                () -> DmVerity.verify(f, bad, t.rootHash(), DmVerityParams.defaults(), Parallelism.single()));
        assertTrue(e.getMessage().contains("at byte 0"), e.getMessage());
        // every single-byte corruption of the superblock's checked fields is rejected or still verifies
        for (int off : new int[] {8, 12, 32, 64, 68, 72, 80, 81}) {
            byte[] c = Files.readAllBytes(h);
            c[off] ^= (byte) 0xFF;
            Path cp = Files.write(dir.resolve("c" + off), c);
            assertThrows(VerityException.class,
                    () -> DmVerity.verify(f, cp, t.rootHash(), DmVerityParams.defaults(), Parallelism.single()),
                    "offset " + off);
        }
        // a hash file truncated inside the superblock
        Path shortH = Files.write(dir.resolve("short"), new byte[100]);
        assertThrows(VerityException.class,
                () -> DmVerity.verify(f, shortH, t.rootHash(), DmVerityParams.defaults(), Parallelism.single()));
        // data smaller than one block
        Path tiny = Files.write(dir.resolve("tiny"), new byte[100]);
        assertTrue(assertThrows(VerityException.class,
                () -> DmVerity.format(tiny, dir.resolve("x"), DmVerityParams.defaults(), Parallelism.single()))
                .getMessage().contains("too small"));
        // tree overlapping the data in one file
        assertTrue(assertThrows(VerityException.class, () -> DmVerity.format(f, f,
                DmVerityParams.builder().hashOffset(4096).build(), Parallelism.single())).getMessage().contains("overlaps"));
        // root hash of the wrong length
        assertThrows(VerityException.class,
                () -> DmVerity.verify(f, h, new byte[5], DmVerityParams.defaults(), Parallelism.single()));
        assertEquals(t.superblock(), DmVeritySuperblock.decode(Files.readAllBytes(h), 0));
    }

    @Test
    void positionalSinkRejectsDataLongerThanDeclared(@TempDir Path dir) throws IOException {
        FsVerityParams p = FsVerityParams.defaults();
        try (FileChannel ch = FileChannel.open(dir.resolve("t"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FsVerityHasher h = FsVerityHasher.create(p, Parallelism.single(),
                     MerkleTreeSinks.positional(ch, 0, p.layoutFor(8192)))) {
            h.update(new byte[200 * 4096]);   // two levels instead of one
            assertThrows(VerityException.class, h::finish);
        }
    }
}
