package io.github.erofs4j.compress;

/**
 * erofs4j's fast LZ4 encoder: one hash table of recent positions, a greedy parse that takes the first match it
 * finds, and a search that strides further ahead the longer it goes without a match (incompressible data is
 * passed over quickly). It makes the same choices as liblz4's default mode (acceleration 1, as mkfs.erofs's
 * {@code -zlz4} uses it), so its output sizes track liblz4's closely: inputs shorter than 64 KiB + 11 bytes use a
 * table of 8192 entries keyed by 4 bytes, longer ones 4096 entries keyed by 5 bytes.
 *
 * <p>When the destination fills up the block ends early: a sequence whose literals no longer fit (with room for
 * the end-of-block rules) is dropped, a match that does not fit is shortened, and the rest of the space takes
 * as many literals as fit.
 *
 * <p>Not thread-safe: the hash table is reused from call to call. A table entry is a position plus the call's
 * base; entries from earlier calls fall below the base and read as position 0, as in a cleared table.
 */
final class Lz4FastEncoder extends Lz4Encoder {
    /** Inputs shorter than this index positions in 16 bits in liblz4 and use the larger, 4-byte-keyed table. */
    private static final int SMALL_INPUT = 65536 + MF_LIMIT - 1;
    private static final int SKIP_TRIGGER = 6;
    private static final int SMALL_HASH_LOG = 13;
    private static final int LARGE_HASH_LOG = 12;

    private final int[] table = new int[1 << SMALL_HASH_LOG];
    /** Added to every position stored in {@link #table}; grows by each input's length. */
    private int base;

    Lz4FastEncoder(int window) {
        super(window);
    }

    @Override
    public String name() {
        return "lz4";
    }

    @Override
    public int level() {
        return 1;
    }

    /**
     * Both of liblz4's hashes as one expression, so that the loops do not branch on the table kind: a 4-byte key
     * is the word's low 4 bytes times 2654435761 (top 13 of 32 bits), a 5-byte key its low 5 bytes times
     * 889523592379 (top 12 of 64 bits). Shifting the key to the top of a long and multiplying there gives both.
     */
    private static int hash(byte[] src, int p, int keyShift, long prime, int hashShift) {
        return (int) (((readLong(src, p) << keyShift) * prime) >>> hashShift);
    }

    @Override
    int encode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstCapacity, int[] consumed) {
        if (base > Integer.MAX_VALUE - srcLen - 1) {
            java.util.Arrays.fill(table, 0);
            base = 0;
        }
        final int b = base + 1;
        base = b + srcLen;
        final boolean small = srcLen < SMALL_INPUT;
        final int ks = small ? 32 : 24;
        final long pr = small ? 2654435761L : 889523592379L;
        final int hs = small ? 64 - SMALL_HASH_LOG : 64 - LARGE_HASH_LOG;
        final int[] t = table;
        final int iend = srcOff + srcLen;
        final int oend = dstOff + dstCapacity;
        int op = dstOff;
        int anchor = srcOff;
        if (srcLen < MIN_INPUT) {
            op = writeLastLiterals(src, srcOff, anchor, srcLen, dst, op, oend, consumed);
            return op - dstOff;
        }
        // Positions stored are relative to b; a stale entry (below b) stands for position 0 of this input.
        final int lastStart = iend - MF_LIMIT;          // the last position a match may start at
        final int matchLimit = iend - LAST_LITERALS;    // matches end here at the latest
        final int win = window;
        int ip = srcOff;
        t[hash(src, ip, ks, pr, hs)] = b + ip - srcOff;
        ip++;
        int forwardHash = hash(src, ip, ks, pr, hs);
        outer:
        while (true) {
            int match;
            // Search for a match, striding further the longer none is found.
            {
                int forward = ip;
                int step = 1;
                int attempts = 1 << SKIP_TRIGGER;
                while (true) {
                    int h = forwardHash;
                    ip = forward;
                    forward += step;
                    step = attempts++ >>> SKIP_TRIGGER;
                    if (forward > lastStart + 1) {
                        break outer;
                    }
                    int stored = t[h] - b;
                    match = srcOff + (stored < 0 ? 0 : stored);
                    forwardHash = hash(src, forward, ks, pr, hs);
                    t[h] = b + ip - srcOff;
                    if (ip - match <= win && match < ip && readInt(src, match) == readInt(src, ip)) {
                        break;
                    }
                }
            }
            // Extend the match backwards over pending literals.
            while (ip > anchor && match > srcOff && src[ip - 1] == src[match - 1]) {
                ip--;
                match--;
            }
            int lit = ip - anchor;
            // Room for the literals, an offset, and the shortest tail that keeps the last match 12 bytes from the end.
            if (op + 1 + (lit + 240) / 255 + lit + 2 + 1 + MF_LIMIT - MIN_MATCH > oend) {
                break;
            }
            int token = op++;
            if (lit >= RUN_MASK) {
                dst[token] = (byte) (RUN_MASK << 4);
                op = writeLengthBytes(dst, op, lit - RUN_MASK);
            } else {
                dst[token] = (byte) (lit << 4);
            }
            System.arraycopy(src, anchor, dst, op, lit);
            op += lit;
            while (true) {
                // A match (possibly right after the previous one, with no literals).
                if (op + 2 + 1 + MF_LIMIT - MIN_MATCH > oend) {
                    op = token;
                    break outer;
                }
                int offset = ip - match;
                dst[op] = (byte) offset;
                dst[op + 1] = (byte) (offset >>> 8);
                op += 2;
                int extra = count(src, ip + MIN_MATCH, match + MIN_MATCH, matchLimit);
                ip += extra + MIN_MATCH;
                if (op + 1 + LAST_LITERALS + (extra + 240) / 255 > oend) {
                    // Too long to describe in the space left: keep what fits, leaving room for the last literals.
                    int fits = ML_MASK - 1 + (oend - op - 1 - LAST_LITERALS) * 255;
                    ip -= extra - fits;
                    extra = fits;
                }
                if (extra >= ML_MASK) {
                    dst[token] = (byte) (dst[token] | ML_MASK);
                    op = writeLengthBytes(dst, op, extra - ML_MASK);
                } else {
                    dst[token] = (byte) (dst[token] | extra);
                }
                anchor = ip;
                if (ip > lastStart) {
                    break outer;
                }
                t[hash(src, ip - 2, ks, pr, hs)] = b + ip - 2 - srcOff;
                int h = hash(src, ip, ks, pr, hs);
                int stored = t[h] - b;
                match = srcOff + (stored < 0 ? 0 : stored);
                t[h] = b + ip - srcOff;
                if (ip - match <= win && match < ip && readInt(src, match) == readInt(src, ip)) {
                    token = op++;
                    dst[token] = 0;
                    continue;
                }
                break;
            }
            forwardHash = hash(src, ++ip, ks, pr, hs);
        }
        op = writeLastLiterals(src, srcOff, anchor, iend - anchor, dst, op, oend, consumed);
        return op - dstOff;
    }
}
