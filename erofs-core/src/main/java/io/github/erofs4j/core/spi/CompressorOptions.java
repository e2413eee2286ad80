package io.github.erofs4j.core.spi;

/**
 * Settings, besides the level, that a {@link CompressorProvider} may honour when it creates a {@link Compressor}.
 * Immutable.
 *
 * @param window the largest distance back, in bytes, a stream may refer to (mkfs.erofs's {@code dictsize}); 0
 *     means the algorithm's default (for lz4, 65535 bytes, the {@code max_distance} mkfs.erofs records; for zstd,
 *     eight times the largest pcluster up to 1 MiB, as mkfs.erofs). Streams written with a smaller window decode
 *     under an image's window of that size.
 * @param maxPclusterSize the largest physical cluster, in bytes, the streams are written for; 0 when unknown
 *     (then taken as 4 KiB where an encoder's default window depends on it)
 */
public record CompressorOptions(int window, int maxPclusterSize) {

    private static final CompressorOptions DEFAULTS = new CompressorOptions(0, 0);

    /** Checks the values are not negative. */
    public CompressorOptions {
        if (window < 0) {
            throw new IllegalArgumentException("negative compression window: " + window);
        }
        if (maxPclusterSize < 0) {
            throw new IllegalArgumentException("negative pcluster size: " + maxPclusterSize);
        }
    }

    /** Options with this window and no pcluster size. */
    public CompressorOptions(int window) {
        this(window, 0);
    }

    /** The algorithm's defaults. */
    public static CompressorOptions defaults() {
        return DEFAULTS;
    }
}
