package io.github.erofs4j.verity;

import java.io.IOException;

/**
 * Bad verity input or a failed verity operation: an invalid parameter (block size, salt length, algorithm),
 * a truncated or malformed hash file or superblock, a key that cannot sign, a signature that does not verify.
 *
 * <p>The message names what is wrong and, where one applies, the byte offset.
 */
public class VerityException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message naming what is wrong. */
    public VerityException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the lower-level cause. */
    public VerityException(String message, Throwable cause) {
        super(message, cause);
    }
}
