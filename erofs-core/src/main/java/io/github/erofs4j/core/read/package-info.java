/**
 * Reading EROFS images: {@link io.github.erofs4j.core.read.ErofsImage} opens an image (and its extra devices),
 * {@link io.github.erofs4j.core.read.ErofsInode} gives attributes, xattrs, directory entries and random-access
 * data of one inode.
 *
 * <p>Everything read from the image is checked before use: each (offset, length) against the device size, each
 * count against the bytes that hold it. A malformed image raises
 * {@link io.github.erofs4j.core.ErofsFormatException} naming the byte offset and the structure. All
 * classes are safe for concurrent readers. Compressed data is not decoded by this package yet: such inodes list
 * and stat, but reading their data fails with an "unsupported" error.
 */
package io.github.erofs4j.core.read;
