package io.github.erofs4j.core.extract;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of an {@link ImageExtractor} run: the check of the image done on the way, and what could not be
 * restored (by kind, with a count and one example each, sorted by kind). Immutable.
 *
 * @param target the directory extracted into
 * @param check what the walk found; entries with problems were not (or not completely) extracted
 * @param notRestored what could not be restored
 */
public record ExtractSummary(Path target, CheckReport check, List<NotRestored> notRestored) {
    /** Copies the list. */
    public ExtractSummary {
        notRestored = List.copyOf(notRestored);
    }

    /**
     * One kind of thing that could not be restored.
     *
     * @param what the kind, for example {@code "device nodes, fifos and sockets (need JNA)"}
     * @param count how many times
     * @param example one target path it happened to (with the detail, such as an xattr name, in parentheses)
     */
    public record NotRestored(String what, long count, String example) {}
}
