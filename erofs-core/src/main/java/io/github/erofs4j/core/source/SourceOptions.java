package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.WriteEvent;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Immutable options shared by the sources.
 *
 * @param exclude paths (relative to the source root, "/"-separated, no leading "/", e.g. {@code usr/share/doc})
 *     to leave out, with everything below them
 * @param warnings receives what a source could not reproduce (an xattr it could not read, an unsupported
 *     archive member); calls are serialized but may come from worker threads
 * @param spoolDirectory where archive sources spool member contents read from a stream (null: the system
 *     temporary directory); the spool file is deleted when the {@link SourceTree} is closed
 * @param xattrs whether to read xattrs at all
 * @param hardlinks whether to detect hard links (directory sources; archive hard links are always kept)
 * @param workers threads a directory source may use to read metadata in parallel (the tree is the same)
 */
public record SourceOptions(Predicate<String> exclude, Consumer<WriteEvent.Warning> warnings, Path spoolDirectory,
        boolean xattrs, boolean hardlinks, int workers) {

    public SourceOptions {
        Objects.requireNonNull(exclude, "exclude");
        Objects.requireNonNull(warnings, "warnings");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
    }

    /** No exclusions, warnings dropped, system temp directory, xattrs and hard links kept, one worker per CPU. */
    public static SourceOptions defaults() {
        return new SourceOptions(p -> false, w -> { }, null, true, true,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public SourceOptions withExclude(Predicate<String> e) {
        return new SourceOptions(e, warnings, spoolDirectory, xattrs, hardlinks, workers);
    }

    public SourceOptions withWarnings(Consumer<WriteEvent.Warning> w) {
        return new SourceOptions(exclude, w, spoolDirectory, xattrs, hardlinks, workers);
    }

    public SourceOptions withSpoolDirectory(Path d) {
        return new SourceOptions(exclude, warnings, d, xattrs, hardlinks, workers);
    }

    public SourceOptions withXattrs(boolean x) {
        return new SourceOptions(exclude, warnings, spoolDirectory, x, hardlinks, workers);
    }

    public SourceOptions withHardlinks(boolean h) {
        return new SourceOptions(exclude, warnings, spoolDirectory, xattrs, h, workers);
    }

    public SourceOptions withWorkers(int n) {
        return new SourceOptions(exclude, warnings, spoolDirectory, xattrs, hardlinks, n);
    }

    void warn(String path, String message) {
        synchronized (this) {
            warnings.accept(new WriteEvent.Warning(path, message));
        }
    }
}
