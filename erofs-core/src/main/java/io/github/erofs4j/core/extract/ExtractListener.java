package io.github.erofs4j.core.extract;

/**
 * Told by {@link ImageExtractor} what it could not restore while it runs. Calls come from the extraction's worker
 * threads, one at a time (never concurrently); they should return quickly. Every method does nothing by default.
 */
public interface ExtractListener {
    /** A listener that ignores everything. */
    ExtractListener NONE = new ExtractListener() {};

    /**
     * Something of one entry was not restored (the same summary also ends up in
     * {@link ExtractSummary#notRestored()}).
     *
     * @param what the kind of thing not restored, for example {@code "ownership (chown: Operation not permitted)"}
     * @param path the target path concerned
     * @param detail more detail (an xattr name), or null
     */
    default void notRestored(String what, String path, String detail) {}

    /**
     * A limitation of this run as a whole, said once before any entry is written: for example that the native
     * helper is missing, so xattrs outside {@code user.*}, device nodes and fifos cannot be restored.
     */
    default void warning(String message) {}
}
