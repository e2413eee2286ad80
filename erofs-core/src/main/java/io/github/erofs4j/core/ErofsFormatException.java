package io.github.erofs4j.core;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A malformed, truncated or unsupported EROFS image.
 *
 * <p>Every instance has a {@link Kind}, names the byte offset in the image where the problem was found (or -1
 * when no single offset applies) and the structure being read, for example {@code "dirent 3 of nid 36"}. An
 * {@link Kind#UNSUPPORTED unsupported} one also names the {@link #feature() feature}. Callers branch on
 * {@link #kind()}, never on the message. Instances are created through the static factories.
 */
public final class ErofsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the image. */
    public enum Kind {
        /** A structure whose content is invalid. */
        CORRUPT,
        /** A structure that extends past the end of the image or device. */
        TRUNCATED,
        /** A valid image that uses something this implementation does not support. */
        UNSUPPORTED,
        /**
         * An image that goes beyond a limit of {@code ReadOptions} (a directory, xattrs, a decompressed extent or
         * the bytes decompressed in all): it may be valid, but reading it would cost more than the caller allowed.
         */
        LIMIT
    }

    private final Kind kind;
    private final long offset;
    private final String structure;
    private final String feature;
    private final String limit;

    private ErofsFormatException(Kind kind, long offset, String structure, String feature, String detail,
            Throwable cause) {
        super(message(offset, structure, detail), cause);
        this.kind = kind;
        this.offset = offset;
        this.structure = structure;
        this.feature = kind == Kind.UNSUPPORTED ? feature : null;
        this.limit = kind == Kind.LIMIT ? feature : null;
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
        return new ErofsFormatException(Kind.CORRUPT, offset, structure, null, detail, null);
    }

    /** A structure whose content is invalid, discovered through a lower-level failure (for example a codec). */
    public static ErofsFormatException corrupt(long offset, String structure, String detail, Throwable cause) {
        return new ErofsFormatException(Kind.CORRUPT, offset, structure, null, detail, cause);
    }

    /** A structure that extends past the end of the image (or device). */
    public static ErofsFormatException truncated(long offset, String structure, long needed, long available) {
        return new ErofsFormatException(Kind.TRUNCATED, offset, structure, null,
                "needs " + needed + " bytes but the image ends after " + Math.max(0, available), null);
    }

    /**
     * A valid image that uses something this implementation does not support.
     *
     * @param feature a short stable name of what is unsupported, for example {@code "incompat feature 0x200"},
     *     {@code "compression algorithm zstd"} or {@code "data layout 7"}
     * @param detail the rest of the message
     */
    public static ErofsFormatException unsupported(long offset, String structure, String feature, String detail) {
        Objects.requireNonNull(feature, "feature");
        return new ErofsFormatException(Kind.UNSUPPORTED, offset, structure, feature,
                "unsupported: " + (detail == null || detail.isEmpty() ? feature : feature + " (" + detail + ")"),
                null);
    }

    /**
     * A structure that goes beyond a reading limit.
     *
     * @param limit the name of the limit, as the {@code ReadOptions} builder method that sets it (for example
     *     {@code "maxDirectoryEntries"})
     * @param max the limit's value
     * @param found what the image asks for, in the limit's unit
     */
    public static ErofsFormatException limit(long offset, String structure, String limit, long max, long found) {
        Objects.requireNonNull(limit, "limit");
        return new ErofsFormatException(Kind.LIMIT, offset, structure, limit,
                "over the reading limit " + limit + " (" + max + "): " + found, null);
    }

    /** What is wrong: corrupt, truncated, unsupported, or over a reading limit. */
    public Kind kind() {
        return kind;
    }

    /** The unsupported feature, present exactly when {@link #kind()} is {@link Kind#UNSUPPORTED}. */
    public Optional<String> feature() {
        return Optional.ofNullable(feature);
    }

    /**
     * The name of the reading limit exceeded (as its {@code ReadOptions} builder method), present exactly when
     * {@link #kind()} is {@link Kind#LIMIT}.
     */
    public Optional<String> limit() {
        return Optional.ofNullable(limit);
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
