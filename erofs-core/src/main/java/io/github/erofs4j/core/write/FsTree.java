package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory tree to write as an EROFS image: a root {@link Node} plus path helpers for sources that add
 * entries by path ({@code "usr/bin/sh"}, {@code "/etc"}, {@code "./a"} all work; "." and empty components are
 * skipped). Paths are bytes (UTF-8 for the {@code String} overloads) because archives and directories may hold
 * names in any encoding.
 *
 * <p>Not thread-safe.
 */
public final class FsTree {
    private final Node root = Node.directory();

    /** The root directory. */
    public Node root() {
        return root;
    }

    /** The node at a path, or null when a component is missing or not a directory. */
    public Node get(String path) {
        return get(path.getBytes(StandardCharsets.UTF_8));
    }

    public Node get(byte[] path) {
        Node n = root;
        for (byte[] c : split(path)) {
            if (n.type() != FileType.DIRECTORY) {
                return null;
            }
            n = n.child(c);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** The directory at a path, creating missing directories (mode 0755) on the way. */
    public Node mkdirs(byte[] path) {
        Node n = root;
        for (byte[] c : split(path)) {
            n = n.directory(c);
        }
        return n;
    }

    public Node mkdirs(String path) {
        return mkdirs(path.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Puts a node at a path, creating missing parent directories, and returns it. An existing entry of that
     * name is replaced. Putting at the root path replaces the root's attributes instead (the node must be a
     * directory), keeping its children.
     */
    public Node put(byte[] path, Node node) {
        List<byte[]> parts = split(path);
        if (parts.isEmpty()) {
            if (node.type() != FileType.DIRECTORY) {
                throw new IllegalArgumentException("the root must be a directory");
            }
            root.copyAttributesFrom(node);
            return root;
        }
        Node dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = dir.directory(parts.get(i));
        }
        return dir.put(parts.get(parts.size() - 1), node);
    }

    public Node put(String path, Node node) {
        return put(path.getBytes(StandardCharsets.UTF_8), node);
    }

    /** Removes the entry at a path (and, for a directory, everything below it); returns it or null. */
    public Node remove(byte[] path) {
        List<byte[]> parts = split(path);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot remove the root");
        }
        Node dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = dir.child(parts.get(i));
            if (dir == null || dir.type() != FileType.DIRECTORY) {
                return null;
            }
        }
        return dir.remove(parts.get(parts.size() - 1));
    }

    public Node remove(String path) {
        return remove(path.getBytes(StandardCharsets.UTF_8));
    }

    /** Splits a path into its non-empty components, dropping "." components. */
    public static List<byte[]> split(byte[] path) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                int len = i - start;
                if (len > 0 && !(len == 1 && path[start] == '.')) {
                    byte[] c = new byte[len];
                    System.arraycopy(path, start, c, 0, len);
                    out.add(c);
                }
                start = i + 1;
            }
        }
        return out;
    }
}
