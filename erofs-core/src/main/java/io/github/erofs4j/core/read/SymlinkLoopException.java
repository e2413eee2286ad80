package io.github.erofs4j.core.read;

import java.nio.file.FileSystemException;

/**
 * Resolving a path met more than {@link ReadOptions#maxSymlinks()} symbolic links (Linux's {@code ELOOP}): a loop,
 * or a chain too long to follow. Immutable.
 */
public final class SymlinkLoopException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for the path being resolved. */
    public SymlinkLoopException(String path) {
        super(path, null, "Too many levels of symbolic links");
    }
}
