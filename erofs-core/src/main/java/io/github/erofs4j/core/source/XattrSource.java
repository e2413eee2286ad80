package io.github.erofs4j.core.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads all xattrs (every namespace) of a path without following symlinks. Backed by native calls when a
 * platform helper is available; {@link #platform()} returns null otherwise, and callers fall back to what the
 * JDK offers ({@code user.} only).
 */
interface XattrSource {
    Map<String, byte[]> read(Path p) throws IOException;

    /** The platform's xattr reader, or null when none is available. */
    static XattrSource platform() {
        return null;
    }
}
