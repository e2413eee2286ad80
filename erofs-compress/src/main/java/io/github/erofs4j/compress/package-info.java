/**
 * Implementations of the erofs-core decompressor SPI: lz4 (lz4-java's safe Java decoder), MicroLZMA (XZ for
 * Java's raw LZMA decoder), raw deflate ({@link java.util.zip.Inflater}) and zstd (zstd-jni); and of its
 * compressor SPI: erofs4j's own pure-Java lz4 and lz4hc encoders ({@link io.github.erofs4j.compress.Lz4Compressors}),
 * with the destSize mode mkfs.erofs fills pclusters with. Registered with {@link java.util.ServiceLoader}; nothing
 * here is public API beyond the provider classes and factories.
 */
package io.github.erofs4j.compress;
