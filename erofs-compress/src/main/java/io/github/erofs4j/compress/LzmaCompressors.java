package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;

/**
 * The provider of erofs4j's MicroLZMA encoder, which writes the streams of {@code lzma} images, as mkfs.erofs's
 * {@code -zlzma[,level][,dictsize=N]}: levels 0 to 9 (default 6) and 100 to 109 (the same with xz's extreme
 * search); levels 10 to 99 do not exist. The options' window is the dictionary size, 4 KiB to 8 MiB, which the
 * image's lzma configuration record must state; 0 means mkfs.erofs's default, four times the largest pcluster
 * (the options' {@code maxPclusterSize}, one 4 KiB block when 0) from 32 KiB to 8 MiB.
 */
public final class LzmaCompressors {

    private LzmaCompressors() {}

    /** The {@code lzma} provider. */
    public static CompressorProvider lzma() {
        return new Provider();
    }

    /** The {@code lzma} provider, registered with {@link java.util.ServiceLoader}. Thread-safe. */
    public static final class Provider implements CompressorProvider {

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {}

        @Override
        public String name() {
            return "lzma";
        }

        @Override
        public int algorithmId() {
            return Erofs.ALG_LZMA;
        }

        @Override
        public int minLevel() {
            return 0;
        }

        @Override
        public int maxLevel() {
            return 109;
        }

        @Override
        public int defaultLevel() {
            return 6;
        }

        @Override
        public Compressor create(int level, CompressorOptions options) {
            int dict = options.window();
            if (dict == 0) {
                long pcluster = options.maxPclusterSize() == 0 ? 4096 : options.maxPclusterSize();
                dict = (int) Math.max(32 << 10, Math.min(LzmaEncoder.MAX_DICT, 4 * pcluster));
            }
            return new LzmaEncoder(level, dict);
        }
    }
}
