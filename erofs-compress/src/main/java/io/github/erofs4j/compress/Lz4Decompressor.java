package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.io.IOException;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block decoding (lz4 and lz4hc images).
 *
 * <p>Whole blocks are decoded by the implementation the image was opened with ({@link CodecConfig#lz4Decoder()}):
 * erofs4j's own bounds-checked decoder ({@link Lz4Block}, the default) or lz4-java's safe pure-Java decoder
 * ({@link LZ4Factory#safeInstance()}; never the JNI or {@code Unsafe} variants, which trust their input).
 * lz4-java has no "stop when the output is full" mode, which EROFS needs for prefixes of shared pclusters and for
 * data without 0-padding (where trailing zeros follow the stream), so those always go through {@link Lz4Block}.
 * lz4-java checks match offsets against the output written so far, not against a configured {@code max_distance}
 * below 64 KiB; {@link Lz4Block} checks both.
 */
public final class Lz4Decompressor implements Decompressor, DecompressorProvider {

    /**
     * lz4-java's decoder, made on first use: creating the factory runs a self-test that allocates about 23 MB,
     * which a run with the builtin decoder does not need.
     */
    private static final class Safe {
        static final LZ4SafeDecompressor DECODER = LZ4Factory.safeInstance().safeDecompressor();
    }

    private final int window;
    private final boolean builtin;

    /** The provider form (used by {@link java.util.ServiceLoader}); used directly, it decodes with {@link Lz4Block}. */
    public Lz4Decompressor() {
        this(65536, Lz4Decoder.BUILTIN);
    }

    private Lz4Decompressor(int window, Lz4Decoder decoder) {
        this.window = window;
        this.builtin = decoder == Lz4Decoder.BUILTIN;
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_LZ4;
    }

    @Override
    public String name() {
        return "lz4";
    }

    /** Creates a decoder for an image's window, with the implementation {@link CodecConfig#lz4Decoder()} names. */
    @Override
    public Decompressor create(CodecConfig config) {
        return new Lz4Decompressor(config.windowSize(), config.lz4Decoder());
    }

    @Override
    public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length);
        if (partial || builtin) {
            Lz4Block.decode(src, srcOff, srcLen, dst, dstOff, dstLen, window, partial);
            return;
        }
        int n;
        try {
            n = Safe.DECODER.decompress(src, srcOff, srcLen, dst, dstOff, dstLen);
        } catch (RuntimeException e) {
            throw new IOException("malformed lz4 block (" + srcLen + " bytes, expected to decode to " + dstLen
                    + "): " + e.getMessage(), e);
        }
        if (n != dstLen) {
            throw new IOException("lz4 block decodes to " + n + " bytes, expected " + dstLen);
        }
    }
}
