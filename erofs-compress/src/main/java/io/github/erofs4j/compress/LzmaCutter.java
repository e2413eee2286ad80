package io.github.erofs4j.compress;

import java.util.Arrays;

/**
 * Cuts a raw LZMA1 stream to a size: decodes the stream symbol by symbol and encodes each symbol again, with the
 * same adaptive model, into the destination, stopping before the first symbol whose stream, once flushed, would no
 * longer fit. The result is a complete raw LZMA1 stream (no end marker) of a prefix of the original's input, the
 * longest one that ends on a symbol boundary within the capacity.
 *
 * <p>Both coders share one set of probabilities: each bit is decoded with a probability and encoded with that same
 * probability before it adapts, so the stream re-encoded is byte for byte the original up to the cut. The original's
 * input is at hand, so the decoder keeps no dictionary: literal contexts and match bytes come from the input, and
 * each decoded literal is checked against it.
 *
 * <p>Written from the LZMA format (the model of LZMA SDK's specification). Not thread-safe; reusable.
 */
final class LzmaCutter {
    /** Bytes a flushed stream holds beyond the bytes the encoder has already shifted out or keeps pending. */
    static final int FLUSH_BYTES = 4;
    /** The length of a stream of no symbols. */
    static final int EMPTY_STREAM = 5;

    private static final int STATES = 12;
    private static final int POS_STATES_MAX = 16;
    private static final int LITERAL_STATES = 7;
    private static final int DIST_SLOT_BITS = 6;
    private static final int DIST_MODEL_END = 14;
    private static final int FULL_DISTANCES = 128;
    private static final int ALIGN_BITS = 4;
    private static final int LITERAL_CODER_SIZE = 0x300;
    private static final int LEN_LOW = 2;
    private static final int LEN_MID = LEN_LOW + POS_STATES_MAX * 8;
    private static final int LEN_HIGH = LEN_MID + POS_STATES_MAX * 8;
    private static final int LEN_PROBS = LEN_HIGH + 256;
    private static final int TOP = 1 << 24;
    private static final int PROB_BITS = 11;
    private static final int MOVE_BITS = 5;
    private static final short PROB_INIT = 1 << (PROB_BITS - 1);

    private final short[] isMatch = new short[STATES * POS_STATES_MAX];
    private final short[] isRep = new short[STATES];
    private final short[] isRepG0 = new short[STATES];
    private final short[] isRepG1 = new short[STATES];
    private final short[] isRepG2 = new short[STATES];
    private final short[] isRep0Long = new short[STATES * POS_STATES_MAX];
    private final short[] distSlot = new short[4 << DIST_SLOT_BITS];
    private final short[] distSpecial = new short[FULL_DISTANCES - DIST_MODEL_END];
    private final short[] align = new short[1 << ALIGN_BITS];
    private final short[] matchLen = new short[LEN_PROBS];
    private final short[] repLen = new short[LEN_PROBS];
    private short[] literal = new short[0];

    // Decoder.
    private byte[] in;
    private int inPos;
    private int inEnd;
    private int dRange;
    private int dCode;

    // Encoder.
    private byte[] out;
    private int outOff;
    private int outCap;
    private int outPos;
    private long low;
    private int eRange;
    private int cache;
    private long cacheSize;

    /**
     * Re-encodes the stream {@code stream[0, streamLen)} (a raw LZMA1 stream as a range coder writes it, first byte
     * 0, of the input {@code src[srcOff, srcOff + total)}) into {@code dst[dstOff, dstOff + capacity)}, up to the last
     * symbol that fits.
     *
     * @param capacity at least {@link #EMPTY_STREAM}
     * @param consumed receives, in element 0, how many input bytes the stream written encodes
     * @return the length of the stream written
     * @throws IllegalStateException if the stream does not decode to that input (an encoder fault)
     */
    int cut(byte[] stream, int streamLen, int lc, int lp, int pb, byte[] src, int srcOff, int total, byte[] dst,
            int dstOff, int capacity, int[] consumed) {
        if (streamLen < EMPTY_STREAM || stream[0] != 0) {
            throw new IllegalStateException("not a raw LZMA stream");
        }
        reset(lc + lp);
        in = stream;
        inEnd = streamLen;
        dCode = ((stream[1] & 0xFF) << 24) | ((stream[2] & 0xFF) << 16) | ((stream[3] & 0xFF) << 8)
                | (stream[4] & 0xFF);
        inPos = EMPTY_STREAM;
        dRange = -1;
        out = dst;
        outOff = dstOff;
        outCap = capacity;
        outPos = 0;
        low = 0;
        eRange = -1;
        cache = 0;
        cacheSize = 1;

        int pbMask = (1 << pb) - 1;
        int lpMask = (1 << lp) - 1;
        int state = 0;
        int rep0 = 0;
        int rep1 = 0;
        int rep2 = 0;
        int rep3 = 0;
        int pos = 0;
        while (pos < total) {
            long savedLow = low;
            int savedRange = eRange;
            int savedCache = cache;
            long savedCacheSize = cacheSize;
            int savedOut = outPos;
            int posState = pos & pbMask;
            int len;
            boolean literalSymbol = bit(isMatch, (state << 4) + posState) == 0;
            if (literalSymbol) {
                int prev = pos > 0 ? src[srcOff + pos - 1] & 0xFF : 0;
                int base = (((pos & lpMask) << lc) + (prev >>> (8 - lc))) * LITERAL_CODER_SIZE;
                int sym = 1;
                if (state < LITERAL_STATES) {
                    while (sym < 0x100) {
                        sym = (sym << 1) | bit(literal, base + sym);
                    }
                } else {
                    if (rep0 >= pos) {
                        throw new IllegalStateException("LZMA distance beyond the start at " + pos);
                    }
                    int matchByte = src[srcOff + pos - rep0 - 1] & 0xFF;
                    do {
                        int matchBit = (matchByte >>> 7) & 1;
                        matchByte <<= 1;
                        int b = bit(literal, base + 0x100 + (matchBit << 8) + sym);
                        sym = (sym << 1) | b;
                        if (b != matchBit) {
                            while (sym < 0x100) {
                                sym = (sym << 1) | bit(literal, base + sym);
                            }
                            break;
                        }
                    } while (sym < 0x100);
                }
                if ((byte) sym != src[srcOff + pos]) {
                    throw new IllegalStateException("LZMA literal differs from the input at " + pos);
                }
                state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
                len = 1;
            } else if (bit(isRep, state) == 0) {
                len = length(matchLen, posState);
                state = state < LITERAL_STATES ? 7 : 10;
                rep3 = rep2;
                rep2 = rep1;
                rep1 = rep0;
                rep0 = distance(len);
            } else {
                if (bit(isRepG0, state) == 0) {
                    if (bit(isRep0Long, (state << 4) + posState) == 0) {
                        state = state < LITERAL_STATES ? 9 : 11;
                        len = 1;
                    } else {
                        len = 0;
                    }
                } else {
                    int dist;
                    if (bit(isRepG1, state) == 0) {
                        dist = rep1;
                    } else {
                        if (bit(isRepG2, state) == 0) {
                            dist = rep2;
                        } else {
                            dist = rep3;
                            rep3 = rep2;
                        }
                        rep2 = rep1;
                    }
                    rep1 = rep0;
                    rep0 = dist;
                    len = 0;
                }
                if (len == 0) {
                    len = length(repLen, posState);
                    state = state < LITERAL_STATES ? 8 : 11;
                }
            }
            if (len > total - pos || (!literalSymbol && rep0 >= pos)) {
                throw new IllegalStateException("LZMA match out of range at " + pos);
            }
            if (outPos + cacheSize + FLUSH_BYTES > capacity) {
                low = savedLow;
                eRange = savedRange;
                cache = savedCache;
                cacheSize = savedCacheSize;
                outPos = savedOut;
                break;
            }
            pos += len;
        }
        for (int i = 0; i < EMPTY_STREAM; i++) {
            shiftLow();
        }
        consumed[0] = pos;
        in = null;
        out = null;
        return outPos;
    }

    private void reset(int contextBits) {
        int size = LITERAL_CODER_SIZE << contextBits;
        if (literal.length != size) {
            literal = new short[size];
        }
        for (short[] p : new short[][] {isMatch, isRep, isRepG0, isRepG1, isRepG2, isRep0Long, distSlot, distSpecial,
                align, matchLen, repLen, literal}) {
            Arrays.fill(p, PROB_INIT);
        }
    }

    private int length(short[] probs, int posState) {
        if (bit(probs, 0) == 0) {
            return 2 + tree(probs, LEN_LOW + (posState << 3), 3);
        }
        if (bit(probs, 1) == 0) {
            return 10 + tree(probs, LEN_MID + (posState << 3), 3);
        }
        return 18 + tree(probs, LEN_HIGH, 8);
    }

    private int distance(int len) {
        int slot = tree(distSlot, Math.min(len - 2, 3) << DIST_SLOT_BITS, DIST_SLOT_BITS);
        if (slot < 4) {
            return slot;
        }
        int n = (slot >>> 1) - 1;
        int dist = (2 | (slot & 1)) << n;
        if (slot < DIST_MODEL_END) {
            return dist + reverseTree(distSpecial, dist - slot - 1, n);
        }
        dist += directBits(n - ALIGN_BITS) << ALIGN_BITS;
        return dist + reverseTree(align, 0, ALIGN_BITS);
    }

    private int tree(short[] probs, int base, int bits) {
        int m = 1;
        for (int i = 0; i < bits; i++) {
            m = (m << 1) | bit(probs, base + m);
        }
        return m - (1 << bits);
    }

    private int reverseTree(short[] probs, int base, int bits) {
        int m = 1;
        int r = 0;
        for (int i = 0; i < bits; i++) {
            int b = bit(probs, base + m);
            m = (m << 1) | b;
            r |= b << i;
        }
        return r;
    }

    /** Decodes one bit with {@code probs[i]}, encodes it with the same probability, then adapts it. */
    private int bit(short[] probs, int i) {
        int p = probs[i];
        if (Integer.compareUnsigned(dRange, TOP) < 0) {
            dRange <<= 8;
            dCode = (dCode << 8) | nextByte();
        }
        int bound = (dRange >>> PROB_BITS) * p;
        int eBound = (eRange >>> PROB_BITS) * p;
        int b;
        if (Integer.compareUnsigned(dCode, bound) < 0) {
            dRange = bound;
            eRange = eBound;
            probs[i] = (short) (p + (((1 << PROB_BITS) - p) >>> MOVE_BITS));
            b = 0;
        } else {
            dCode -= bound;
            dRange -= bound;
            low += eBound & 0xFFFFFFFFL;
            eRange -= eBound;
            probs[i] = (short) (p - (p >>> MOVE_BITS));
            b = 1;
        }
        normalize();
        return b;
    }

    private int directBits(int count) {
        int r = 0;
        for (int i = 0; i < count; i++) {
            if (Integer.compareUnsigned(dRange, TOP) < 0) {
                dRange <<= 8;
                dCode = (dCode << 8) | nextByte();
            }
            dRange >>>= 1;
            eRange >>>= 1;
            int b = 0;
            if (Integer.compareUnsigned(dCode, dRange) >= 0) {
                dCode -= dRange;
                low += eRange & 0xFFFFFFFFL;
                b = 1;
            }
            normalize();
            r = (r << 1) | b;
        }
        return r;
    }

    private int nextByte() {
        if (inPos >= inEnd) {
            throw new IllegalStateException("LZMA stream ends early");
        }
        return in[inPos++] & 0xFF;
    }

    private void normalize() {
        if ((eRange & 0xFF000000) == 0) {
            eRange <<= 8;
            shiftLow();
        }
    }

    private void shiftLow() {
        int carry = (int) (low >>> 32);
        if (carry != 0 || low < 0xFF000000L) {
            int b = cache;
            do {
                put(b + carry);
                b = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) (low >>> 24) & 0xFF;
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    /** Stores a byte; past the capacity it is only counted (the symbol that wrote it is then taken back). */
    private void put(int b) {
        if (outPos < outCap) {
            out[outOff + outPos] = (byte) b;
        }
        outPos++;
    }
}
