/**
 * Implementations of the erofs-core decompressor SPI: lz4 (lz4-java's safe Java decoder), MicroLZMA (XZ for
 * Java's raw LZMA decoder), raw deflate ({@link java.util.zip.Inflater}) and zstd (zstd-jni). Registered with
 * {@link java.util.ServiceLoader}; nothing here is public API.
 */
package io.github.erofs4j.compress;
