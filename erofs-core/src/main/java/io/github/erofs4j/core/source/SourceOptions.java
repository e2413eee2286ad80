package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.WriteEvent;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Options shared by the sources. Immutable and thread-safe (as far as the given exclusion filter and warning
 * consumer are); build with {@link #builder()}, start from {@link #defaults()}, or change a copy with
 * {@link #toBuilder()}.
 */
public final class SourceOptions {

    private static final SourceOptions DEFAULTS = new Builder().build();

    private final Predicate<String> exclude;
    private final Consumer<WriteEvent.Warning> warnings;
    private final Path spoolDirectory;
    private final boolean xattrs;
    private final boolean hardlinks;
    private final int workers;

    private SourceOptions(Builder b) {
        this.exclude = b.exclude;
        this.warnings = b.warnings;
        this.spoolDirectory = b.spoolDirectory;
        this.xattrs = b.xattrs;
        this.hardlinks = b.hardlinks;
        this.workers = b.workers;
    }

    /**
     * No exclusions, warnings dropped, the system temporary directory for spooling, xattrs and hard links kept, one
     * worker per CPU.
     */
    public static SourceOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Which paths to leave out, with everything below them: the filter sees each path relative to the source root,
     * "/"-separated, without a leading "/" (e.g. {@code usr/share/doc}).
     */
    public Predicate<String> exclude() {
        return exclude;
    }

    /**
     * Receives what a source could not reproduce (an xattr it could not read, an unsupported archive member); calls
     * are serialized but may come from worker threads.
     */
    public Consumer<WriteEvent.Warning> warnings() {
        return warnings;
    }

    /**
     * Where archive sources spool member contents read from a stream (null: the system temporary directory); the
     * spool file is deleted when the {@link SourceTree} is closed.
     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** Whether xattrs are read at all. */
    public boolean xattrs() {
        return xattrs;
    }

    /** Whether hard links are detected (directory sources; archive hard links are always kept). */
    public boolean hardlinks() {
        return hardlinks;
    }

    /** Threads a directory source may use to read metadata in parallel (the tree is the same for any number). */
    public int workers() {
        return workers;
    }

    void warn(String path, String message) {
        synchronized (this) {
            warnings.accept(new WriteEvent.Warning(path, message));
        }
    }

    @Override
    public String toString() {
        return "SourceOptions[spoolDirectory=" + spoolDirectory + ", xattrs=" + xattrs + ", hardlinks=" + hardlinks
                + ", workers=" + workers + "]";
    }

    /** Builds {@link SourceOptions}. Not thread-safe. */
    public static final class Builder {
        private Predicate<String> exclude = p -> false;
        private Consumer<WriteEvent.Warning> warnings = w -> { };
        private Path spoolDirectory;
        private boolean xattrs = true;
        private boolean hardlinks = true;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        private Builder(SourceOptions from) {
            exclude = from.exclude;
            warnings = from.warnings;
            spoolDirectory = from.spoolDirectory;
            xattrs = from.xattrs;
            hardlinks = from.hardlinks;
            workers = from.workers;
        }

        /** Sets the paths to leave out (see {@link SourceOptions#exclude()}). */
        public Builder exclude(Predicate<String> filter) {
            this.exclude = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Sets the receiver of warnings (see {@link SourceOptions#warnings()}). */
        public Builder warnings(Consumer<WriteEvent.Warning> receiver) {
            this.warnings = Objects.requireNonNull(receiver, "receiver");
            return this;
        }

        /** Sets where archive members are spooled (null: the system temporary directory). */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = directory;
            return this;
        }

        /** Sets whether xattrs are read. */
        public Builder xattrs(boolean read) {
            this.xattrs = read;
            return this;
        }

        /** Sets whether hard links are detected in directory sources. */
        public Builder hardlinks(boolean detect) {
            this.hardlinks = detect;
            return this;
        }

        /**
         * Sets the number of threads a directory source may use.
         *
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workers must be at least 1: " + n);
            }
            this.workers = n;
            return this;
        }

        /** The options. */
        public SourceOptions build() {
            return new SourceOptions(this);
        }
    }
}
