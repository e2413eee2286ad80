package io.github.erofs4j.verity;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the hash blocks of a Merkle tree as they are produced.
 *
 * <p>Blocks arrive level by level from the data upwards, interleaved: level 0 (just above the data) block 0,
 * ..., then a level 1 block once enough level 0 blocks exist, and so on. Within a level the indexes arrive in
 * increasing order. Since the tree is stored root-most level first, a sink that produces the stored form
 * either knows the final {@link TreeLayout} in advance ({@link MerkleTreeSinks#positional}) or keeps each level
 * apart until {@link #finish} ({@link MerkleTreeSinks#spilling}). Calls come from one thread at a time.
 */
public interface MerkleTreeSink {

    /**
     * Takes one hash block. The buffer is valid only during the call.
     *
     * @param level 0 for the level just above the data
     * @param index block index within the level
     * @param block exactly one hash block (position to limit)
     */
    void block(int level, long index, ByteBuffer block) throws IOException;

    /** Called once after the last block with the final shape of the tree. */
    default void finish(TreeLayout layout) throws IOException {
    }
}
