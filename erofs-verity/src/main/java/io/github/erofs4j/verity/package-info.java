/**
 * fs-verity: Merkle trees, the 256-byte descriptor and file digests, in the exact form the kernel and
 * {@code fsverity digest} use.
 *
 * <p>Entry points: {@link io.github.erofs4j.verity.FsVerity} (one call over a path, a channel or a stream) and
 * {@link io.github.erofs4j.verity.FsVerityHasher} (fed in order, for example by an image writer). The Merkle
 * tree bytes go to a {@link io.github.erofs4j.verity.MerkleTreeSink}; the digest alone never needs the tree in
 * memory.
 */
package io.github.erofs4j.verity;
