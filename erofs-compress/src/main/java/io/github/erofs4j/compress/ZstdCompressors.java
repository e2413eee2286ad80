package io.github.erofs4j.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;

/**
 * The {@code zstd} encoder, as mkfs.erofs's {@code -zzstd[,level=N][,dictsize=N]}: each pcluster is one zstd frame
 * written by zstd-jni's native libzstd, filled by {@link TrialFitEncoder}'s aimed trials. Levels 1 to 22; without
 * a level, libzstd's fast level -1, which is what mkfs.erofs 1.9.3 uses then (it hands its unset level, -1, to
 * libzstd). The window ({@code dictsize}) is a power of two from 1 KiB to 1 MiB; by default eight times the
 * largest pcluster, at most 1 MiB, as mkfs.erofs. Registered with {@link java.util.ServiceLoader}; thread-safe.
 */
public final class ZstdCompressors implements CompressorProvider {
    /** The level used without one: what mkfs.erofs 1.9.3 passes to libzstd when no level is given. */
    static final int UNSET_LEVEL = -1;
    private static final int MIN_WINDOW = 1 << 10;
    private static final int MAX_WINDOW = 1 << 20;

    /** For {@link java.util.ServiceLoader}. */
    public ZstdCompressors() {}

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public int algorithmId() {
        return Erofs.ALG_ZSTD;
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 22;
    }

    /** -1, libzstd's fastest standard level, which mkfs.erofs 1.9.3 uses when no level is given. */
    @Override
    public int defaultLevel() {
        return UNSET_LEVEL;
    }

    @Override
    public Compressor create(int level, CompressorOptions options) {
        if (level != UNSET_LEVEL && (level < minLevel() || level > maxLevel())) {
            throw new IllegalArgumentException("zstd levels are 1 to 22: " + level);
        }
        int window = options.window();
        if (window == 0) {
            int pcluster = options.maxPclusterSize() == 0 ? 4096 : options.maxPclusterSize();
            window = Integer.highestOneBit((int) Math.min(MAX_WINDOW, 8L * pcluster));
        }
        if (window < MIN_WINDOW || window > MAX_WINDOW || Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("zstd dictsize must be a power of two from 1 KiB to 1 MiB: " + window);
        }
        return new Encoder(level, window);
    }

    /** One zstd compression context (native memory, freed by {@link #close()}). */
    static final class Encoder extends TrialFitEncoder {
        private final int level;
        private final int window;
        private ZstdCompressCtx ctx;

        Encoder(int level, int window) {
            super("zstd", Erofs.ALG_ZSTD, level);
            this.level = level;
            this.window = window;
        }

        @Override
        int encode(byte[] src, int off, int len, byte[] out) {
            if (ctx == null) {
                // Made on first use, so that an instance created only to check the settings holds nothing.
                ctx = new ZstdCompressCtx();
                ctx.setLevel(level);
                ctx.setWindowLog(Integer.numberOfTrailingZeros(window));
            }
            return ctx.compressByteArray(out, 0, out.length, src, off, len);
        }

        @Override
        public int windowSize() {
            return window;
        }

        @Override
        public int maxCompressedLength(int srcLen) {
            if (srcLen < 0) {
                throw new IllegalArgumentException("negative length: " + srcLen);
            }
            long bound = Zstd.compressBound(srcLen);
            if (bound > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("input too large: " + srcLen);
            }
            return (int) bound;
        }

        @Override
        public void close() {
            if (ctx != null) {
                ctx.close();
                ctx = null;
            }
        }
    }
}
