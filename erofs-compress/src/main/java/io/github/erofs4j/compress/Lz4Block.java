package io.github.erofs4j.compress;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * erofs4j's own LZ4 block decoder: pure Java, with no {@code Unsafe} and no native code, so every array access is
 * bounds-checked by the JVM on top of the explicit checks below; a damaged block ends in an {@link IOException}.
 * Written from the LZ4 block format description.
 *
 * <p>It moves data in bulk: literal runs and non-overlapping matches with {@link System#arraycopy}, short runs as
 * two 8-byte words (only where both arrays have 16 bytes of room, so nothing is written past the output range),
 * overlapping matches in doubling chunks. lz4-java's safe decoder copies byte by byte; this one decodes the same
 * blocks about twice as fast, and within about 15 % of that speed under C1 alone.
 *
 * <p>Two modes: a whole block, which must end exactly at the end of its input having produced exactly the
 * expected bytes; and a prefix, which stops as soon as the output is full and never looks further (EROFS needs
 * this for the head of a shared pcluster and for blocks followed by zeros instead of 0-padding). Match offsets
 * are checked against the output written so far and against the image's {@code max_distance}.
 */
final class Lz4Block {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes at the end of a block's output that only literals may write (liblz4's LASTLITERALS). */
    private static final int LAST_LITERALS = 5;

    private Lz4Block() {}

    /**
     * Decodes an LZ4 block from {@code src[srcOff, srcOff + srcLen)} into {@code dst[dstOff, dstOff + dstLen)}.
     * The caller has checked both ranges against their arrays.
     *
     * @param window the largest match offset allowed (the image's lz4 {@code max_distance})
     * @param prefix true to stop once {@code dstLen} bytes are out; false when the block must decode to exactly
     *     {@code dstLen} bytes and end with its input
     * @throws IOException when the block is malformed or decodes to a different length
     */
    static void decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, int window,
            boolean prefix) throws IOException {
        if (dstLen == 0) {
            // As liblz4 and lz4-java: the only block that decodes to nothing is the single token 0.
            if (prefix || srcLen == 1 && src[srcOff] == 0) {
                return;
            }
            throw new IOException("lz4 block of " + srcLen + " bytes cannot decode to 0 bytes");
        }
        int ip = srcOff;
        final int iend = srcOff + srcLen;
        int op = dstOff;
        final int oend = dstOff + dstLen;
        while (true) {
            if (ip >= iend) {
                throw new IOException("lz4 block ends after " + (op - dstOff) + " of " + dstLen + " bytes");
            }
            final int token = src[ip++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= iend) {
                        throw new IOException("lz4 literal length runs past the end of the block");
                    }
                    b = src[ip++] & 0xFF;
                    lit += b;
                } while (b == 255 && lit <= srcLen);
            }
            if (lit > iend - ip) {
                throw new IOException("lz4 literals (" + lit + " bytes) run past the end of the block at output byte "
                        + (op - dstOff));
            }
            int room = oend - op;
            if (lit > room) {
                if (!prefix) {
                    throw new IOException("lz4 block decodes to more than the expected " + dstLen + " bytes");
                }
                System.arraycopy(src, ip, dst, op, room);
                return;
            }
            if (lit <= 16 && room >= 16 && iend - ip >= 16) {
                // Two words: the bytes past the run are overwritten by what follows (the output is sequential).
                LONGS.set(dst, op, (long) LONGS.get(src, ip));
                LONGS.set(dst, op + 8, (long) LONGS.get(src, ip + 8));
            } else {
                System.arraycopy(src, ip, dst, op, lit);
            }
            ip += lit;
            op += lit;
            if (ip == iend) {
                // The last sequence has literals only.
                if (op != oend) {
                    throw new IOException("lz4 block decodes to " + (op - dstOff) + " bytes, expected " + dstLen);
                }
                return;
            }
            if (prefix && op == oend) {
                return;
            }
            if (iend - ip < 2) {
                throw new IOException("lz4 match offset runs past the end of the block");
            }
            final int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
            ip += 2;
            if (offset == 0 || offset > op - dstOff || offset > window) {
                throw new IOException("lz4 match offset " + offset + " is invalid at output byte " + (op - dstOff));
            }
            int mlen = token & 15;
            if (mlen == 15) {
                int b;
                do {
                    if (ip >= iend) {
                        throw new IOException("lz4 match length runs past the end of the block");
                    }
                    b = src[ip++] & 0xFF;
                    mlen += b;
                } while (b == 255 && mlen <= dstLen);
            }
            mlen += 4;
            room = oend - op;
            boolean last = false;
            if (mlen > room) {
                if (!prefix) {
                    throw new IOException("lz4 block decodes to more than the expected " + dstLen + " bytes");
                }
                mlen = room;
                last = true;
            }
            final int from = op - offset;
            if (offset >= 8 && mlen <= 16 && room >= 16) {
                // Each word is read after the bytes it covers were written, since offset >= 8.
                LONGS.set(dst, op, (long) LONGS.get(dst, from));
                LONGS.set(dst, op + 8, (long) LONGS.get(dst, from + 8));
            } else if (offset >= mlen) {
                System.arraycopy(dst, from, dst, op, mlen);
            } else if (offset == 1) {
                Arrays.fill(dst, op, op + mlen, dst[from]);
            } else {
                // Overlapping: the pattern repeats every offset bytes; each chunk copies only bytes already out.
                int done = 0;
                while (done < mlen) {
                    int n = Math.min(offset + done, mlen - done);
                    System.arraycopy(dst, from, dst, op + done, n);
                    done += n;
                }
            }
            op += mlen;
            if (last) {
                return;
            }
            if (!prefix && oend - op < LAST_LITERALS) {
                // As liblz4 (and so the kernel) and lz4-java: the last bytes of a block are literals.
                throw new IOException("lz4 match ends " + (oend - op) + " bytes before the end of the block's output, "
                        + "inside its last " + LAST_LITERALS + " literal bytes");
            }
        }
    }
}
