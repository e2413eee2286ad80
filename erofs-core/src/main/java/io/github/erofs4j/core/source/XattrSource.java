package io.github.erofs4j.core.source;

import io.github.erofs4j.core.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads all xattrs (every namespace the process may see) of a path without following symlinks, through the
 * JNA-based {@link Posix} helper. {@link #platform()} returns null when that helper is unavailable, and callers
 * fall back to what the JDK offers ({@code user.} only).
 */
interface XattrSource {
    Map<String, byte[]> read(Path p) throws IOException;

    /** The platform's xattr reader, or null when none is available. */
    static XattrSource platform() {
        Posix px;
        try {
            px = Posix.get();
        } catch (LinkageError e) {
            return null;
        }
        if (!px.available()) {
            return null;
        }
        return p -> {
            java.util.List<String> names = px.llistxattr(p);
            if (names.isEmpty()) {
                return Map.of();
            }
            Map<String, byte[]> out = new TreeMap<>();
            for (String name : names) {
                Optional<byte[]> v = px.lgetxattr(p, name);
                v.ifPresent(b -> out.put(name, b));
            }
            return out;
        };
    }
}
