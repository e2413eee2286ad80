/**
 * Reading EROFS images: {@link io.github.erofs4j.core.read.ErofsImage} opens an image (and its extra devices)
 * from a file, a channel or any {@link io.github.erofs4j.core.read.ByteSource} (for example bytes in memory);
 * {@link io.github.erofs4j.core.read.ErofsInode} gives attributes, xattrs, directory entries and random-access
 * data of one inode, wherever the image keeps it (including the metabox of {@code mkfs.erofs -m} images).
 *
 * <p>Everything read from the image is checked before use: each (offset, length) against the device size, each
 * count against the bytes that hold it. A malformed image raises
 * {@link io.github.erofs4j.core.ErofsFormatException} naming the byte offset and the structure. All
 * classes are safe for concurrent readers. Compressed data is decoded by the decompressors of
 * {@link io.github.erofs4j.core.spi} (the erofs-compress artifact provides lz4, MicroLZMA, deflate and zstd); when
 * none is installed for an image's algorithm, reading that data fails with an unsupported
 * {@code ErofsFormatException} naming the artifact. How an image is opened is set by
 * {@link io.github.erofs4j.core.read.ReadOptions}.
 */
package io.github.erofs4j.core.read;
