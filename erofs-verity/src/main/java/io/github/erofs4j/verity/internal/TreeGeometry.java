package io.github.erofs4j.verity.internal;

/**
 * The shape parameters of a Merkle tree.
 *
 * @param dataBlockSize size of a data block (fs-verity: the Merkle block size)
 * @param hashBlockSize size of a hash block
 * @param digestSize bytes of one digest
 * @param slotSize bytes one digest occupies in a hash block (dm-verity format 1 rounds up to a power of 2)
 * @param hashesPerBlock digests stored in one hash block
 * @param padPartialBlock true (fs-verity) to zero-pad a trailing partial data block; false (dm-verity) to
 *        ignore it
 */
public record TreeGeometry(int dataBlockSize, int hashBlockSize, int digestSize, int slotSize,
                           int hashesPerBlock, boolean padPartialBlock) {

    /** Checks the invariants. */
    public TreeGeometry {
        if (slotSize < digestSize || (long) slotSize * hashesPerBlock > hashBlockSize || hashesPerBlock < 2) {
            throw new IllegalArgumentException("bad tree geometry");
        }
    }
}
