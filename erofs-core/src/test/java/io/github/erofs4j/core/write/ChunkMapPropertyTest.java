package io.github.erofs4j.core.write;

import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.testing.KernelTools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * The chunk map of every file against an independent model of mkfs.erofs 1.9.3's loop, written the way
 * blobchunk.c walks a file (byte positions, a hole advancing a whole chunk, runs cut where a chunk cannot follow
 * the previous one), with the data area allocated chunk by chunk in file order and deduplicated by content.
 * Files are made of zero chunks, fresh chunks and repeats of earlier chunks, some all zero, some ending in a
 * partial chunk. Also: every random tree written chunk-based, in either entry format, reads back as written.
 */
class ChunkMapPropertyTest {
    private static final long NULL = 0xFFFFFFFFL;

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void mapsFollowMkfsErofsRule(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int bsPick,
            @ForAll @IntRange(min = 0, max = 2) int chunkPick, @ForAll boolean indexes) throws IOException {
        Random r = new Random(seed);
        int bs = 512 << bsPick;
        int bits = Integer.numberOfTrailingZeros(bs);
        int chunk = bs << chunkPick;
        List<byte[]> pool = new ArrayList<>();
        FsTree tree = new FsTree();
        int files = 1 + r.nextInt(6);
        List<byte[]> contents = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            int n = 1 + r.nextInt(r.nextInt(4) == 0 ? 70 : 12);
            boolean allZero = r.nextInt(6) == 0;
            int last = r.nextInt(3) == 0 ? 1 + r.nextInt(chunk) : chunk;
            byte[] data = new byte[(n - 1) * chunk + last];
            int kind = 0;
            for (int i = 0; i < n; i++) {
                int len = i == n - 1 ? last : chunk;
                // Sticky kinds: long runs of holes or fresh data, so that merging happens often.
                if (i == 0 || r.nextInt(4) == 0) {
                    kind = allZero ? 0 : r.nextInt(8);
                }
                byte[] piece;
                if (kind < 2) {
                    continue; // zeros
                } else if (kind < 6 || pool.isEmpty()) {
                    piece = new byte[chunk];
                    r.nextBytes(piece);
                    piece[0] = 1; // never all zero
                    pool.add(piece);
                } else {
                    piece = pool.get(r.nextInt(pool.size()));
                }
                System.arraycopy(piece, 0, data, i * chunk, len);
            }
            contents.add(data);
            // Names in byte order = inode order = allocation order.
            tree.root().put(String.format("f%02d", f), Node.file(data));
        }
        WriteOptions opt = WriteOptions.builder().blockSize(bs).chunkSize(chunk).workers(1 + r.nextInt(3))
                .chunkFormat(indexes ? WriteOptions.ChunkFormat.INDEXES : WriteOptions.ChunkFormat.BLOCK_MAP)
                .build();
        Path dir = Files.createTempDirectory("erofs4j-chunkprop");
        try {
            Path img = dir.resolve("x.erofs");
            WriteSummary s = ErofsWriter.write(tree, img, opt);
            Model model = new Model(bs, bits, chunk, s.metadataBlocks());
            try (ErofsImage image = ErofsImage.open(img)) {
                for (int f = 0; f < files; f++) {
                    String name = String.format("f%02d", f);
                    long[] want = model.file(contents.get(f));
                    ChunkMapTest.Map got = ChunkMapTest.map(img, image, name);
                    assertEquals(model.extraBits | (indexes ? ChunkIndex.FORMAT_INDEXES : 0), got.format(),
                            name + " format, seed " + seed);
                    assertArrayEquals(want, got.entries(), name + " entries, seed " + seed);
                    assertArrayEquals(contents.get(f), image.resolve(name).readAllBytes(), name);
                }
                assertEquals(model.next, s.blocks(), "data blocks: each distinct chunk once");
            }
        } finally {
            KernelTools.deleteTree(dir);
        }
    }

    /** mkfs.erofs's decisions, file by file; block numbers absolute (the data area starts after metadata). */
    private static final class Model {
        final int bs;
        final int bits;
        final int chunk;
        final HashMap<String, Long> seen = new HashMap<>();
        long next;
        int extraBits;

        Model(int bs, int bits, int chunk, long dataStart) {
            this.bs = bs;
            this.bits = bits;
            this.chunk = chunk;
            this.next = dataStart;
        }

        /** A chunk as blobchunk.c tracks it: null for the hole chunk, else {start block, bytes}. */
        long[] file(byte[] data) {
            long size = data.length;
            int chunkBits = Integer.numberOfTrailingZeros(chunk);
            boolean sparse = true;
            for (byte b : data) {
                sparse &= b == 0;
            }
            if (sparse) {
                int cb = Math.max(bits, 64 - Long.numberOfLeadingZeros(size - 1));
                cb = Math.min(cb, bits + 31);
                extraBits = cb - bits;
                long count = (size + (1L << cb) - 1) >> cb;
                long[] out = new long[(int) count];
                java.util.Arrays.fill(out, NULL);
                return out;
            }
            List<long[]> idx = new ArrayList<>();
            long minExt = (size + bs - 1) / bs;
            long pos = 0;
            long intervalStart = 0;
            long[] last = null;
            boolean started = false;
            while (pos < size) {
                int len = (int) Math.min(size - pos, chunk);
                boolean zero = true;
                for (int i = 0; i < len; i++) {
                    zero &= data[(int) pos + i] == 0;
                }
                long[] cur;
                if (zero) {
                    cur = null;
                } else {
                    String key = java.util.HexFormat.of().formatHex(data, (int) pos, (int) pos + len);
                    Long blk = seen.get(key);
                    if (blk == null) {
                        blk = next;
                        next += (len + bs - 1) / bs;
                        seen.put(key, blk);
                    }
                    cur = new long[] {blk, len};
                }
                boolean canMerge = !started || (last == null && cur == null)
                        || (last != null && cur != null && last[0] * bs + last[1] == cur[0] * bs);
                if (!canMerge) {
                    minExt = update(intervalStart, pos, minExt);
                    intervalStart = pos;
                }
                idx.add(cur);
                last = cur;
                started = true;
                pos += cur == null ? chunk : len;
            }
            minExt = update(intervalStart, pos, minExt);
            int newBits = Math.min(63 - Long.numberOfLeadingZeros(minExt) + bits, bits + 31);
            int cb = Math.max(chunkBits, newBits);
            extraBits = cb - bits;
            int stride = 1 << (cb - chunkBits);
            int count = (int) ((size + (1L << cb) - 1) >> cb);
            long[] out = new long[count];
            for (int k = 0; k < count; k++) {
                long[] c = idx.get(k * stride);
                out[k] = c == null ? NULL : c[0];
            }
            return out;
        }

        private long update(long start, long end, long minExt) {
            long lb = Long.lowestOneBit((end - start) >> bits);
            return lb != 0 && lb < minExt ? lb : minExt;
        }
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void randomTreesReadBack(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int bsPick,
            @ForAll @IntRange(min = 0, max = 3) int chunkPick, @ForAll boolean indexes) throws IOException {
        int bs = 512 << bsPick;
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(60, false, bs, true));
        WriteOptions opt = WriteOptions.builder().blockSize(bs).buildTime(1700000000L)
                .chunkSize((long) bs << chunkPick)
                .chunkFormat(indexes ? WriteOptions.ChunkFormat.INDEXES : WriteOptions.ChunkFormat.BLOCK_MAP)
                .rootXattrSize(seed % 3 == 0 ? 0 : 13 + (int) Math.floorMod(seed, 3000)).build();
        Path dir = Files.createTempDirectory("erofs4j-chunkprop");
        try {
            Path img = dir.resolve("x.erofs");
            ErofsWriter.write(tree, img, opt);
            try (ErofsImage image = ErofsImage.open(img)) {
                KernelTools.assertSameLines(RandomTrees.expected(tree), Manifests.of(image, true),
                        "our reader, seed " + seed);
            }
        } finally {
            KernelTools.deleteTree(dir);
        }
    }
}
