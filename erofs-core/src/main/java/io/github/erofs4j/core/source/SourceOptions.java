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
 *     archive member), on the reading thread
 * @param spoolDirectory where archive sources spool member contents read from a stream (null: the system
 *     temporary directory); spool files are deleted when the JVM exits or the tree is closed
 * @param xattrs whether to read xattrs at all
 * @param hardlinks whether to detect hard links (directory sources; archive hard links are always kept)
 */
public record SourceOptions(Predicate<String> exclude, Consumer<WriteEvent.Warning> warnings, Path spoolDirectory,
        boolean xattrs, boolean hardlinks) {

    public SourceOptions {
        Objects.requireNonNull(exclude, "exclude");
        Objects.requireNonNull(warnings, "warnings");
    }

    /** No exclusions, warnings dropped, system temp directory, xattrs and hard links kept. */
    public static SourceOptions defaults() {
        return new SourceOptions(p -> false, w -> { }, null, true, true);
    }

    public SourceOptions withExclude(Predicate<String> e) {
        return new SourceOptions(e, warnings, spoolDirectory, xattrs, hardlinks);
    }

    public SourceOptions withWarnings(Consumer<WriteEvent.Warning> w) {
        return new SourceOptions(exclude, w, spoolDirectory, xattrs, hardlinks);
    }

    public SourceOptions withSpoolDirectory(Path d) {
        return new SourceOptions(exclude, warnings, d, xattrs, hardlinks);
    }

    public SourceOptions withXattrs(boolean x) {
        return new SourceOptions(exclude, warnings, spoolDirectory, x, hardlinks);
    }

    public SourceOptions withHardlinks(boolean h) {
        return new SourceOptions(exclude, warnings, spoolDirectory, xattrs, h);
    }

    void warn(String path, String message) {
        warnings.accept(new WriteEvent.Warning(path, message));
    }
}
