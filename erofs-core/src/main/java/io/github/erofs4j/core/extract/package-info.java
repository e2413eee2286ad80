/**
 * Checking and extracting whole images, what {@code erofs fsck} and {@code erofs extract} do, as a library.
 *
 * <p>{@link io.github.erofs4j.core.extract.ImageChecker} walks every directory, inode, xattr and byte of an image
 * and returns a {@link io.github.erofs4j.core.extract.CheckReport}: what it found and every
 * {@link io.github.erofs4j.core.extract.Problem} with its byte offset. It prints nothing.
 * {@link io.github.erofs4j.core.extract.ImageExtractor} does the same walk while writing each entry below a target
 * directory, with {@link io.github.erofs4j.core.extract.ExtractOptions} (made by a builder), telling an
 * {@link io.github.erofs4j.core.extract.ExtractListener} what it could not restore, and returns an
 * {@link io.github.erofs4j.core.extract.ExtractSummary}. Results do not depend on the number of threads.
 */
package io.github.erofs4j.core.extract;
