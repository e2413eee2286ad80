/**
 * Implementations of the erofs-core codec SPIs. Decompressors: lz4 (erofs4j's own bounds-checked decoder, or
 * lz4-java's safe Java decoder when the image is opened with {@code Lz4Decoder.LZ4_JAVA}), MicroLZMA (XZ for
 * Java's raw LZMA decoder), raw deflate ({@link java.util.zip.Inflater}) and zstd (zstd-jni). Compressors:
 * erofs4j's own pure-Java lz4 and lz4hc encoders ({@link io.github.erofs4j.compress.Lz4Compressors}), with the
 * destSize mode mkfs.erofs fills pclusters with; the MicroLZMA encoder ({@link
 * io.github.erofs4j.compress.LzmaCompressors}), XZ for Java's LZMA1 encoder with our own cut at the pcluster size. Registered with {@link java.util.ServiceLoader}; the module
 * exports nothing, so nothing here is public API.
 */
package io.github.erofs4j.compress;
