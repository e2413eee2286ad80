/**
 * Service provider interface for EROFS compression algorithms.
 *
 * <p>erofs-core reads uncompressed images on its own. Compressed data is handed to a {@link
 * io.github.erofs4j.core.spi.Decompressor} created by a {@link io.github.erofs4j.core.spi.DecompressorProvider}
 * found with {@link java.util.ServiceLoader}; the {@code io.github.erofs4j:erofs-compress} artifact provides lz4
 * (also used for lz4hc images), MicroLZMA, raw deflate and zstd. {@link io.github.erofs4j.core.spi.Decompressors}
 * is the lookup; when an image needs an algorithm no provider offers, it names the algorithm and the artifact.
 * {@link io.github.erofs4j.core.spi.Lz4Decoder} names the two LZ4 decoders erofs-compress offers; the reader
 * passes the one chosen in its options to the provider in {@link io.github.erofs4j.core.spi.CodecConfig}.
 *
 * <p>Compression plugs in beside these types through a separate provider interface, {@link
 * io.github.erofs4j.core.spi.CompressorProvider}, looked up by name in {@link io.github.erofs4j.core.spi.Compressors}:
 * EROFS fills each physical cluster with as much input as fits, so a {@link io.github.erofs4j.core.spi.Compressor}
 * offers a "compress the longest prefix that fits this many bytes" ({@code destSize}) operation that decompression
 * has no counterpart for; nothing here assumes a decompressor also compresses.
 */
package io.github.erofs4j.core.spi;
