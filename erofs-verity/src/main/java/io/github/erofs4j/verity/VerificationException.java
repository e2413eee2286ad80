package io.github.erofs4j.verity;

/**
 * Data or a hash tree that does not match its root hash or digest.
 *
 * <p>{@link #position()} is the byte offset of the first data block found to differ, or -1 when only the root
 * (or a hash block, see the message) differs.
 */
public final class VerificationException extends VerityException {
    private static final long serialVersionUID = 1L;

    /** Byte offset of the first data block found to differ, or -1. */
    private final long position;

    /** Creates an exception for a mismatch at a data position, or -1. */
    public VerificationException(String message, long position) {
        super(message);
        this.position = position;
    }

    /** The byte offset in the data of the first block that differs, or -1 if none is known. */
    public long position() {
        return position;
    }
}
