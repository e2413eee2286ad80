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
        /** The extent is the file's tail stored in the packed inode (its pcluster takes no block: plen 0). */
        final boolean fragment;
        /** The extent uses only a prefix of its pcluster's data (a shared pcluster). */
        final boolean partial;
        /** Where the shared pcluster this extent refers to is in the spool, or -1 for a pcluster of its own. */
        final long ref;

        Extent(int length, int plen, boolean raw, boolean inlined) {
            this(length, plen, raw, inlined, false, false, -1);
        }

        Extent(int length, int plen, boolean raw, boolean inlined, boolean fragment, boolean partial, long ref) {
            this.length = length;
            this.plen = plen;
            this.raw = raw;
            this.inlined = inlined;
            this.fragment = fragment;
            this.partial = partial;
            this.ref = ref;
        }

        /** A fragment extent of {@code length} bytes. */
        static Extent fragment(int length) {
            return new Extent(length, 0, false, false, true, false, -1);
        }

        /** This extent referring to the pcluster at spool offset {@code ref} instead. */
        Extent shared(long ref) {
            return new Extent(length, plen, raw, inlined, fragment, partial, ref);
        }

        /** Whether the extent's pcluster is stored in the data area by this file. */
        boolean ownsData() {
            return !inlined && !fragment && ref < 0;
        }

        @Override
        public String toString() {
            return (fragment ? "fragment " : "") + (inlined ? "inline " : "") + (raw ? "plain " : "z ") + length
                    + "->" + plen + (ref >= 0 ? " @" + ref + (partial ? " partial" : "") : "");
        }
    }

    /**
     * How one segment is encoded.
     *
     * @param last whether this is the file's last segment (only there may the tail be inline or a fragment)
     * @param ztailpacking whether the file's tail may be stored inline
     * @param fragments whether the file's tail goes to the packed inode
     * @param matched bytes at the end of the segment already in the packed inode (a fragment of an earlier file
     *     ends with them): they are left out unless a pcluster can take some of them with the bytes before
     */
    record Tail(boolean last, boolean ztailpacking, boolean fragments, int matched) {
        static Tail of(boolean last, boolean ztailpacking) {
            return new Tail(last, ztailpacking, false, 0);
        }
    }

    /**
     * Where a segment's input and output live, for the dedupe table: the input is {@code content} from
     * {@code fileOffset}, and the segment's pclusters will be in the spool from {@code spoolBase}.
     */
    record Place(FileContent content, long fileOffset, long spoolBase) {}

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
        /** The bytes of a new fragment (the last extent), or null. */
        byte[] fragment;
        /** The length of a fragment already in the packed inode that the last extent is (0 for none). */
        int matchedFragment;
        /** Whether some extent refers to a pcluster shared with other extents. */
        boolean shared;
        /** The earlier fragment the file's tail matched, or null. */
        FragmentTable.Match match;
        /** The whole file is a fragment (new, or {@link #match}). */
        boolean whole;
        /** The last bytes of the segment, kept to look for a matching fragment in file order, or null. */
        byte[] end;

        void append(byte[] src, int off, int len) {
            if (dataLength + len > data.length) {
                data = Arrays.copyOf(data, Math.max(dataLength + len, data.length * 2));
            }
            System.arraycopy(src, off, data, dataLength, len);
            dataLength += len;
        }
    }

    /** The extent returned by {@link #encodeOne} when the input needs more bytes. */
    private static final int NEED_MORE = -1;
    /** Returned by {@link #encodeOne} when the matched fragment is to be reconsidered with the bytes before. */
    private static final int REFIT = -2;

    private final DestSizeCompressor compressor;
    private final int blockSize;
    private final int pclusterSize;
    private final boolean interlaced;
    private final ZDedupe dedupe;
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
        this(compressor, blockSize, pclusterSize, maxExtentBytes, false, null);
    }

    /**
     * @param interlaced whether plain pclusters are stored rotated, so that each byte keeps its offset within the
     *     block (mkfs.erofs does so with fragments and without dedupe)
     * @param dedupe the table of extents to share, or null
     */
    ZSegmentEncoder(DestSizeCompressor compressor, int blockSize, int pclusterSize, long maxExtentBytes,
            boolean interlaced, ZDedupe dedupe) {
        this.interlaced = interlaced;
        this.dedupe = dedupe;
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
        return encode(src, off, len, Tail.of(lastSegment, ztailpacking), null);
    }

    // Per-segment state.
    private int pcluster;
    private int matched;
    private boolean refit;
    private boolean fragmentEmitted;
    private int windowTail;
    private Place place;
    /** Where the segment starts in the input array. */
    private int segmentStart;

    /**
     * Encodes {@code len} bytes of {@code src} from {@code off}: one segment of a file.
     *
     * @param place where the input comes from and the output goes, when a dedupe table is used
     */
    Segment encode(byte[] src, int off, int len, Tail t, Place place) {
        Segment seg = new Segment();
        this.place = place;
        segmentStart = off;
        pcluster = pclusterSize;
        matched = t.last() && t.fragments() ? t.matched() : 0;
        refit = false;
        fragmentEmitted = false;
        long remaining = len - matched;
        int base = off; // input position of window position 0
        int head = 0;
        int tail = 0;
        clusterOfs = 0;
        lastIn = 0;
        lastOut = 0;
        // The extent last made, which the next shared extent may shorten; a zero-length one at the start.
        Extent pivot = dedupe != null ? new Extent(0, 0, false, false) : null;
        boolean done = false;
        while (remaining > 0 && !done) {
            int rx = (int) Math.min(remaining, WINDOW_SIZE - tail);
            remaining -= rx;
            tail += rx;
            windowTail = tail;
            while (tail > head) {
                if (pivot != null) {
                    int before = head;
                    head = share(seg, src, base, head, tail, pivot, remaining == 0);
                    pivot = null;
                    if (head != before && remaining > 0 && head >= WINDOW_KEEP) {
                        int drop = head - head % blockSize;
                        base += drop;
                        tail -= drop;
                        head -= drop;
                        windowTail = tail;
                        pivot = seg.extents.get(seg.extents.size() - 1);
                        break;
                    }
                    if (tail <= head) {
                        break;
                    }
                }
                boolean fin = remaining == 0;
                int used = encodeOne(seg, src, base + head, tail - head, fin, t);
                if (used == NEED_MORE) {
                    break;
                }
                if (used == REFIT) {
                    refit = true;
                    remaining += matched;
                    break;
                }
                head += used;
                clusterOfs = (clusterOfs + used) & (blockSize - 1);
                if (dedupe != null) {
                    pivot = seg.extents.get(seg.extents.size() - 1);
                }
                if (refit && !fragmentEmitted) {
                    long rest = remaining + tail - head;
                    if (matched < rest) {
                        pcluster = (int) Math.min(pclusterSize, roundUp((int) Math.min(rest - matched, pclusterSize), blockSize));
                    } else {
                        // The pcluster took all the bytes before the matched fragment and some of it: the rest
                        // of the file is a shorter suffix of that fragment.
                        matched = (int) rest;
                        done = true;
                        break;
                    }
                }
                if (remaining > 0 && head >= WINDOW_KEEP) {
                    int drop = head - head % blockSize;
                    base += drop;
                    tail -= drop;
                    head -= drop;
                    windowTail = tail;
                    break;
                }
            }
        }
        if (matched > 0 && !fragmentEmitted) {
            seg.extents.add(Extent.fragment(matched));
            seg.matchedFragment = matched;
        }
        this.place = null;
        return seg;
    }

    /**
     * Replaces input from {@code head} on by extents that share pclusters already written, for as long as the dedupe
     * table has them, the first possibly starting inside {@code pivot} (the last extent made, which is shortened).
     * Returns the new head.
     */
    private int share(Segment seg, byte[] src, int base, int head, int tail, Extent pivot, boolean fin) {
        int mask = blockSize - 1;
        Extent ei = pivot;
        int co = (clusterOfs - ei.length) & mask; // where the pivot starts in its lcluster
        while (true) {
            int back = ei.length <= blockSize ? 0 : Math.min(head, ei.length - blockSize);
            ZDedupe.Match m = dedupe.match(src, base + head - back, base + head, base + tail);
            if (m == null) {
                break;
            }
            int delta = base + head - m.at();
            if (m.plen() > blockSize && ((co + ei.length - delta) & mask) + m.length() < 2 * blockSize) {
                break;
            }
            if (delta > 0) {
                if (ei.plen > blockSize && co + ei.length - delta < 2 * blockSize) {
                    break;
                }
                ei = new Extent(ei.length - delta, ei.plen, ei.raw, ei.inlined, ei.fragment, true, ei.ref);
                seg.extents.set(seg.extents.size() - 1, ei);
            }
            seg.shared = true;
            co = (co + ei.length) & mask;
            ei = new Extent(m.length(), m.plen(), m.raw(), false, false, m.partial(), m.spoolOffset());
            seg.extents.add(ei);
            head += m.length() - delta;
            clusterOfs = (co + ei.length) & mask;
            if (!fin && head >= WINDOW_KEEP || tail <= head) {
                break;
            }
        }
        return head;
    }

    /**
     * Encodes one extent (or a run of plain blocks) from {@code src[at, at+len)}; {@link #NEED_MORE} when more input
     * is needed, {@link #REFIT} when the matched fragment is to be reconsidered.
     */
    private int encodeOne(Segment seg, byte[] src, int at, int len, boolean fin, Tail t) {
        boolean mayPack = t.fragments() && t.last() && fin;
        boolean mayInline = t.ztailpacking() && t.last() && fin && !mayPack;
        int length;
        if (len <= pcluster) {
            if (!fin || len == 0) {
                return NEED_MORE;
            }
            if (mayPack && matched > 0 && !refit) {
                pcluster = roundUp(len, blockSize);
                return REFIT;
            }
            if (mayPack) {
                return pack(seg, src, at, len);
            }
            if (!mayInline && len <= blockSize) {
                return storeRaw(seg, src, at, len, len);
            }
        }
        length = (int) Math.min(len, maxExtentBytes);
        int compressed = fill(src, at, length, dst, pcluster);
        int rounded = -1;
        if (compressed > 0) {
            length = consumed[0];
            rounded = mayInline && length == len && compressed < blockSize ? compressed
                    : roundUp(compressed, blockSize);
        }
        if (compressed <= 0 || rounded >= length) {
            // Not with interlaced plain pclusters: the kernel reads an inline plain tail rotated too, which its
            // few bytes cannot be (mkfs.erofs stores it so, and the kernel then shows wrong bytes).
            if (mayInline && len < blockSize && !interlaced) {
                seg.inline = Arrays.copyOfRange(src, at, at + len);
                seg.inlineRaw = true;
                seg.extents.add(new Extent(len, blockSize, true, true));
                return len;
            }
            return storeRaw(seg, src, at, len, Math.min(length, pcluster));
        }
        if (mayPack && length == len && compressed < pcluster && (matched == 0 || refit)) {
            return pack(seg, src, at, len);
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
        if (mayPack && length == len && compressed % blockSize != 0 && windowTail < WINDOW_SIZE) {
            // Only with a matched fragment (else it would have been packed above): try a smaller pcluster that
            // takes the rest and some of the matched bytes.
            pcluster = roundUp(compressed, blockSize);
            return REFIT;
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
        long spoolAt = seg.dataLength;
        // 0-padding: the compressed bytes end the pcluster, zeros before them.
        Arrays.fill(block, 0, plen - compressed, (byte) 0);
        seg.append(block, 0, plen - compressed);
        seg.append(dst, 0, compressed);
        seg.extents.add(new Extent(length, plen, false, false));
        remember(src, at, length, plen, false, spoolAt);
        return length;
    }

    /** The rest of the file, {@code src[at, at+len)}, becomes a new fragment. */
    private int pack(Segment seg, byte[] src, int at, int len) {
        seg.fragment = Arrays.copyOfRange(src, at, at + len);
        seg.extents.add(Extent.fragment(len));
        fragmentEmitted = true;
        return len;
    }

    /** Stores input uncompressed: one block with a dedupe table (as mkfs.erofs), else {@link #storePlain}. */
    private int storeRaw(Segment seg, byte[] src, int at, int len, int wanted) {
        if (dedupe == null) {
            return storePlain(seg, src, at, len, wanted);
        }
        int count = Math.min(blockSize, len);
        long spoolAt = seg.dataLength;
        seg.append(src, at, count);
        Arrays.fill(block, 0, blockSize - count, (byte) 0);
        seg.append(block, 0, blockSize - count);
        seg.extents.add(new Extent(count, blockSize, true, false));
        remember(src, at, count, blockSize, true, spoolAt);
        return count;
    }

    /** Enters a pcluster just written into the dedupe table. */
    private void remember(byte[] src, int at, int length, int plen, boolean raw, long segmentOffset) {
        if (dedupe != null && place != null) {
            dedupe.insert(src, at, length, place.content(), place.fileOffset() + (at - segmentStart), plen, raw,
                    place.spoolBase() + segmentOffset);
        }
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
            if (interlaced && clusterOfs != 0) {
                // Byte j of the extent at block offset (clusterOfs + j) mod blockSize.
                Arrays.fill(block, (byte) 0);
                int right = Math.min(blockSize - clusterOfs, count);
                System.arraycopy(src, at + used, block, clusterOfs, right);
                System.arraycopy(src, at + used + right, block, 0, count - right);
                seg.append(block, 0, blockSize);
            } else {
                seg.append(src, at + used, count);
                if (count < blockSize) {
                    Arrays.fill(block, 0, blockSize - count, (byte) 0);
                    seg.append(block, 0, blockSize - count);
                }
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
