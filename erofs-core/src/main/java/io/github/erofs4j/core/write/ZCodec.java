package io.github.erofs4j.core.write;

import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;
import io.github.erofs4j.core.spi.Compressors;
import io.github.erofs4j.core.spi.Decompressors;

/**
 * The encoder an image's files are compressed with, resolved once from the options: the provider, the level, the
 * encoder options, and what the superblock records of it (the algorithm id and the window its streams use).
 *
 * @param window the history window in bytes the encoder reported, or 0 for the algorithm's default
 * @param pclusterSize the largest pcluster in bytes (at least one block)
 */
record ZCodec(CompressorProvider provider, int level, CompressorOptions options, int algorithmId, int window,
        int pclusterSize) {

    /**
     * The codec of {@code opt}'s compression, or null when files are not compressed. Creates one compressor to
     * check the level and window before any work.
     *
     * @throws IllegalArgumentException when no such encoder is installed or it refuses the settings
     */
    static ZCodec resolve(WriteOptions opt) {
        Compression c = opt.compression();
        if (!c.enabled()) {
            return null;
        }
        Compressors set = c.compressors() != null ? c.compressors() : Compressors.installed();
        CompressorProvider provider = set.provider(c.algorithm()).orElseThrow(() -> new IllegalArgumentException(
                "no compressor named '" + c.algorithm() + "' is installed (have " + set.names() + "); add "
                        + Decompressors.ARTIFACT + " to the class or module path"));
        int level = c.level() != null ? c.level() : provider.defaultLevel();
        int pcluster = c.pclusterSize() == 0 ? opt.blockSize() : c.pclusterSize();
        CompressorOptions options = new CompressorOptions(c.dictSize(), pcluster);
        try (Compressor probe = provider.create(level, options)) {
            return new ZCodec(provider, level, options, probe.algorithmId(), probe.windowSize(), pcluster);
        }
    }

    /** A new compressor (the caller closes it). */
    Compressor create() {
        return provider.create(level, options);
    }
}
