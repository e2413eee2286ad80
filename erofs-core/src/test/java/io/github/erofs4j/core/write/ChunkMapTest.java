package io.github.erofs4j.core.write;

import io.github.erofs4j.core.internal.Records;
import static io.github.erofs4j.core.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk-based files: the chunk size each inode records (mkfs.erofs's merging of chunks that lie back to back, one
 * hole chunk for an all-zero file), block maps against 8-byte chunk indexes (alignment, the hole value), and the
 * reserved root xattr space. Expected layouts were checked against mkfs.erofs 1.9.3 on the same contents.
 */
class ChunkMapTest {
    private static final long NULL = 0xFFFFFFFFL;

    @TempDir
    Path tmp;

    /** One inode's chunk map as stored: the format word and the start block of every entry. */
    record Map(int format, long[] entries) {
        int extraBits() {
            return format & ChunkIndex.FORMAT_BLKBITS_MASK;
        }
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path write(FsTree tree, WriteOptions opt) throws IOException {
        Path img = Files.createTempFile(tmp, "chunks", ".erofs");
        ErofsWriter.write(tree, img, opt);
        return img;
    }

    private static WriteOptions.Builder chunked(long chunkSize) {
        return WriteOptions.builder().chunkSize(chunkSize).workers(2);
    }

    /** Reads the raw entry array of a chunk-based inode, checking where it starts. */
    static Map map(Path img, ErofsImage image, String path) throws IOException {
        ErofsInode n = image.resolve(path);
        assertEquals(Erofs.LAYOUT_CHUNK_BASED, n.dataLayout(), path);
        int format = (int) (Records.core(n).u() & 0xFFFF);
        boolean indexes = (format & ChunkIndex.FORMAT_INDEXES) != 0;
        int unit = indexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE;
        long head = n.inodeOffset() + (n.extendedInode() ? 64 : 32) + n.xattrBodySize();
        long start = (head + unit - 1) / unit * unit;
        int bits = Records.superBlock(image).blkszbits() + (format & ChunkIndex.FORMAT_BLKBITS_MASK);
        int count = (int) ((n.size() + (1L << bits) - 1) >>> bits);
        byte[] all = Files.readAllBytes(img);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long[] e = new long[count];
        for (int i = 0; i < count; i++) {
            if (indexes) {
                ChunkIndex ci = ChunkIndex.decode(b, (int) start + 8 * i);
                assertEquals(0, ci.startblkHi(), "startblk_hi of entry " + i);
                assertEquals(0, ci.deviceId(), "device of entry " + i);
                e[i] = ci.startblkLo();
            } else {
                e[i] = b.getInt((int) start + 4 * i) & 0xFFFFFFFFL;
            }
        }
        return new Map(format, e);
    }

    @Test
    void backToBackChunksMergeUpToTheLowestRunBit() throws IOException {
        // 100000 bytes = 24 blocks and a tail: the run's 24 blocks have lowest bit 8, so 32 KiB chunks.
        byte[] data = random(1, 100_000);
        FsTree t = new FsTree();
        t.root().put("f", Node.file(data));
        t.root().put("g", Node.file(random(2, 8 * 4096)));
        t.root().put("h", Node.file(random(3, 5 * 4096)));
        Path img = write(t, chunked(4096).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            Map f = map(img, image, "f");
            assertEquals(3, f.extraBits());
            assertEquals(4, f.entries().length);
            for (int i = 1; i < 4; i++) {
                assertEquals(f.entries()[0] + 8L * i, f.entries()[i]);
            }
            assertEquals(3, map(img, image, "g").extraBits(), "8 blocks: one 32 KiB chunk");
            assertEquals(1, map(img, image, "g").entries().length);
            assertEquals(0, map(img, image, "h").extraBits(), "5 blocks: lowest bit 1, no merging");
            assertArrayEquals(data, image.resolve("f").readAllBytes());
        }
    }

    @Test
    void holesCutRunsAndAPartialLastRunCountsWholeBlocksOnly() throws IOException {
        // Chunks (4 KiB): 2 data, 4 zero, 3 data (the last 1232 bytes). Runs of 2, 4 and floor(9424/4096) = 2
        // blocks: 8 KiB chunks, as mkfs.erofs 1.9.3 chooses for this content.
        byte[] data = concat(random(4, 5000), new byte[20000], random(5, 9000));
        FsTree t = new FsTree();
        t.root().put("mixed", Node.file(data));
        // 3 data chunks and a partial hole at the end: the run of holes counts to the end of its chunk.
        t.root().put("tailhole", Node.file(concat(random(6, 3 * 4096), new byte[5000])));
        Path img = write(t, chunked(4096).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            Map m = map(img, image, "mixed");
            assertEquals(1, m.extraBits());
            long d = m.entries()[0];
            assertArrayEquals(new long[] {d, NULL, NULL, d + 2, d + 4}, m.entries());
            assertArrayEquals(data, image.resolve("mixed").readAllBytes());
            Map th = map(img, image, "tailhole");
            assertEquals(0, th.extraBits(), "runs of 3 and 2 blocks");
            assertEquals(NULL, th.entries()[4]);
        }
    }

    @Test
    void allZeroFilesBecomeOneHoleChunk() throws IOException {
        FsTree t = new FsTree();
        t.root().put("big", Node.file(new byte[1_000_000]));
        t.root().put("small", Node.file(new byte[100]));
        t.root().put("data", Node.file(random(7, 3000)));
        WriteSummary s;
        Path img = Files.createTempFile(tmp, "zero", ".erofs");
        s = ErofsWriter.write(t, img, chunked(65536).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            Map big = map(img, image, "big");
            assertEquals(20 - 12, big.extraBits(), "the smallest power of two covering 1000000 bytes");
            assertArrayEquals(new long[] {NULL}, big.entries());
            Map small = map(img, image, "small");
            assertEquals(0, small.extraBits(), "one block, below the 64 KiB chunk size, as mkfs.erofs");
            assertArrayEquals(new long[] {NULL}, small.entries());
            assertArrayEquals(new byte[1_000_000], image.resolve("big").readAllBytes());
            assertArrayEquals(random(7, 3000), image.resolve("data").readAllBytes());
        }
        assertEquals(s.metadataBlocks() + 1, s.blocks(), "only the 3000-byte file takes a data block");
    }

    @Test
    void duplicatesShareBlocksAndMergeOnlyWhereStillBackToBack() throws IOException {
        byte[] x = random(8, 4096);
        byte[] y = random(9, 4096);
        byte[] z = random(10, 4096);
        FsTree t = new FsTree();
        t.root().put("a", Node.file(concat(x, y)));
        t.root().put("b", Node.file(concat(x, y)));
        t.root().put("c", Node.file(concat(y, x)));
        t.root().put("d", Node.file(concat(x, y, z, z)));
        Path img = write(t, chunked(4096).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            Map a = map(img, image, "a");
            assertEquals(1, a.extraBits());
            Map b = map(img, image, "b");
            assertEquals(a.format(), b.format());
            assertArrayEquals(a.entries(), b.entries(), "an identical file reuses a's blocks, merged the same way");
            long xa = a.entries()[0];
            Map c = map(img, image, "c");
            assertEquals(0, c.extraBits());
            assertArrayEquals(new long[] {xa + 1, xa}, c.entries());
            Map d = map(img, image, "d");
            assertEquals(0, d.extraBits(), "runs x y (2 blocks), z (1), z (1)");
            assertEquals(xa, d.entries()[0]);
            assertEquals(xa + 1, d.entries()[1]);
            assertEquals(d.entries()[2], d.entries()[3]);
            assertArrayEquals(concat(x, y, z, z), image.resolve("d").readAllBytes());
            assertArrayEquals(concat(y, x), image.resolve("c").readAllBytes());
        }
    }

    @Test
    void chunkIndexesAreAlignedAndMarkHolesWithAllOnes() throws IOException {
        byte[] data = concat(random(11, 5000), new byte[20000], random(12, 9000));
        FsTree t = new FsTree();
        // An xattr body of 28 bytes (header 12 + entry 16): core + body = 60, so the indexes start at 64.
        t.root().put("x", Node.file(data).xattr("user.a", new byte[8]));
        t.root().put("z", Node.file(new byte[50000]));
        Path img = write(t, chunked(4096).chunkFormat(WriteOptions.ChunkFormat.INDEXES).build());
        Path plain = write(t, chunked(4096).build());
        try (ErofsImage image = ErofsImage.open(img); ErofsImage other = ErofsImage.open(plain)) {
            ErofsInode x = image.resolve("x");
            assertEquals(28, x.xattrBodySize());
            Map m = map(img, image, "x");
            assertEquals(ChunkIndex.FORMAT_INDEXES | 1, m.format());
            long d = m.entries()[0];
            assertArrayEquals(new long[] {d, NULL, NULL, d + 2, d + 4}, m.entries());
            assertArrayEquals(data, x.readAllBytes());
            Map z = map(img, image, "z");
            assertEquals(ChunkIndex.FORMAT_INDEXES | 4, z.format());
            assertArrayEquals(new long[] {NULL}, z.entries());
            // The same decisions with a block map; it starts right after the xattrs.
            Map bm = map(plain, other, "x");
            assertEquals(1, bm.format());
            assertArrayEquals(m.entries(), bm.entries());
            assertArrayEquals(data, other.resolve("x").readAllBytes());
        }
    }

    @Test
    void rootXattrSpaceIsReservedAsMkfsErofsDoes() throws IOException {
        FsTree t = new FsTree();
        t.root().put("f", Node.file(random(13, 10)));
        Path img = write(t, WriteOptions.builder().rootXattrSize(101).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(104, image.root().xattrBodySize(), "rounded up to 4");
            assertTrue(image.root().xattrs().isEmpty(), "padding reads as no xattrs");
            assertTrue(Records.superBlock(image).hasCompat(Feature.COMPAT_XATTR_FILTER), "the header has a name filter");
            assertEquals(0, image.resolve("f").xattrBodySize());
        }
        // Existing xattrs: padded up to the size, or left alone when already larger.
        t.root().xattr("user.k", new byte[] {1, 2, 3});
        img = write(t, WriteOptions.builder().rootXattrSize(64).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(64, image.root().xattrBodySize());
            assertArrayEquals(new byte[] {1, 2, 3}, image.root().xattr("user.k").orElseThrow());
            assertEquals(1, image.root().xattrs().size());
        }
        img = write(t, WriteOptions.builder().rootXattrSize(13).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(12 + 8, image.root().xattrBodySize(), "already over 13 bytes");
        }
        // Dropping xattrs (-x -1) still reserves the space, as mkfs.erofs.
        img = write(t, WriteOptions.builder().dropXattrs(true).rootXattrSize(40).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(40, image.root().xattrBodySize());
            assertTrue(image.root().xattrs().isEmpty());
        }
    }

    @Test
    void rootXattrSizeLimits() {
        for (int bad : new int[] {-1, 1, 4, 12, WriteOptions.MAX_ROOT_XATTR_SIZE + 1}) {
            assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().rootXattrSize(bad).build(),
                    "size " + bad);
        }
        assertEquals(13, WriteOptions.builder().rootXattrSize(13).build().rootXattrSize());
        assertEquals(65532, WriteOptions.builder().rootXattrSize(65532).build().rootXattrSize());
        assertEquals(WriteOptions.ChunkFormat.BLOCK_MAP, WriteOptions.defaults().chunkFormat(), "mkfs.erofs's default");
    }

    @Test
    void largestRootXattrSizeMounts() throws IOException {
        FsTree t = new FsTree();
        t.root().put("f", Node.file(random(14, 5000)));
        Path img = write(t, WriteOptions.builder().rootXattrSize(65532).chunkSize(4096).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            assertEquals(65532, image.root().xattrBodySize());
            assertArrayEquals(random(14, 5000), image.resolve("f").readAllBytes());
            assertEquals(Arrays.asList(), image.root().xattrs());
        }
    }
}
