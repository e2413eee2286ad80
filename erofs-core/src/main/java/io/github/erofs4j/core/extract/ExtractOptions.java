package io.github.erofs4j.core.extract;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ImageExtractor} writes an image: immutable, made with {@link #builder()} or {@link #toBuilder()};
 * {@link #defaults()} restores everything the effective user may restore.
 */
public final class ExtractOptions {
    private final boolean overwrite;
    private final Boolean preserveOwner;
    private final boolean preservePermissions;
    private final boolean xattrs;
    private final int umask;
    private final int threads;
    private final ExtractListener listener;

    private ExtractOptions(Builder b) {
        this.overwrite = b.overwrite;
        this.preserveOwner = b.preserveOwner;
        this.preservePermissions = b.preservePermissions;
        this.xattrs = b.xattrs;
        this.umask = b.umask;
        this.threads = b.threads;
        this.listener = b.listener;
    }

    /** Owners restored when running as root, permission bits exactly, xattrs, nothing replaced, one thread per CPU. */
    public static ExtractOptions defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.overwrite = overwrite;
        b.preserveOwner = preserveOwner;
        b.preservePermissions = preservePermissions;
        b.xattrs = xattrs;
        b.umask = umask;
        b.threads = threads;
        b.listener = listener;
        return b;
    }

    /** Whether files already in the target are replaced (existing directories are always reused). */
    public boolean overwrite() {
        return overwrite;
    }

    /** Whether owners are restored; empty means "when running as root". */
    public Optional<Boolean> preserveOwner() {
        return Optional.ofNullable(preserveOwner);
    }

    /** Whether permission bits are restored exactly; when false the {@link #umask()} is applied to them. */
    public boolean preservePermissions() {
        return preservePermissions;
    }

    /** Whether extended attributes are restored. */
    public boolean xattrs() {
        return xattrs;
    }

    /** The umask applied when permissions are not preserved; -1 means the process umask (022 if unknown). */
    public int umask() {
        return umask;
    }

    /** Threads reading and writing files; 0 means one per CPU, at most 8. The output never depends on it. */
    public int threads() {
        return threads;
    }

    /** Who is told what could not be restored. */
    public ExtractListener listener() {
        return listener;
    }

    /** Builds {@link ExtractOptions}; not thread-safe. */
    public static final class Builder {
        private boolean overwrite;
        private Boolean preserveOwner;
        private boolean preservePermissions = true;
        private boolean xattrs = true;
        private int umask = -1;
        private int threads;
        private ExtractListener listener = ExtractListener.NONE;

        private Builder() {}

        /** Replace files that already exist in the target (default false). */
        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /** Restore owners (default: only when running as root). */
        public Builder preserveOwner(boolean preserveOwner) {
            this.preserveOwner = preserveOwner;
            return this;
        }

        /** Restore permission bits exactly (default true); otherwise the umask is applied to them. */
        public Builder preservePermissions(boolean preservePermissions) {
            this.preservePermissions = preservePermissions;
            return this;
        }

        /** Restore extended attributes (default true). */
        public Builder xattrs(boolean xattrs) {
            this.xattrs = xattrs;
            return this;
        }

        /** The umask for permissions that are not preserved, 0 to 0777, or -1 for the process umask (default). */
        public Builder umask(int umask) {
            if (umask < -1 || umask > 0777) {
                throw new IllegalArgumentException("umask must be -1 or between 0 and 0777: " + umask);
            }
            this.umask = umask;
            return this;
        }

        /** Threads reading and writing, 0 (one per CPU, at most 8; the default) to 256. */
        public Builder threads(int threads) {
            if (threads < 0 || threads > 256) {
                throw new IllegalArgumentException("threads must be between 0 and 256: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Who is told what could not be restored (default: nobody). */
        public Builder listener(ExtractListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The options. */
        public ExtractOptions build() {
            return new ExtractOptions(this);
        }
    }
}
