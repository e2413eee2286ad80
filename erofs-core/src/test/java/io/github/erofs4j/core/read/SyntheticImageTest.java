package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.CompactInode;
import io.github.erofs4j.core.format.Dirent;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.ExtendedInode;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-built images for what no fixture has: a dot-omitted root, a chunk-based file over 4 GiB with holes,
 * 48-bit null addresses, NLINK_1 compact inodes, block sizes from 512 bytes to 64 KiB, and broken superblocks.
 */
class SyntheticImageTest {
    static final long BIG = 5L * 1024 * 1024 * 1024 + 123;
    static final long EPOCH = 1_000;

    @TempDir
    Path tmp;

    /** Builds the image; {@code incompatExtra} is or-ed into the incompat bits. */
    static byte[] build(long incompatExtra) {
        return build(incompatExtra, 12);
    }

    /** The directory's block: the first block past byte 4096 (inodes and the superblock live below). */
    static int dirBlock(int bits) {
        return Math.max(4096 >> bits, 1);
    }

    /** Builds the image with blocks of {@code 1 << bits} bytes. */
    static byte[] build(long incompatExtra, int bits) {
        int bs = 1 << bits;
        int dirBlk = dirBlock(bits);
        int dataBlk = dirBlk + 1;
        ByteBuffer img = ByteBuffer.allocate((dataBlk + 1) * bs).order(ByteOrder.LITTLE_ENDIAN);
        // root: compact dir, FLAT_PLAIN, DOT_OMITTED, data in block 1
        String[] names = {"..", "big", "hole", "small"};
        long[] nids = {64, 66, 72, 70};
        int[] types = {Erofs.FT_DIR, Erofs.FT_REG_FILE, Erofs.FT_REG_FILE, Erofs.FT_REG_FILE};
        int nameOff = names.length * Dirent.SIZE;
        int p = nameOff;
        for (int i = 0; i < names.length; i++) {
            new Dirent(nids[i], p, types[i]).encode(img, dirBlk * bs + i * Dirent.SIZE);
            byte[] nb = names[i].getBytes(StandardCharsets.UTF_8);
            img.put(dirBlk * bs + p, nb);
            p += nb.length;
        }
        int dirSize = p;
        new CompactInode(Erofs.I_DOT_OMITTED | (Erofs.LAYOUT_FLAT_PLAIN << 1), 0, Erofs.S_IFDIR | 0755, 2,
                dirSize, 0, dirBlk, 1, 0, 0).encode(img, 64 * 32);
        // big: extended, chunk-based, 48-bit chunk indexes, 1 GiB chunks, only the last chunk mapped
        int chunkFmt = ChunkIndex.FORMAT_INDEXES | ChunkIndex.FORMAT_48BIT | (30 - bits);
        new ExtendedInode(1 | (Erofs.LAYOUT_CHUNK_BASED << 1), 0, Erofs.S_IFREG | 0644, 0, BIG, chunkFmt, 2,
                70000, 80000, 1_700_000_123L, 456, 1).encode(img, 66 * 32);
        long chunkArray = 66 * 32 + ExtendedInode.SIZE;
        for (int i = 0; i < 6; i++) {
            ChunkIndex ci = i == 5 ? new ChunkIndex(0, 0, dataBlk) : new ChunkIndex(0xFFFF, 0, 0xFFFFFFFFL);
            ci.encode(img, (int) chunkArray + 8 * i);
        }
        for (int i = 0; i < 123; i++) {
            img.put(dataBlk * bs + i, (byte) (i * 7 + 1));
        }
        // small: compact, FLAT_INLINE, NLINK_1 with startblk_hi (unused: no full block), mtime relative to epoch
        new CompactInode(Erofs.I_NLINK_1 | (Erofs.LAYOUT_FLAT_INLINE << 1), 0, Erofs.S_IFREG | 04755, 0xFFFF, 20, 77,
                0xFFFFFFFFL, 3, 5, 6).encode(img, 70 * 32);
        img.put(70 * 32 + 32, "twenty bytes inline!".getBytes(StandardCharsets.US_ASCII));
        // hole: extended FLAT_PLAIN whose 48-bit start block is the null address: all zeros
        new ExtendedInode(1 | (Erofs.LAYOUT_FLAT_PLAIN << 1), 0, Erofs.S_IFREG | 0600, 0xFFFF, 10_000, 0xFFFFFFFFL, 4,
                0, 0, 5, 0, 1).encode(img, 72 * 32);
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0, Feature.COMPAT_SB_CHKSUM, bits, 0, 64, 4, EPOCH, 5,
                dataBlk + 1, 0, 0, new byte[16], "synthetic".getBytes(StandardCharsets.US_ASCII),
                Feature.INCOMPAT_CHUNKED_FILE | Feature.INCOMPAT_48BIT | incompatExtra, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0);
        sb.encode(img, Erofs.SUPERBLOCK_OFFSET);
        return withChecksum(img.array());
    }

    static byte[] withChecksum(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int bs = 1 << (image[Erofs.SUPERBLOCK_OFFSET + 12] & 0xFF);
        int len = SuperBlock.checksumLength(bs);
        b.putInt(Erofs.SUPERBLOCK_OFFSET + 4, (int) SuperBlock.checksum(image, len));
        return image;
    }

    ErofsImage open(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(tmp, "img", ".erofs");
        Files.write(f, bytes);
        return ErofsImage.open(f);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 16})
    void dotOmittedRootAndLookups(int bits) throws IOException {
        try (ErofsImage img = open(build(0, bits))) {
            assertEquals(1 << bits, img.blockSize());
            ErofsInode root = img.root();
            assertTrue(root.dotOmitted());
            assertEquals(List.of("..", "big", "hole", "small"), root.entries().stream().map(DirEntry::name).toList());
            assertEquals(List.of("big", "hole", "small"), root.children().stream().map(DirEntry::name).toList());
            for (DirEntry e : root.entries()) {
                assertEquals(e, root.lookup(e.name()).orElseThrow());
            }
            assertTrue(root.lookup(".").isEmpty());
            assertTrue(root.lookup("bi").isEmpty());
            assertTrue(root.lookup("bigger").isEmpty());
            assertTrue(root.lookup("a").isEmpty());
            assertTrue(root.lookup("zzz").isEmpty());
            assertEquals(64, img.resolve("/./..").nid());
            assertEquals(70, img.resolve("small").nid());
            assertThrows(NoSuchFileException.class, () -> img.resolve("/nope"));
            assertThrows(NotDirectoryException.class, () -> img.resolve("/small/x"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 16})
    void chunkedFileOverFourGibWithHoles(int bits) throws IOException {
        try (ErofsImage img = open(build(0, bits))) {
            assertEquals(1 << bits, img.blockSize());
            ErofsInode big = img.resolve("/big");
            assertEquals(BIG, big.size());
            assertEquals(70000, big.uid());
            assertEquals(80000, big.gid());
            assertEquals(1_700_000_123L, big.mtimeSeconds());
            assertEquals(456, big.mtimeNanos());
            byte[] buf = new byte[200];
            long at = BIG - 123 - 77;
            assertEquals(200, big.read(at, buf, 0, 200));
            for (int i = 0; i < 77; i++) {
                assertEquals(0, buf[i]);
            }
            for (int i = 0; i < 123; i++) {
                assertEquals((byte) (i * 7 + 1), buf[77 + i]);
            }
            assertEquals(-1, big.read(BIG, buf, 0, 1));
            assertEquals(23, big.read(BIG - 23, buf, 0, 200));
            byte[] z = new byte[4096];
            assertEquals(4096, big.read((4L << 30) - 100, z, 0, z.length));
            for (byte b : z) {
                assertEquals(0, b);
            }
            assertEquals(List.of(new DataExtent(0, 5L << 30, 0, -1, false), new DataExtent(5L << 30, 123, 0,
                    (long) (dirBlock(bits) + 1) << bits, false)), big.dataExtents());
            assertThrows(IOException.class, big::readAllBytes);
            try (var ch = big.newByteChannel()) {
                ch.position(BIG - 3);
                ByteBuffer bb = ByteBuffer.allocate(10);
                assertEquals(3, ch.read(bb));
                assertEquals(-1, ch.read(bb));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 16})
    void compactInodeEpochNlink1AndNullAddress(int bits) throws IOException {
        try (ErofsImage img = open(build(0, bits))) {
            assertEquals(1 << bits, img.blockSize());
            ErofsInode small = img.resolve("small");
            assertFalse(small.extendedInode());
            assertEquals(1, small.nlink());
            assertEquals(EPOCH + 77, small.mtimeSeconds());
            assertEquals(5, small.mtimeNanos());
            assertEquals(04755, small.permissions());
            assertEquals("twenty bytes inline!", new String(small.readAllBytes(), StandardCharsets.US_ASCII));
            ErofsInode hole = img.resolve("hole");
            byte[] all = hole.readAllBytes();
            assertEquals(10_000, all.length);
            assertArrayEquals(new byte[10_000], all);
            assertEquals(List.of(new DataExtent(0, 10_000, 0, -1, false)), hole.dataExtents());
            assertEquals(2, img.root().nlink());
        }
    }

    @Test
    void unknownIncompatBitIsNamed() throws IOException {
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(build(0x200)));
        assertEquals(ErofsFormatException.Kind.UNSUPPORTED, e.kind());
        assertEquals("incompat feature 0x200", e.feature().orElseThrow());
        assertTrue(e.getMessage().contains("unsupported: incompat feature 0x200"), e.getMessage());
        assertEquals(Erofs.SUPERBLOCK_OFFSET + 80, e.offset());
    }

    @Test
    void metaboxFlagWithoutRoomForTheMetaboxNidIsCorrupt() {
        // The metabox feature is read, but a 128-byte superblock cannot hold the metabox nid.
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(build(Feature.INCOMPAT_METABOX)));
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind());
        assertEquals(Erofs.SUPERBLOCK_OFFSET + 13, e.offset());
    }

    @Test
    void checksumIsVerified() throws IOException {
        byte[] b = build(0);
        b[2000] ^= 1; // inside the checksummed range, outside any structure we read
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(b));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Path f = Files.createTempFile(tmp, "img", ".erofs");
        Files.write(f, b);
        try (ErofsImage img = ErofsImage.open(f, ReadOptions.builder().verifyChecksum(false).build())) {
            assertEquals(3, img.root().children().size());
        }
    }

    @Test
    void directoryBlocksSharedThroughAChunkMapAreRejected() throws IOException {
        byte[] b = build(0);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int root = 64 * 32;
        CompactInode old = CompactInode.decode(bb, root);
        // Root becomes chunk-based (block map, one block per chunk), 3 blocks all mapped to the directory block.
        new CompactInode(Erofs.I_DOT_OMITTED | (Erofs.LAYOUT_CHUNK_BASED << 1), 0, old.mode(), old.nb(),
                2L * 4096 + old.size(), 0, 0, 1, 0, 0).encode(bb, root);
        for (int i = 0; i < 3; i++) {
            bb.putInt(root + 32 + 4 * i, 1);
        }
        try (ErofsImage img = open(withChecksum(b))) {
            ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> img.root().entries());
            assertEquals(4096, e.offset());
            assertTrue(e.getMessage().contains("same place"), e.getMessage());
        }
    }

    @Test
    void badMagicAndTinyFiles() throws IOException {
        byte[] b = build(0);
        b[Erofs.SUPERBLOCK_OFFSET] = 0;
        assertThrows(ErofsFormatException.class, () -> open(b));
        assertThrows(ErofsFormatException.class, () -> open(new byte[1100]));
        assertThrows(ErofsFormatException.class, () -> open(new byte[0]));
    }

    @Test
    void corruptImagesSayWhereAndHow() throws IOException {
        byte[] b = build(0);
        b[Erofs.SUPERBLOCK_OFFSET] = 0;
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(b));
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind(), e.getMessage());
        assertEquals(Erofs.SUPERBLOCK_OFFSET, e.offset());
        assertTrue(e.feature().isEmpty());
        byte[] c = build(0);
        c[2000] ^= 1;
        e = assertThrows(ErofsFormatException.class, () -> open(c));
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind(), e.getMessage());
    }

    @Test
    void truncatedImagesSayWhereAndHow() throws IOException {
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(new byte[1100]));
        assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind(), e.getMessage());
        assertTrue(e.feature().isEmpty());
        // Cut inside the root directory's block: the superblock and inodes are whole, the dirents are not.
        byte[] whole = build(0);
        int dirAt = dirBlock(12) << 12;
        byte[] cut = withChecksum(java.util.Arrays.copyOf(whole, dirAt + 20));
        try (ErofsImage img = ErofsImage.open(writeTemp(cut), ReadOptions.builder().verifyChecksum(false).build())) {
            e = assertThrows(ErofsFormatException.class, () -> img.root().entries());
            assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind(), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= dirAt, e.getMessage());
        }
    }

    private Path writeTemp(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(tmp, "img", ".erofs");
        Files.write(f, bytes);
        return f;
    }
}
