package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.Feature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A chunk-based file: its content is scanned, deduplicated and written in chunks of {@code 2^chunkBits} bytes;
 * the inode maps them with (possibly larger) chunks of {@code 2^mapBits} bytes, map entry {@code k} being
 * scanned chunk {@code k << mapShift}. All-zero chunks are holes; chunks equal to an earlier one share its
 * blocks.
 */
final class ChunkedData extends DataPlan {
    /** log2 of the scanned chunk size. */
    final int chunkBits;
    /** 8-byte chunk indexes instead of a 4-byte block map. */
    final boolean indexes;
    private final long size;
    /** SHA-256 of each non-zero chunk, null for an all-zero chunk; set by the scan. */
    byte[][] digests;
    /** Start block per scanned chunk ({@link InodePlan#NULL_BLK} for a hole); set by allocation. */
    long[] blk;
    /** Whether a chunk's data is written for this file (not a hole, not a duplicate). */
    boolean[] owner;
    /** log2 of the chunk size recorded in the inode. */
    int mapBits;
    /** {@code mapBits - chunkBits}, or -1: every entry is a hole (an all-zero file). */
    int mapShift = -1;
    /** Size of the entry array, known once the map is planned. */
    int indexBytes;

    ChunkedData(long size, int chunkBits, boolean indexes) {
        this.size = size;
        this.chunkBits = chunkBits;
        this.indexes = indexes;
    }

    /** Number of scanned chunks. */
    int chunks() {
        return (int) (((size - 1) >>> chunkBits) + 1);
    }

    @Override
    int layout() {
        return Erofs.LAYOUT_CHUNK_BASED;
    }

    @Override
    int mapBytes() {
        return indexBytes;
    }

    @Override
    int mapOffset(int head) {
        int unit = indexes ? 8 : 4;
        return (head + unit - 1) & -unit;
    }

    @Override
    void allocate(Blocks blocks) throws IOException {
        int n = digests.length;
        blk = new long[n];
        owner = new boolean[n];
        long chunk = 1L << chunkBits;
        for (int i = 0; i < n; i++) {
            byte[] dg = digests[i];
            if (dg == null) {
                blk[i] = InodePlan.NULL_BLK;
                continue;
            }
            long len = Math.min(chunk, size - i * chunk);
            byte[] key = Arrays.copyOf(dg, dg.length + 8);
            ByteBuffer.wrap(key, dg.length, 8).putLong(len);
            long at = blocks.find(key);
            if (at < 0) {
                at = blocks.takeFor(key, len);
                owner[i] = true;
            }
            blk[i] = at;
        }
    }

    @Override
    long rawBlockField(long size, int blockBits) {
        return (mapBits - blockBits) | (indexes ? ChunkIndex.FORMAT_INDEXES : 0);
    }

    /** Start block of map entry {@code k}, {@link InodePlan#NULL_BLK} for a hole. */
    long mapEntry(int k) {
        return mapShift < 0 ? InodePlan.NULL_BLK : blk[k << mapShift];
    }

    @Override
    void encodeMap(ByteBuffer b, int at) {
        int count = indexBytes / (indexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE);
        for (int k = 0; k < count; k++) {
            long e = mapEntry(k);
            if (indexes) {
                // Primary device; a hole is a start block of all ones (the kernel's and mkfs.erofs's NULL).
                new ChunkIndex(0, 0, e).encode(b, at);
                at += ChunkIndex.SIZE;
            } else {
                b.putInt(at, (int) e);
                at += ChunkIndex.BLOCK_MAP_ENTRY_SIZE;
            }
        }
    }

    @Override
    int incompatFeatures() {
        return Feature.INCOMPAT_CHUNKED_FILE;
    }

    /**
     * mkfs.erofs's choice of the chunk size recorded in the inode, from the allocated blocks. An all-zero file is
     * one hole chunk of the smallest power of two covering it. Otherwise the file is cut where two neighbouring
     * scanned chunks are not both holes and not data back to back on disk; each run's length in blocks (the last
     * run's rounded down, counting to the end of its last chunk when that is a hole) contributes its lowest set
     * bit, as does the file's length in blocks rounded up; the smallest of these, if larger than the scanned
     * chunk, is the new chunk size, so every larger chunk lies inside one run and its first scanned chunk's
     * address maps it whole. Only block distances matter, so any base of the data area gives the same answer.
     */
    void planMap(int bits) {
        int bs = 1 << bits;
        int n = blk.length;
        long chunk = 1L << chunkBits;
        int maxBits = bits + ChunkIndex.FORMAT_BLKBITS_MASK;
        boolean allHoles = true;
        for (long b : blk) {
            allHoles &= b == InodePlan.NULL_BLK;
        }
        if (allHoles) {
            mapBits = Math.min(maxBits, Math.max(bits, 64 - Long.numberOfLeadingZeros(size - 1)));
            mapShift = -1;
        } else {
            long minRun = (size + bs - 1) >>> bits;
            int runStart = 0;
            for (int i = 1; i < n; i++) {
                long prev = blk[i - 1];
                long cur = blk[i];
                boolean joined = prev == InodePlan.NULL_BLK ? cur == InodePlan.NULL_BLK
                        : cur != InodePlan.NULL_BLK && prev + (chunk >>> bits) == cur;
                if (!joined) {
                    minRun = lowerRun(minRun, (i - runStart) * chunk >>> bits);
                    runStart = i;
                }
            }
            long end = blk[n - 1] == InodePlan.NULL_BLK ? n * chunk : size;
            minRun = lowerRun(minRun, (end - runStart * chunk) >>> bits);
            int merged = Math.min(maxBits, 63 - Long.numberOfLeadingZeros(minRun) + bits);
            mapBits = Math.max(chunkBits, merged);
            mapShift = mapBits - chunkBits;
        }
        long count = ((size - 1) >>> mapBits) + 1;
        indexBytes = (int) count * (indexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE);
    }

    /** The smaller of {@code min} and the lowest set bit of {@code blocks} (ignored when 0). */
    private static long lowerRun(long min, long blocks) {
        long low = Long.lowestOneBit(blocks);
        return low != 0 && low < min ? low : min;
    }
}
