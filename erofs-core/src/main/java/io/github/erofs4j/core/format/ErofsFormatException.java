package io.github.erofs4j.core.format;

import java.io.IOException;

/**
 * A malformed or unsupported EROFS image.
 *
 * <p>Every instance names the byte offset in the image where the problem was found (or -1 when no single
 * offset applies) and the structure being read, for example {@code "dirent 3 of nid 36"}. Create instances
 * through the static factories.
 */
public final class ErofsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String structure;

    private ErofsFormatException(long offset, String structure, String detail, Throwable cause) {
        super(message(offset, structure, detail), cause);
        this.offset = offset;
        this.structure = structure;
    }

    private static String message(long offset, String structure, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(structure);
        if (offset >= 0) {
            sb.append(" at byte ").append(offset).append(" (0x").append(Long.toHexString(offset)).append(')');
        }
        sb.append(": ").append(detail);
        return sb.toString();
    }

    /** A structure whose content is invalid. */
    public static ErofsFormatException corrupt(long offset, String structure, String detail) {
        return new ErofsFormatException(offset, structure, detail, null);
    }

    /** A structure whose content is invalid, discovered through a lower-level failure (for example a codec). */
    public static ErofsFormatException corrupt(long offset, String structure, String detail, Throwable cause) {
        return new ErofsFormatException(offset, structure, detail, cause);
    }

    /** A structure that extends past the end of the image (or device). */
    public static ErofsFormatException truncated(long offset, String structure, long needed, long available) {
        return new ErofsFormatException(offset, structure,
                "needs " + needed + " bytes but the image ends after " + Math.max(0, available), null);
    }

    /** A valid image that uses something this implementation does not support. */
    public static ErofsFormatException unsupported(long offset, String structure, String detail) {
        return new ErofsFormatException(offset, structure, "unsupported: " + detail, null);
    }

    /** The byte offset in the image where the problem was found, or -1 if none applies. */
    public long offset() {
        return offset;
    }

    /** The structure being read, for example {@code "superblock"} or {@code "inode nid 36"}. */
    public String structure() {
        return structure;
    }
}
