package io.github.erofs4j.core.spi;

/**
 * Which implementation decodes whole LZ4 blocks (lz4 and lz4hc images). Both are pure Java and bounds-checked;
 * chosen per image with {@code ReadOptions.builder().lz4Decoder(...)} and handed to the lz4 provider in
 * {@link CodecConfig#lz4Decoder()}.
 */
public enum Lz4Decoder {
    /**
     * erofs4j's own decoder (in erofs-compress): checks every length and match offset against the input, the output
     * and the image's {@code max_distance}. The default.
     */
    BUILTIN,
    /**
     * lz4-java's safe pure-Java decoder (never its JNI or {@code Unsafe} variants, which trust their input). It does
     * not check match offsets against a {@code max_distance} below 64 KiB. Prefixes of shared pclusters and streams
     * without 0-padding still go through the builtin decoder, because lz4-java cannot stop once the output is full.
     */
    LZ4_JAVA
}
