package io.github.erofs4j.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An overlay mount's layers and options: an optional upper layer, one or more lower layers listed topmost first
 * (as {@code lowerdir=} lists them), data-only lower layers (after {@code ::}), and {@link OverlayOptions}.
 * {@link #merge()} computes what the kernel shows for the mount.
 *
 * <p>Immutable; made with {@link #builder()}. The stack does not own its layers: whoever opened them closes them,
 * after the last use of any view merged from them.
 */
public final class OverlayStack {
    private final Layer upper;
    private final List<Layer> lowers;
    private final List<Layer> dataOnly;
    private final OverlayOptions options;

    private OverlayStack(Builder b) {
        this.upper = b.upper;
        this.lowers = List.copyOf(b.lowers);
        this.dataOnly = List.copyOf(b.dataOnly);
        this.options = b.options;
    }

    /** A stack of lower layers only, topmost first, with default options. */
    public static OverlayStack of(List<Layer> lowers) {
        Builder b = builder();
        lowers.forEach(b::lower);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The upper layer, or null for a read-only stack of lower layers. */
    public Layer upper() {
        return upper;
    }

    /** The lower layers, topmost first. */
    public List<Layer> lowers() {
        return lowers;
    }

    /** The data-only lower layers, in lookup order. */
    public List<Layer> dataOnly() {
        return dataOnly;
    }

    public OverlayOptions options() {
        return options;
    }

    /**
     * The regular layers in lookup order: the upper layer (if any) then the lowers. Layer indexes in
     * {@link MergedView.Entry#layer()} and {@link OverlayException#layer()} count in this list, then on in
     * {@link #dataOnly()}.
     */
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(lowers.size() + 1);
        if (upper != null) {
            all.add(upper);
        }
        all.addAll(lowers);
        return all;
    }

    /**
     * The merged view: what a mount of this stack shows.
     *
     * @throws OverlayException for an entry the kernel could not look up (see {@link OverlayException.Kind})
     */
    public MergedView merge() throws java.io.IOException {
        return new Merger(this).merge();
    }

    /** Builder of {@link OverlayStack}; not thread-safe. */
    public static final class Builder {
        private Layer upper;
        private final List<Layer> lowers = new ArrayList<>();
        private final List<Layer> dataOnly = new ArrayList<>();
        private OverlayOptions options = OverlayOptions.defaults();

        private Builder() {}

        public Builder upper(Layer v) {
            upper = v;
            return this;
        }

        /** Adds a lower layer below those added before (call topmost first). */
        public Builder lower(Layer v) {
            lowers.add(Objects.requireNonNull(v, "layer"));
            return this;
        }

        /** Adds a data-only lower layer after those added before. */
        public Builder dataOnly(Layer v) {
            dataOnly.add(Objects.requireNonNull(v, "layer"));
            return this;
        }

        public Builder options(OverlayOptions v) {
            options = Objects.requireNonNull(v, "options");
            return this;
        }

        /**
         * The stack.
         *
         * @throws IllegalStateException without a lower layer, or with data-only layers but metacopy off (the
         *     kernel refuses both mounts)
         */
        public OverlayStack build() {
            if (lowers.isEmpty()) {
                throw new IllegalStateException("an overlay needs at least one lower layer");
            }
            if (!dataOnly.isEmpty() && !options.metacopy()) {
                throw new IllegalStateException("data-only lower layers need metacopy");
            }
            return new OverlayStack(this);
        }
    }
}
