/**
 * Implementations of the erofs-core decompressor SPI: lz4 (erofs4j's own bounds-checked decoder, or lz4-java's
 * safe Java decoder when the image is opened with {@code Lz4Decoder.LZ4_JAVA}), MicroLZMA (XZ for Java's raw LZMA
 * decoder), raw deflate ({@link java.util.zip.Inflater}) and zstd (zstd-jni). Registered with
 * {@link java.util.ServiceLoader}; the module exports nothing, so nothing here is public API.
 */
package io.github.erofs4j.compress;
