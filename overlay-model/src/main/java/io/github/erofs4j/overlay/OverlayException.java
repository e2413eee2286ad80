package io.github.erofs4j.overlay;

import java.io.IOException;
import java.util.Objects;

/**
 * A stack the overlay cannot show: an entry whose lookup the kernel fails (a metacopy file without data below it, a
 * malformed metacopy xattr) or a tree that a conversion cannot express. Callers tell the cases apart by
 * {@link #kind()} and find the entry by {@link #path()}.
 */
public final class OverlayException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** A metacopy file with no regular file holding its data below it (the kernel fails its lookup). */
        METACOPY_WITHOUT_DATA,
        /** A metacopy file whose size differs from its data's. */
        METACOPY_SIZE_MISMATCH,
        /** A malformed {@code overlay.metacopy} xattr (the kernel fails the lookup). */
        BAD_METACOPY,
        /**
         * A whiteout that the kernel's directory listing shows while its lookup fails: in a directory of one layer
         * without an {@code overlay.origin} mark, or an xattr whiteout in a directory not marked opaque "x".
         */
        LISTED_WHITEOUT,
        /** A layer whose root is not a directory, or a layer index out of range. */
        BAD_LAYER,
        /** A tree holding something the target form cannot express (a redirect or metacopy file in an OCI layer). */
        UNREPRESENTABLE
    }

    private final Kind kind;
    private final String path;
    private final int layer;

    OverlayException(Kind kind, String path, int layer, String detail) {
        super(path + (layer >= 0 ? " (layer " + layer + ")" : "") + ": " + detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = path;
        this.layer = layer;
    }

    public Kind kind() {
        return kind;
    }

    /** The path of the entry in the merged view ({@code /a/b}). */
    public String path() {
        return path;
    }

    /** The index of the layer holding the offending entry (topmost 0, data-only layers after the others), or -1. */
    public int layer() {
        return layer;
    }
}
