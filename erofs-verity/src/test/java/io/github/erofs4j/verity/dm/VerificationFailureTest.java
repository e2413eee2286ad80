package io.github.erofs4j.verity.dm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerificationException.Failure;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a dm-verity check fails is told apart by {@link VerificationException#failure()}, with its offsets. */
class VerificationFailureTest {

    @TempDir
    Path dir;
    Path data;
    Path hash;
    DmVerityTree tree;

    /** 512-byte blocks of sha256: 16 hashes per hash block, so 40 data blocks give a tree of two levels. */
    @BeforeEach
    void format() throws Exception {
        data = dir.resolve("data");
        hash = dir.resolve("hash");
        byte[] d = new byte[40 * 512];
        new Random(7).nextBytes(d);
        Files.write(data, d);
        DmVerityParams params = DmVerityParams.builder().dataBlockSize(512).hashBlockSize(512).build();
        tree = DmVerity.format(data, hash, params, Parallelism.single());
        assertEquals(2, tree.layout().levels());
    }

    private VerificationException verifyFails() {
        return assertThrows(VerificationException.class,
                () -> DmVerity.verify(data, hash, tree.rootHash(), DmVerityParams.defaults(), Parallelism.single()));
    }

    private static void flip(Path file, long at) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[(int) at] ^= 0x10;
        Files.write(file, b);
    }

    @Test
    void intactTreeVerifies() throws Exception {
        DmVerity.verify(data, hash, tree.rootHash(), DmVerityParams.defaults(), Parallelism.single());
    }

    @Test
    void rootHashMismatch() {
        byte[] wrong = tree.rootHash();
        wrong[3] ^= 1;
        VerificationException e = assertThrows(VerificationException.class,
                () -> DmVerity.verify(data, hash, wrong, DmVerityParams.defaults(), Parallelism.single()));
        assertEquals(Failure.ROOT_HASH_MISMATCH, e.failure());
        assertEquals(-1, e.position());
    }

    @Test
    void dataBlockMismatchNamesThePosition() throws Exception {
        flip(data, 17 * 512 + 100);
        VerificationException e = verifyFails();
        assertEquals(Failure.DATA_BLOCK_MISMATCH, e.failure());
        assertEquals(17 * 512, e.position());
        long leafBlock = tree.treeOffset() + tree.layout().offsetOf(0, 1); // hashes 16..31
        assertTrue(e.hashOffset() >= leafBlock && e.hashOffset() < leafBlock + 512, e.getMessage());
    }

    @Test
    void hashBlockMismatchNamesTheHashFileOffset() throws Exception {
        long top = tree.treeOffset() + tree.layout().offsetOf(1, 0);
        flip(hash, top + 5);
        VerificationException e = verifyFails();
        assertEquals(Failure.HASH_BLOCK_MISMATCH, e.failure());
        assertEquals(top, e.hashOffset());
        assertEquals(-1, e.position());
    }

    @Test
    void badSuperblock() throws Exception {
        flip(hash, 8); // the version field
        VerificationException e = verifyFails();
        assertEquals(Failure.BAD_SUPERBLOCK, e.failure());
        assertEquals(8, e.hashOffset());
        flip(hash, 8);
        flip(hash, 0); // the magic
        assertEquals(Failure.BAD_SUPERBLOCK, verifyFails().failure());
        try (FileChannel ch = FileChannel.open(hash, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertEquals(Failure.BAD_SUPERBLOCK, verifyFails().failure());
    }

    @Test
    void truncatedTree() throws Exception {
        long size = Files.size(hash);
        try (FileChannel ch = FileChannel.open(hash, StandardOpenOption.WRITE)) {
            ch.truncate(size - 512);
        }
        VerificationException e = verifyFails();
        assertEquals(Failure.HASH_TREE_TRUNCATED, e.failure());
        assertEquals(size - 512, e.hashOffset());
    }
}
