package io.github.erofs4j.core.spi;

import java.io.IOException;

/**
 * Decodes the compressed streams of one EROFS algorithm, configured for one image.
 *
 * <p>EROFS always knows how many bytes an extent decodes to, so every call names the exact output length.
 * Implementations must be safe on hostile input: a malformed stream ends in an {@link IOException} (never
 * another exception, a hang, or memory use beyond a small multiple of the output length), and output past
 * {@code dstLen} is never written. Instances are thread-safe (any per-call state is created per call or held
 * per thread).
 */
public interface Decompressor {

    /** The on-disk algorithm id ({@code Erofs.ALG_*}). */
    int algorithmId();

    /** The algorithm's name, for messages ({@code "lz4"}, {@code "lzma"}, {@code "deflate"}, {@code "zstd"}). */
    String name();

    /**
     * Decodes one stream.
     *
     * <p>With {@code partial == false} the stream is exactly {@code src[srcOff, srcOff + srcLen)} and must decode
     * to exactly {@code dstLen} bytes: fewer or more is an error. With {@code partial == true} only the first
     * {@code dstLen} bytes of the stream's output are wanted: decoding stops once they are produced, and
     * {@code srcLen} may be larger than the stream (trailing bytes are ignored); producing fewer than
     * {@code dstLen} bytes is still an error. EROFS uses partial decoding for extents that use a prefix of a
     * shared pcluster (dedupe) and for LZ4 data without 0-padding.
     *
     * @throws IOException if the stream is malformed or does not yield the bytes asked for; the message says why
     *     (the caller adds the image offset)
     */
    void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen, boolean partial)
            throws IOException;
}
