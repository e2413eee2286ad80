package io.github.erofs4j.core.write;

import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;
import io.github.erofs4j.core.spi.Compressors;
import io.github.erofs4j.core.spi.Decompressors;

/**
 * One encoder an image's files are compressed with, resolved once from the options: the provider, the level, the
 * encoder options, and what the superblock records of it (the algorithm id and the window its streams use).
 *
 * @param window the history window in bytes the encoder reported, or 0 for the algorithm's default
 * @param pclusterSize the image's largest pcluster in bytes (at least one block)
 */
record ZCodec(CompressorProvider provider, int level, CompressorOptions options, int algorithmId, int window,
        int pclusterSize) {

    /**
     * The codec of one of an image's algorithms. Creates one compressor to check the level and window before any
     * work.
     *
     * @param set the compressors to choose from
     * @param maxPcluster the image's largest pcluster in bytes (encoders size their default windows from it)
     * @throws IllegalArgumentException when no such encoder is installed or it refuses the settings
     */
    static ZCodec resolve(Compression.Algorithm a, Compressors set, int maxPcluster) {
        CompressorProvider provider = set.provider(a.name()).orElseThrow(() -> new IllegalArgumentException(
                "no compressor named '" + a.name() + "' is installed (have " + set.names() + "); add "
                        + Decompressors.ARTIFACT + " to the class or module path"));
        int level = a.level() != null ? a.level() : provider.defaultLevel();
        CompressorOptions options = new CompressorOptions(a.dictSize(), maxPcluster);
        try (Compressor probe = provider.create(level, options)) {
            return new ZCodec(provider, level, options, probe.algorithmId(), probe.windowSize(), maxPcluster);
        }
    }

    /** A new compressor (the caller closes it). */
    Compressor create() {
        return provider.create(level, options);
    }
}
