package io.github.erofs4j.core.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one segment of a file's data into extents and their physical clusters, filling each pcluster with as much
 * input as its compressed form fits, the way mkfs.erofs does: an extent whose compressed form saves no whole
 * block is stored as plain blocks instead, and the file's last extent may become an inline tail (ztailpacking).
 *
 * <p>Files are cut into segments of {@link #SEGMENT_SIZE} bytes that are encoded independently (so that the
 * segments of one large file can be compressed in parallel); the extents of a file are those of its segments in
 * order. Input is consumed through a window of the same size and movement as mkfs.erofs's queue, so that the
 * compressor sees the same input lengths.
 *
 * <p>Not thread-safe: one instance per worker thread (it owns the compressor and its buffers).
 */
final class ZSegmentEncoder {
    /** The size of the independently encoded pieces of a file. */
    static final int SEGMENT_SIZE = 16 << 20;
    /** Consumed input is dropped from the window once this much of it has been encoded. */
    private static final int WINDOW_KEEP = 4000 * 1024;
    /** The window's capacity: input is read into it up to this many bytes. */
    private static final int WINDOW_SIZE = 2 * WINDOW_KEEP;

    /**
     * A compressor that fills a bounded destination, as {@link
     * io.github.erofs4j.core.spi.Compressor#compressDestSize(byte[], int, int, byte[], int, int, int[], int)}: it
     * stores the compressed form of the longest prefix of {@code src[off, off+len)} whose compressed size fits
     * {@code capacity} bytes at {@code dst[dstOff]}, sets {@code consumed[0]} to that prefix's length and returns
     * the compressed size, or a value below 1 when nothing fits; {@code expected} is a guess of that length, or 0.
     */
    interface DestSizeCompressor extends AutoCloseable {
        int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int capacity, int[] consumed,
                int expected);

        /** Releases the compressor's resources. */
        @Override
        default void close() {}

        /** The destination-size calls of {@code z}, which this closes. */
        static DestSizeCompressor of(io.github.erofs4j.core.spi.Compressor z) {
            return new DestSizeCompressor() {
                @Override
                public int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int capacity,
                        int[] consumed, int expected) {
                    return z.compressDestSize(src, off, len, dst, dstOff, capacity, consumed, expected);
                }

                @Override
                public void close() {
                    z.close();
                }
            };
        }
    }

    /** One extent of a file: {@code length} bytes of the file stored in a pcluster of {@code plen} bytes. */
    static final class Extent {
        /** Uncompressed bytes of the file this extent covers. */
        final int length;
        /** Bytes the pcluster takes on disk (a whole number of blocks); for an inline tail, one virtual block. */
        final int plen;
        /** The pcluster holds the bytes as they are (a PLAIN lcluster) instead of compressed. */
        final boolean raw;
        /** The pcluster is the inode's inline tail (ztailpacking), not a block of the data area. */
        final boolean inlined;

        Extent(int length, int plen, boolean raw, boolean inlined) {
            this.length = length;
            this.plen = plen;
            this.raw = raw;
            this.inlined = inlined;
        }

        @Override
        public String toString() {
            return (inlined ? "inline " : "") + (raw ? "plain " : "z ") + length + "->" + plen;
        }
    }

    /**
     * The result of one segment: its extents, the bytes of its pclusters (every extent's but an inline one, in
     * order, {@code dataLength} bytes), and for the file's last segment with ztailpacking its inline tail.
     */
    static final class Segment {
        final List<Extent> extents = new ArrayList<>();
        byte[] data = new byte[0];
        int dataLength;
        /** The inline tail pcluster (compressed, or raw when {@link #inlineRaw}), or null. */
        byte[] inline;
        boolean inlineRaw;
        /** The raw bytes of a compressed inline tail, kept to store it as a plain block if it cannot be inline. */
        byte[] inlineTailRaw;

        void append(byte[] src, int off, int len) {
            if (dataLength + len > data.length) {
                data = Arrays.copyOf(data, Math.max(dataLength + len, data.length * 2));
            }
            System.arraycopy(src, off, data, dataLength, len);
            dataLength += len;
        }
    }

    private final DestSizeCompressor compressor;
    private final int blockSize;
    private final int pclusterSize;
    private final long maxExtentBytes;
    private final byte[] dst;
    private final byte[] retry;
    private final byte[] block;
    private final int[] consumed = new int[1];
    /** Where the next extent starts within its lcluster. */
    private int clusterOfs;
    /**
     * Input taken and bytes written by the segment's last compressed pcluster (0 before the first): their ratio
     * gives the compressor its guess of how much input the next one takes. Per segment, so that the bytes written
     * do not depend on which segments a thread encoded before.
     */
    private long lastIn;
    private long lastOut;

    /**
     * @param pclusterSize the largest pcluster in bytes, a multiple of the block size
     * @param maxExtentBytes the most uncompressed bytes one extent may cover
     */
    ZSegmentEncoder(DestSizeCompressor compressor, int blockSize, int pclusterSize, long maxExtentBytes) {
        this.compressor = compressor;
        this.blockSize = blockSize;
        this.pclusterSize = pclusterSize;
        this.maxExtentBytes = maxExtentBytes;
        this.dst = new byte[pclusterSize + blockSize];
        this.retry = new byte[pclusterSize + blockSize];
        this.block = new byte[blockSize];
    }

    /**
     * Encodes {@code len} bytes of {@code src} from {@code off}: one segment of a file.
     *
     * @param lastSegment whether this is the file's last segment (only there may the tail be inline)
     * @param ztailpacking whether the file's tail may be stored inline
     */
    Segment encode(byte[] src, int off, int len, boolean lastSegment, boolean ztailpacking) {
        Segment seg = new Segment();
        long remaining = len;
        int base = off; // input position of window position 0
        int head = 0;
        int tail = 0;
        clusterOfs = 0;
        lastIn = 0;
        lastOut = 0;
        while (remaining > 0) {
            int rx = (int) Math.min(remaining, WINDOW_SIZE - tail);
            remaining -= rx;
            tail += rx;
            boolean fin = remaining == 0;
            while (tail > head) {
                int used = encodeOne(seg, src, base + head, tail - head, fin, lastSegment && ztailpacking && fin);
                if (used < 0) {
                    break; // needs more input
                }
                head += used;
                clusterOfs = (clusterOfs + used) & (blockSize - 1);
                if (!fin && head >= WINDOW_KEEP) {
                    int drop = head - head % blockSize;
                    base += drop;
                    tail -= drop;
                    head -= drop;
                    break;
                }
            }
        }
        return seg;
    }

    /** Encodes one extent (or a run of plain blocks) from {@code src[at, at+len)}; -1 when more input is needed. */
    private int encodeOne(Segment seg, byte[] src, int at, int len, boolean fin, boolean mayInline) {
        int length;
        if (len <= pclusterSize) {
            if (!fin || len == 0) {
                return -1;
            }
            if (!mayInline && len <= blockSize) {
                return storePlain(seg, src, at, len, len);
            }
        }
        length = (int) Math.min(len, maxExtentBytes);
        int compressed = fill(src, at, length, dst, pclusterSize);
        int rounded = -1;
        if (compressed > 0) {
            length = consumed[0];
            rounded = mayInline && length == len && compressed < blockSize ? compressed
                    : roundUp(compressed, blockSize);
        }
        if (compressed <= 0 || rounded >= length) {
            if (mayInline && len < blockSize) {
                seg.inline = Arrays.copyOfRange(src, at, at + len);
                seg.inlineRaw = true;
                seg.extents.add(new Extent(len, blockSize, true, true));
                return len;
            }
            return storePlain(seg, src, at, len, Math.min(length, pclusterSize));
        }
        if (mayInline && length == len && compressed < blockSize) {
            if (clusterOfs + len <= blockSize) {
                seg.inlineTailRaw = Arrays.copyOfRange(src, at, at + len);
            }
            seg.inline = Arrays.copyOf(dst, compressed);
            seg.inlineRaw = false;
            seg.extents.add(new Extent(len, blockSize, false, true));
            return len;
        }
        if (mayInline && length == len && compressed % blockSize != 0) {
            // The file's tail: one block less may hold nearly all of it, the rest going into the inline tail.
            int budget = compressed - compressed % blockSize;
            int smaller = budget > 0 ? fill(src, at, length, retry, budget) : 0;
            if (smaller > 0 && smaller + (length - consumed[0]) < roundUp(compressed, blockSize)) {
                System.arraycopy(retry, 0, dst, 0, smaller);
                compressed = smaller;
                length = consumed[0];
            }
        }
        int plen = roundUp(compressed, blockSize);
        // 0-padding: the compressed bytes end the pcluster, zeros before them.
        Arrays.fill(block, 0, plen - compressed, (byte) 0);
        seg.append(block, 0, plen - compressed);
        seg.append(dst, 0, compressed);
        seg.extents.add(new Extent(length, plen, false, false));
        return length;
    }

    /** Fills {@code capacity} bytes of {@code out} from {@code src[at, at+len)}, guessing from the last pcluster. */
    private int fill(byte[] src, int at, int len, byte[] out, int capacity) {
        int expected = lastOut <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, lastIn * capacity / lastOut);
        int n = compressor.compress(src, at, len, out, 0, capacity, consumed, expected);
        if (n > 0 && consumed[0] < len) {
            lastIn = consumed[0];
            lastOut = n;
        }
        return n;
    }

    /**
     * Stores input as plain one-block extents: whole blocks while at least a block and a half of {@code wanted}
     * remains, then one final block, as mkfs.erofs does. Returns the bytes consumed.
     */
    private int storePlain(Segment seg, byte[] src, int at, int len, int wanted) {
        int used = 0;
        int size = len;
        int processed = wanted;
        while (true) {
            int count = Math.min(blockSize, size);
            seg.append(src, at + used, count);
            if (count < blockSize) {
                Arrays.fill(block, 0, blockSize - count, (byte) 0);
                seg.append(block, 0, blockSize - count);
            }
            seg.extents.add(new Extent(count, blockSize, true, false));
            used += count;
            size -= count;
            if (processed < blockSize + count) {
                return used;
            }
            processed -= count;
        }
    }

    static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }
}
