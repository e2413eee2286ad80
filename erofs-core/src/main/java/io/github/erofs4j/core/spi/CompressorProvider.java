package io.github.erofs4j.core.spi;

/**
 * A service that creates {@link Compressor}s for one encoder of an EROFS algorithm. Registered with {@link
 * java.util.ServiceLoader} ({@code provides} in a module, or {@code META-INF/services} on the class path), beside
 * {@link DecompressorProvider}. Several providers may write the same algorithm id ({@code lz4} and {@code lz4hc}
 * both write lz4 streams); they are told apart by {@link #name()}. Implementations need a public no-argument
 * constructor and must be thread-safe; the compressors they create are not.
 */
public interface CompressorProvider {

    /** The encoder's name, as mkfs.erofs's {@code -z} option spells it ({@code "lz4"}, {@code "lz4hc"}). */
    String name();

    /** The on-disk algorithm id of the streams written ({@code Erofs.ALG_*}). */
    int algorithmId();

    /** The lowest level accepted. */
    int minLevel();

    /** The highest level accepted. */
    int maxLevel();

    /** The level used when none is given. */
    int defaultLevel();

    /**
     * Creates a compressor.
     *
     * @throws IllegalArgumentException if the level is outside {@link #minLevel()}..{@link #maxLevel()} or the
     *     options ask for what this encoder cannot do
     */
    Compressor create(int level, CompressorOptions options);
}
