package io.github.erofs4j.core.spi;

/**
 * The per-image settings of one compression algorithm, from the superblock's configuration record (or the
 * format's defaults when the image has none). Values are already checked against the format's limits.
 *
 * @param algorithmId the on-disk algorithm id ({@code Erofs.ALG_*})
 * @param windowSize the history window in bytes the streams may use: the lz4 {@code max_distance} (64 KiB when
 *     unset), the LZMA dictionary size, {@code 1 << windowbits} for deflate, {@code 1 << (windowlog + 10)} for
 *     zstd
 * @param blockSize the image's block size in bytes
 * @param maxPclusterSize the largest physical cluster, in bytes, the image declares for this algorithm
 * @param lz4Decoder the implementation the reader asks for whole LZ4 blocks (other algorithms ignore it)
 */
public record CodecConfig(int algorithmId, int windowSize, int blockSize, int maxPclusterSize,
        Lz4Decoder lz4Decoder) {

    /** Checks the values are positive. */
    public CodecConfig {
        if (algorithmId < 0 || windowSize <= 0 || blockSize <= 0 || maxPclusterSize <= 0) {
            throw new IllegalArgumentException("invalid codec config: algorithm " + algorithmId + ", window "
                    + windowSize + ", block " + blockSize + ", max pcluster " + maxPclusterSize);
        }
        java.util.Objects.requireNonNull(lz4Decoder, "lz4Decoder");
    }

    /** A configuration with the default LZ4 decoder ({@link Lz4Decoder#BUILTIN}). */
    public CodecConfig(int algorithmId, int windowSize, int blockSize, int maxPclusterSize) {
        this(algorithmId, windowSize, blockSize, maxPclusterSize, Lz4Decoder.BUILTIN);
    }

    /** This configuration with another LZ4 decoder. */
    public CodecConfig withLz4Decoder(Lz4Decoder decoder) {
        return new CodecConfig(algorithmId, windowSize, blockSize, maxPclusterSize, decoder);
    }
}
