package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What erofs4j's LZ4 encoders share: the block format's constants and end-of-block rules, little-endian word
 * reads, match length counting, and the writing of sequences and of the final literal run.
 *
 * <p>An LZ4 block is a series of sequences (token, literal run, 16-bit offset, match) ending in a run of literals
 * only. Decoders may copy in words, so the format asks that the last 5 bytes of a block be literals and that the
 * last match start at least 12 bytes before the end; every block written here keeps both rules, also when the
 * destination fills up and the block ends early.
 *
 * <p>Not thread-safe: subclasses keep working tables per instance.
 */
abstract class Lz4Encoder implements Compressor {
    static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final int MIN_MATCH = 4;
    /** Bytes at the end of a block that are always literals. */
    static final int LAST_LITERALS = 5;
    /** The last match starts at least this many bytes before the end of the block. */
    static final int MF_LIMIT = 12;
    /** Inputs shorter than this are stored as literals (a match needs MF_LIMIT bytes after its start). */
    static final int MIN_INPUT = MF_LIMIT + 1;
    static final int RUN_MASK = 15;
    static final int ML_MASK = 15;
    /** The largest distance an LZ4 offset can express. */
    static final int MAX_DISTANCE = 65535;

    /** The most input one call looks at. */
    static final int MAX_INPUT = 1 << 28;

    /** The largest match offset this instance writes. */
    final int window;

    Lz4Encoder(int window) {
        if (window < 0 || window > MAX_DISTANCE) {
            throw new IllegalArgumentException("lz4 window must be at most " + MAX_DISTANCE + " bytes: " + window);
        }
        this.window = window == 0 ? MAX_DISTANCE : window;
    }

    @Override
    public int windowSize() {
        return window;
    }

    @Override
    public final int algorithmId() {
        return Erofs.ALG_LZ4;
    }

    @Override
    public final int maxCompressedLength(int srcLen) {
        if (srcLen < 0 || srcLen > 0x7E000000) {
            throw new IllegalArgumentException("input length out of range: " + srcLen);
        }
        return srcLen + srcLen / 255 + 16;
    }

    @Override
    public final int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity) {
        int[] consumed = new int[1];
        int n = compressDestSize(src, srcOff, srcLen, dst, dstOff, dstCapacity, consumed);
        return consumed[0] == srcLen && n > 0 ? n : -1;
    }

    @Override
    public final int compressDestSize(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, dstCapacity, dst.length);
        Objects.checkIndex(0, srcConsumed.length);
        if (dstCapacity == 0) {
            srcConsumed[0] = 0;
            return 0;
        }
        // Longer inputs are encoded in part (the stream says how much): positions stay far from int overflow.
        return encode(src, srcOff, Math.min(srcLen, MAX_INPUT), dst, dstOff, dstCapacity, srcConsumed);
    }

    /** {@link #compressDestSize} with checked ranges and a capacity of at least one byte. */
    abstract int encode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity,
            int[] srcConsumed);

    static short readShort(byte[] b, int i) {
        return (short) SHORTS.get(b, i);
    }

    static int readInt(byte[] b, int i) {
        return (int) INTS.get(b, i);
    }

    static long readLong(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /**
     * How many bytes from {@code a} equal those from {@code b}, with {@code b < a}, counting no further than
     * {@code limit} (exclusive) for {@code a}.
     */
    static int count(byte[] s, int a, int b, int limit) {
        final int start = a;
        while (a <= limit - 8) {
            long diff = readLong(s, a) ^ readLong(s, b);
            if (diff != 0) {
                return a - start + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            a += 8;
            b += 8;
        }
        while (a < limit && s[a] == s[b]) {
            a++;
            b++;
        }
        return a - start;
    }

    /** The number of bytes a literal run of this length takes, with its length bytes but without the token. */
    static int literalCost(int len) {
        return len >= RUN_MASK ? len + 1 + (len - RUN_MASK) / 255 : len;
    }

    /**
     * Writes the extra length bytes of a run of {@code len} (literals or match remainder) whose token field is
     * full, that is {@code len >= 15}, minus the 15 in the token; returns the new output position.
     */
    static int writeLengthBytes(byte[] dst, int op, int rest) {
        if (rest >= 255) {
            // Long runs (zeros) have long lengths: fill rather than loop.
            int n = rest / 255;
            java.util.Arrays.fill(dst, op, op + n, (byte) 255);
            op += n;
            rest -= n * 255;
        }
        dst[op++] = (byte) rest;
        return op;
    }

    /**
     * Writes one sequence (literals {@code src[anchor, ip)} then a match of {@code matchLen} bytes at {@code
     * offset}) at {@code op}; returns the new output position. The caller has checked it fits.
     */
    static int writeSequence(byte[] src, int anchor, int ip, int matchLen, int offset, byte[] dst, int op) {
        int lit = ip - anchor;
        int token = op++;
        int ml = matchLen - MIN_MATCH;
        int t = ml >= ML_MASK ? ML_MASK : ml;
        if (lit >= RUN_MASK) {
            dst[token] = (byte) (RUN_MASK << 4 | t);
            op = writeLengthBytes(dst, op, lit - RUN_MASK);
        } else {
            dst[token] = (byte) (lit << 4 | t);
        }
        System.arraycopy(src, anchor, dst, op, lit);
        op += lit;
        dst[op] = (byte) offset;
        dst[op + 1] = (byte) (offset >>> 8);
        op += 2;
        if (ml >= ML_MASK) {
            op = writeLengthBytes(dst, op, ml - ML_MASK);
        }
        return op;
    }

    /**
     * Writes the final literal run, {@code src[anchor, anchor + n)}, where {@code n} is {@code available} or,
     * when that does not fit before {@code oend}, the most that does. Stores the end of the consumed input in
     * {@code consumed[0]} (relative to {@code srcOff}) and returns the output position after the block.
     */
    static int writeLastLiterals(byte[] src, int srcOff, int anchor, int available, byte[] dst, int op, int oend,
            int[] consumed) {
        int n = available;
        if (op + 1 + literalCost(n) > oend) {
            // The most literals whose token, length bytes and bytes fit in the space left.
            n = oend - op - 1;
            n -= (n + 256 - RUN_MASK) / 256;
        }
        if (n >= RUN_MASK) {
            dst[op++] = (byte) (RUN_MASK << 4);
            op = writeLengthBytes(dst, op, n - RUN_MASK);
        } else {
            dst[op++] = (byte) (n << 4);
        }
        System.arraycopy(src, anchor, dst, op, n);
        consumed[0] = anchor + n - srcOff;
        return op + n;
    }
}
