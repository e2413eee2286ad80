package io.github.erofs4j.compress;

import io.github.erofs4j.core.spi.Compressor;
import java.util.Objects;

/**
 * A {@link Compressor} built on an encoder that can only compress a whole input (zstd, zlib): it fills a
 * destination by compressing trial prefixes of the input.
 *
 * <p>A compressed size grows nearly in proportion to the input over the few kilobytes a trial moves, so each trial
 * after the first aims at the capacity, rather than halving an interval: by scaling its length with the ratio it just
 * saw while only one end of the interval is known, by interpolating between the two ends once both are. The first
 * trial starts from the caller's guess (the ratio of the previous pcluster of the same data, which is usually right
 * within a few percent), so that a pcluster typically takes two to four compressions. The
 * search stops once a stream fills the capacity to within {@link #slack(int)} bytes, or when the longest prefix
 * that fits is pinned down to the byte; after a few aimed trials it halves the interval, so that data whose ratio
 * changes abruptly still gets the prefix a binary search finds.
 *
 * <p>Not thread-safe: subclasses keep a native or Java encoder per instance.
 */
abstract class TrialFitEncoder implements Compressor {
    /** The ratio assumed for the first trial when the caller has no guess. */
    private static final int FIRST_GUESS_RATIO = 3;
    /** Trials aimed by the ratio before the search falls back to halving the interval. */
    private static final int AIMED_TRIALS = 6;

    private final String name;
    private final int algorithmId;
    private final int level;
    private byte[] best = new byte[0];
    private byte[] trial = new byte[0];

    TrialFitEncoder(String name, int algorithmId, int level) {
        this.name = name;
        this.algorithmId = algorithmId;
        this.level = level;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int algorithmId() {
        return algorithmId;
    }

    @Override
    public final int level() {
        return level;
    }

    /**
     * Compresses all of {@code src[off, off+len)} as one stream into {@code out} from 0, whose length is at least
     * {@link #maxCompressedLength(int) maxCompressedLength(len)}, and returns the stream's length.
     */
    abstract int encode(byte[] src, int off, int len, byte[] out);

    /**
     * How many bytes short of the capacity a stream may end for the search to stop there. The bytes left are lost
     * to the pcluster's zero padding, so this trades image size for trials.
     */
    int slack(int capacity) {
        return Math.max(2, capacity >>> 9);
    }

    @Override
    public int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed) {
        return compressDestSize(src, srcOff, srcLen, dst, dstOff, dstCapacity, srcConsumed, 0);
    }

    @Override
    public int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed, int expectedConsumed) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstCapacity, dst.length);
        Objects.checkIndex(0, srcConsumed.length);
        srcConsumed[0] = 0;
        if (dstCapacity == 0) {
            return 0;
        }
        int slack = Math.min(slack(dstCapacity), dstCapacity - 1);
        int aim = dstCapacity - slack / 2;
        long guess = expectedConsumed > 0 ? expectedConsumed : (long) dstCapacity * FIRST_GUESS_RATIO;
        int m = (int) Math.min(srcLen, guess);
        int lo = 0; // longest prefix known to fit
        int loSize = -1; // its stream's length, -1 when none fits yet
        long hi = (long) srcLen + 1; // shortest prefix known not to fit
        long hiSize = -1; // its stream's length, -1 when none is known
        for (int trials = 0;; trials++) {
            m = (int) Math.max(lo + 1L, Math.min(hi - 1, m));
            if (srcLen == 0) {
                m = 0;
            }
            int c = encodeTrial(src, srcOff, m);
            if (c <= dstCapacity) {
                byte[] t = best;
                best = trial;
                trial = t;
                lo = m;
                loSize = c;
                if (m == srcLen || dstCapacity - c <= slack) {
                    break;
                }
            } else {
                hi = m;
                hiSize = c;
            }
            if (hi <= lo + 1) {
                break;
            }
            if (trials >= AIMED_TRIALS) {
                // Data whose ratio changes abruptly within the interval defeats the aim: halve the interval instead,
                // down to the byte, as a plain binary search would.
                m = (int) ((lo + hi) / 2);
            } else if (loSize >= 0 && hiSize >= 0 && hiSize > loSize) {
                // Both ends known: interpolate between them (the stream length is nearly linear in the prefix
                // length between two nearby prefixes, even where it is not proportional to it).
                long next = lo + (hi - lo) * (aim - loSize) / (hiSize - loSize);
                m = (int) Math.max(lo + 1, Math.min(hi - 1, next));
            } else {
                // One end known: scale by the ratio just seen, but always move, and never past the known bounds.
                long next = (long) m * aim / Math.max(1, c);
                m = (int) Math.min(Integer.MAX_VALUE, next == m ? (c <= dstCapacity ? m + 1L : m - 1L) : next);
            }
        }
        if (loSize < 0) {
            return 0; // not even one byte (or an empty stream) fits
        }
        System.arraycopy(best, 0, dst, dstOff, loSize);
        srcConsumed[0] = lo;
        return loSize;
    }

    private int encodeTrial(byte[] src, int off, int len) {
        int need = maxCompressedLength(len);
        if (trial.length < need) {
            trial = new byte[need]; // only the trial buffer: the best holds a stream still wanted
        }
        return encode(src, off, len, trial);
    }

    @Override
    public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstCapacity, dst.length);
        int c = encodeTrial(src, srcOff, srcLen);
        if (c > dstCapacity) {
            return -1;
        }
        System.arraycopy(trial, 0, dst, dstOff, c);
        return c;
    }
}
