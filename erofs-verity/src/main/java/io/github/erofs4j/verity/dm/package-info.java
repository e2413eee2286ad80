/**
 * dm-verity: hash trees and the veritysetup superblock, byte-identical to {@code veritysetup format}, and
 * verification of a tree against its data ({@code veritysetup verify}).
 *
 * <p>Entry points: {@link io.github.erofs4j.verity.dm.DmVerity} for files, and
 * {@link io.github.erofs4j.verity.dm.DmVerityTreeBuilder} to build a tree from bytes fed in order (for
 * example while an image is written).
 */
package io.github.erofs4j.verity.dm;
