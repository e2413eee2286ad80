package io.github.erofs4j.compress;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;

/**
 * The providers of erofs4j's LZ4 encoders, which write the lz4 streams of {@code lz4} and {@code lz4hc} images.
 * Both encoders are pure Java without {@code Unsafe}, written from the LZ4 block format; see {@link #lz4()} and
 * {@link #lz4hc()}. The options' window, when not 0, caps the match distance (the image's lz4 {@code
 * max_distance}); it may be at most 65535. Their streams are byte-identical to liblz4 1.9's destSize functions on
 * the benchmark corpus. One call looks at no more than the first 256 MiB of its input (a pcluster never needs
 * more; the stream says how much it took).
 */
public final class Lz4Compressors {

    private Lz4Compressors() {}

    /**
     * The fast encoder, as mkfs.erofs's {@code -zlz4}: liblz4's default mode, whose choices it follows. It takes no
     * level: the only level is 0.
     */
    public static CompressorProvider lz4() {
        return new Fast();
    }

    /**
     * The high-compression encoder, as mkfs.erofs's {@code -zlz4hc[,level]}: levels 0 to 12, where 0 means the
     * default 9, 1 to 9 search hash chains ever deeper and 10 to 12 parse optimally; see liblz4's HC levels.
     */
    public static CompressorProvider lz4hc() {
        return new Hc();
    }

    /** The {@code lz4} provider, registered with {@link java.util.ServiceLoader}. Thread-safe. */
    public static final class Fast implements CompressorProvider {

        /** For {@link java.util.ServiceLoader}. */
        public Fast() {}

        @Override
        public String name() {
            return "lz4";
        }

        @Override
        public int algorithmId() {
            return Erofs.ALG_LZ4;
        }

        @Override
        public int minLevel() {
            return 0;
        }

        @Override
        public int maxLevel() {
            return 0;
        }

        @Override
        public int defaultLevel() {
            return 0;
        }

        @Override
        public Compressor create(int level, CompressorOptions options) {
            if (level != 0) {
                throw new IllegalArgumentException("lz4 takes no compression level (use lz4hc): " + level);
            }
            return new Lz4FastEncoder(options.window());
        }
    }

    /** The {@code lz4hc} provider, registered with {@link java.util.ServiceLoader}. Thread-safe. */
    public static final class Hc implements CompressorProvider {

        /** For {@link java.util.ServiceLoader}. */
        public Hc() {}

        @Override
        public String name() {
            return "lz4hc";
        }

        @Override
        public int algorithmId() {
            return Erofs.ALG_LZ4;
        }

        @Override
        public int minLevel() {
            return 0;
        }

        @Override
        public int maxLevel() {
            return 12;
        }

        @Override
        public int defaultLevel() {
            return 9;
        }

        @Override
        public Compressor create(int level, CompressorOptions options) {
            return new Lz4HcEncoder(level, options.window());
        }
    }
}
