package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import java.io.IOException;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block decoding (lz4 and lz4hc images).
 *
 * <p>Exact-length decodes use lz4-java's safe pure-Java decompressor ({@link LZ4Factory#safeInstance()}): never
 * the JNI or {@code Unsafe} variants, which trust their input. lz4-java has no "stop when the output is full"
 * mode, which EROFS needs for prefixes of shared pclusters and for data without 0-padding (where trailing zeros
 * follow the stream); {@link #decodePrefix} is a small bounds-checked decoder for those cases, written from the
 * LZ4 block format description. lz4-java checks match offsets against the output written so far, not against a
 * configured {@code max_distance} below 64 KiB; the prefix decoder checks both.
 */
public final class Lz4Decompressor implements Decompressor, DecompressorProvider {

    private static final LZ4SafeDecompressor SAFE = LZ4Factory.safeInstance().safeDecompressor();

    private final int window;

    /** The provider form (used by {@link java.util.ServiceLoader}). */
    public Lz4Decompressor() {
        this(65536);
    }

    private Lz4Decompressor(int window) {
        this.window = window;
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_LZ4;
    }

    @Override
    public String name() {
        return "lz4";
    }

    @Override
    public Decompressor create(CodecConfig config) {
        return new Lz4Decompressor(config.windowSize());
    }

    @Override
    public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        if (partial) {
            decodePrefix(src, srcOff, srcLen, dst, dstOff, dstLen, window);
            return;
        }
        int n;
        try {
            n = SAFE.decompress(src, srcOff, srcLen, dst, dstOff, dstLen);
        } catch (RuntimeException e) {
            throw new IOException("malformed lz4 block (" + srcLen + " bytes, expected to decode to " + dstLen
                    + "): " + e.getMessage(), e);
        }
        if (n != dstLen) {
            throw new IOException("lz4 block decodes to " + n + " bytes, expected " + dstLen);
        }
    }

    /**
     * Decodes the first {@code dstLen} output bytes of an LZ4 block; input past the point where the output is full
     * is not looked at.
     */
    static void decodePrefix(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, int window)
            throws IOException {
        int ip = srcOff;
        int iend = srcOff + srcLen;
        int op = dstOff;
        int oend = dstOff + dstLen;
        while (op < oend) {
            if (ip >= iend) {
                throw new IOException("lz4 block ends after " + (op - dstOff) + " of " + dstLen + " bytes");
            }
            int token = src[ip++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= iend) {
                        throw new IOException("lz4 literal length runs past the end of the block");
                    }
                    b = src[ip++] & 0xFF;
                    lit += b;
                    if (lit > srcLen) {
                        throw new IOException("lz4 literal length " + lit + " exceeds the block size");
                    }
                } while (b == 255);
            }
            if (lit > iend - ip) {
                throw new IOException("lz4 literals run past the end of the block");
            }
            int copy = Math.min(lit, oend - op);
            System.arraycopy(src, ip, dst, op, copy);
            ip += lit;
            op += copy;
            if (op >= oend) {
                return;
            }
            if (ip >= iend) {
                throw new IOException("lz4 block ends after " + (op - dstOff) + " of " + dstLen + " bytes");
            }
            if (iend - ip < 2) {
                throw new IOException("lz4 match offset runs past the end of the block");
            }
            int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
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
                    if (mlen > dstLen + 255) {
                        break; // only dstLen bytes are copied anyway
                    }
                } while (b == 255);
            }
            mlen += 4;
            int end = Math.min(op + mlen, oend);
            int from = op - offset;
            while (op < end) {
                dst[op++] = dst[from++];
            }
        }
    }
}
