package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;
import java.util.zip.Deflater;

/**
 * The {@code deflate} encoder, as mkfs.erofs's {@code -zdeflate[,level=N]}: each pcluster is one raw deflate
 * stream (RFC 1951, no zlib header) written by the JDK's {@link Deflater}, filled by {@link TrialFitEncoder}'s
 * aimed trials. Levels 1 (the default) to 9, zlib's; the window is zlib's 32 KiB, the only {@code dictsize}
 * accepted. The bytes are those of the zlib the JDK runs on, so they may differ between JDK builds. Registered
 * with {@link java.util.ServiceLoader}; thread-safe.
 */
public final class DeflateCompressors implements CompressorProvider {
    private static final int WINDOW = 1 << 15;

    /** For {@link java.util.ServiceLoader}. */
    public DeflateCompressors() {}

    @Override
    public String name() {
        return "deflate";
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_DEFLATE;
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public int defaultLevel() {
        return 1;
    }

    @Override
    public Compressor create(int level, CompressorOptions options) {
        if (level < minLevel() || level > maxLevel()) {
            throw new IllegalArgumentException("deflate levels are 1 to 9: " + level);
        }
        if (options.window() != 0 && options.window() != WINDOW) {
            throw new IllegalArgumentException("deflate dictsize can only be 32768 (zlib's window): "
                    + options.window());
        }
        return new Encoder(level);
    }

    /** One zlib stream (native memory, freed by {@link #close()}). */
    static final class Encoder extends TrialFitEncoder {
        private final int level;
        private Deflater deflater;

        Encoder(int level) {
            super("deflate", Erofs.ALG_DEFLATE, level);
            this.level = level;
        }

        @Override
        int encode(byte[] src, int off, int len, byte[] out) {
            if (deflater == null) {
                deflater = new Deflater(level, true);
            }
            Deflater d = deflater;
            d.reset();
            d.setInput(src, off, len);
            d.finish();
            int n = 0;
            while (!d.finished()) {
                n += d.deflate(out, n, out.length - n);
            }
            if (n > 0 && out[0] == 0) {
                // The stream starts with a stored block that is not the last: header bits 000, then padding to the
                // byte boundary, which decoders skip. The kernel takes leading zero bytes of a pcluster for its
                // zero padding, so one padding bit is set.
                out[0] = 0x08;
            }
            return n;
        }

        @Override
        public int windowSize() {
            return WINDOW;
        }

        @Override
        public int maxCompressedLength(int srcLen) {
            if (srcLen < 0 || srcLen > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("input length out of range: " + srcLen);
            }
            // zlib's bound for stored blocks (5 bytes per 16 KiB block at worst) with room to spare.
            return srcLen + (srcLen >>> 3) + 64;
        }

        @Override
        public void close() {
            if (deflater != null) {
                deflater.end();
                deflater = null;
            }
        }
    }
}
