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
 * <p>Whole blocks are decoded by lz4-java's safe pure-Java decompressor ({@link LZ4Factory#safeInstance()}) by
 * default: never the JNI or {@code Unsafe} variants, which trust their input. Setting the system property
 * {@value #DECODER_PROPERTY} to {@code builtin} selects erofs4j's own decoder ({@link Lz4Block}, also pure Java
 * and bounds-checked) instead; it is about twice as fast. lz4-java has no "stop when the output is full" mode,
 * which EROFS needs for prefixes of shared pclusters and for data without 0-padding (where trailing zeros follow
 * the stream), so those always go through {@link Lz4Block}. lz4-java checks match offsets against the output
 * written so far, not against a configured {@code max_distance} below 64 KiB; {@link Lz4Block} checks both.
 */
public final class Lz4Decompressor implements Decompressor, DecompressorProvider {

    /** The system property that selects the whole-block decoder: {@code lz4-java} (the default) or {@code builtin}. */
    public static final String DECODER_PROPERTY = "erofs4j.lz4.decoder";

    /**
     * lz4-java's decoder, made on first use: creating the factory runs a self-test that allocates about 23 MB,
     * which a run with the builtin decoder does not need.
     */
    private static final class Safe {
        static final LZ4SafeDecompressor DECODER = LZ4Factory.safeInstance().safeDecompressor();
    }

    private final int window;
    /** For a provider: the decoder it always uses, or null to read {@value #DECODER_PROPERTY}. */
    private final String fixed;
    private final boolean builtin;

    /** The provider form (used by {@link java.util.ServiceLoader}); it follows {@value #DECODER_PROPERTY}. */
    public Lz4Decompressor() {
        this(65536, null);
    }

    private Lz4Decompressor(int window, String fixed) {
        this.window = window;
        this.fixed = fixed;
        this.builtin = "builtin".equals(fixed);
    }

    /**
     * A provider that always uses the named decoder for whole blocks, whatever {@value #DECODER_PROPERTY} says;
     * put it in a {@link io.github.erofs4j.core.spi.Decompressors} set ({@code Decompressors.installed().with(...)})
     * to choose per image.
     *
     * @param decoder {@code lz4-java} or {@code builtin}
     * @throws IllegalArgumentException for any other name
     */
    public static DecompressorProvider provider(String decoder) {
        return new Lz4Decompressor(65536, checked(decoder, "decoder name"));
    }

    private static String checked(String decoder, String where) {
        if (!"lz4-java".equals(decoder) && !"builtin".equals(decoder)) {
            throw new IllegalArgumentException("unknown lz4 decoder '" + decoder + "' (" + where
                    + "; expected lz4-java or builtin)");
        }
        return decoder;
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_LZ4;
    }

    @Override
    public String name() {
        return "lz4";
    }

    /**
     * Creates a decoder for an image, with the decoder this provider was made for, or else the one
     * {@value #DECODER_PROPERTY} names when the image is opened.
     *
     * @throws IOException when the property names no known decoder
     */
    @Override
    public Decompressor create(CodecConfig config) throws IOException {
        String which = fixed;
        if (which == null) {
            try {
                which = checked(System.getProperty(DECODER_PROPERTY, "lz4-java"), "system property " + DECODER_PROPERTY);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage());
            }
        }
        return new Lz4Decompressor(config.windowSize(), which);
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
