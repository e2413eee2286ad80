package io.github.erofs4j.core.spi;

/**
 * Settings, besides the level, that a {@link CompressorProvider} may honour when it creates a {@link Compressor}.
 * Immutable.
 *
 * @param window the largest distance back, in bytes, a stream may refer to; 0 means the algorithm's default
 *     (for lz4, 65535 bytes, the {@code max_distance} mkfs.erofs records). Streams written with a smaller window
 *     decode under an image's {@code max_distance} of that size.
 */
public record CompressorOptions(int window) {

    private static final CompressorOptions DEFAULTS = new CompressorOptions(0);

    /** Checks the window is not negative. */
    public CompressorOptions {
        if (window < 0) {
            throw new IllegalArgumentException("negative compression window: " + window);
        }
    }

    /** The algorithm's defaults. */
    public static CompressorOptions defaults() {
        return DEFAULTS;
    }
}
