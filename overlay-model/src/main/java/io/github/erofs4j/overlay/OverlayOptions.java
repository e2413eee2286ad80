package io.github.erofs4j.overlay;

import java.util.Objects;

/**
 * The mount options of an overlay stack that change what the merged view shows: the xattr namespace of the
 * overlay's private xattrs ({@code trusted.overlay.*}, or {@code user.overlay.*} with the {@code userxattr} mount
 * option), whether directory and metacopy redirects are followed ({@code redirect_dir=follow} or {@code on}
 * against {@code nofollow} or {@code off}) and whether metacopy files are honoured ({@code metacopy=on}).
 *
 * <p>Immutable and thread-safe; made with {@link #builder()} or taken from the presets {@link #defaults()} and
 * {@link #userXattr()}. As the kernel does, {@code userxattr} rules out redirects and metacopy.
 */
public final class OverlayOptions {
    /** The namespace of the overlay's private xattrs. */
    public enum XattrNamespace {
        /** {@code trusted.overlay.}: the kernel's default. */
        TRUSTED("trusted.overlay."),
        /** {@code user.overlay.}: the {@code userxattr} mount option. */
        USER("user.overlay.");

        private final String prefix;

        XattrNamespace(String prefix) {
            this.prefix = prefix;
        }

        /** The prefix of the private xattr names, ending in a dot. */
        public String prefix() {
            return prefix;
        }
    }

    private static final OverlayOptions DEFAULTS = builder().build();

    private final XattrNamespace namespace;
    private final boolean followRedirects;
    private final boolean metacopy;

    private OverlayOptions(Builder b) {
        this.namespace = b.namespace;
        this.followRedirects = b.followRedirects;
        this.metacopy = b.metacopy;
    }

    /** {@code trusted.overlay.} xattrs, redirects followed, metacopy off: a kernel built with the usual defaults. */
    public static OverlayOptions defaults() {
        return DEFAULTS;
    }

    /** The {@code userxattr} mount: {@code user.overlay.} xattrs, no redirects, no metacopy. */
    public static OverlayOptions userXattr() {
        return builder().namespace(XattrNamespace.USER).followRedirects(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.namespace = namespace;
        b.followRedirects = followRedirects;
        b.metacopy = metacopy;
        return b;
    }

    public XattrNamespace namespace() {
        return namespace;
    }

    /** The private xattr prefix, {@code trusted.overlay.} or {@code user.overlay.}. */
    public String prefix() {
        return namespace.prefix();
    }

    public boolean followRedirects() {
        return followRedirects;
    }

    public boolean metacopy() {
        return metacopy;
    }

    /** The kernel mount options for these settings ({@code redirect_dir=...,metacopy=...} or {@code userxattr}). */
    public String mountOptions() {
        if (namespace == XattrNamespace.USER) {
            return "userxattr";
        }
        return "redirect_dir=" + (followRedirects ? "follow" : "nofollow") + ",metacopy=" + (metacopy ? "on" : "off");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OverlayOptions other && namespace == other.namespace
                && followRedirects == other.followRedirects && metacopy == other.metacopy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, followRedirects, metacopy);
    }

    @Override
    public String toString() {
        return "OverlayOptions[" + mountOptions() + "]";
    }

    /** Builder of {@link OverlayOptions}; not thread-safe. */
    public static final class Builder {
        private XattrNamespace namespace = XattrNamespace.TRUSTED;
        private boolean followRedirects = true;
        private boolean metacopy;

        private Builder() {}

        public Builder namespace(XattrNamespace v) {
            namespace = Objects.requireNonNull(v, "namespace");
            return this;
        }

        public Builder followRedirects(boolean v) {
            followRedirects = v;
            return this;
        }

        public Builder metacopy(boolean v) {
            metacopy = v;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException for {@code userxattr} with redirects or metacopy, which the kernel refuses
         *     to mount
         */
        public OverlayOptions build() {
            if (namespace == XattrNamespace.USER && (followRedirects || metacopy)) {
                throw new IllegalArgumentException("userxattr rules out following redirects and metacopy");
            }
            return new OverlayOptions(this);
        }
    }
}
