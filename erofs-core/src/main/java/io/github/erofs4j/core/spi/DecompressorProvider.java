package io.github.erofs4j.core.spi;

import java.io.IOException;

/**
 * A service that creates {@link Decompressor}s for one EROFS algorithm. Registered with {@link
 * java.util.ServiceLoader} ({@code provides} in a module, or {@code META-INF/services} on the class path).
 * Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface DecompressorProvider {

    /** The on-disk algorithm id this provider decodes ({@code Erofs.ALG_*}). */
    int algorithmId();

    /** The algorithm's name ({@code "lz4"}, {@code "lzma"}, {@code "deflate"}, {@code "zstd"}). */
    String name();

    /**
     * Creates a decompressor for an image's settings.
     *
     * @throws IOException if this implementation cannot honour the settings (for example a window it does not
     *     support)
     */
    Decompressor create(CodecConfig config) throws IOException;
}
