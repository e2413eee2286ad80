package io.github.erofs4j.core.write;

/**
 * Receives {@link WriteEvent}s while an image is built, on the thread that called the writer. Implementations
 * should return quickly; an exception thrown here aborts the build.
 */
@FunctionalInterface
public interface WriteListener {
    void onEvent(WriteEvent event);
}
