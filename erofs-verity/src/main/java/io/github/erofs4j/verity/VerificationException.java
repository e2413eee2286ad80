package io.github.erofs4j.verity;

import java.util.Objects;

/**
 * Data, a hash tree, its superblock or a signature that does not verify.
 *
 * <p>{@link #failure()} says what failed; callers branch on it, never on the message. {@link #position()} is the
 * byte offset in the data of the first data block found to differ (-1 when no data block is at fault), and
 * {@link #hashOffset()} the byte offset in the hash file of the stored bytes at fault (-1 when none applies).
 * Instances are immutable.
 */
public final class VerificationException extends VerityException {
    private static final long serialVersionUID = 1L;

    /** What did not verify. */
    public enum Failure {
        /** The tree's root hash differs from the expected one. */
        ROOT_HASH_MISMATCH,
        /** A data block's hash differs from the one stored in the lowest tree level. */
        DATA_BLOCK_MISMATCH,
        /** A stored hash block differs from the hash of the blocks below it. */
        HASH_BLOCK_MISMATCH,
        /** The hash file's superblock is missing, truncated or invalid. */
        BAD_SUPERBLOCK,
        /** The hash file ends before the tree it should hold. */
        HASH_TREE_TRUNCATED,
        /** A signature holds no signer, or the signer's signature does not match the content. */
        BAD_SIGNATURE,
        /** No signer of a signature is the expected certificate. */
        SIGNER_NOT_FOUND
    }

    private final Failure failure;
    /** Byte offset of the first data block found to differ, or -1. */
    private final long position;
    private final long hashOffset;

    /**
     * Creates an exception.
     *
     * @param failure what failed
     * @param message a message for people, naming the file and offset where there is one
     * @param position the byte offset in the data of the first block that differs, or -1
     * @param hashOffset the byte offset in the hash file of the stored bytes at fault, or -1
     */
    public VerificationException(Failure failure, String message, long position, long hashOffset) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.position = position;
        this.hashOffset = hashOffset;
    }

    /** Creates an exception with a lower-level cause. */
    public VerificationException(Failure failure, String message, long position, long hashOffset, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.position = position;
        this.hashOffset = hashOffset;
    }

    /** What failed. */
    public Failure failure() {
        return failure;
    }

    /** The byte offset in the data of the first block that differs, or -1 if none is known. */
    public long position() {
        return position;
    }

    /** The byte offset in the hash file of the stored bytes at fault, or -1 if none applies. */
    public long hashOffset() {
        return hashOffset;
    }
}
