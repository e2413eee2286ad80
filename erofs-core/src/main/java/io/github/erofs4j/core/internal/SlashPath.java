package io.github.erofs4j.core.internal;

import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The syntax of a path of a read-only file system with '/'-separated names, absolute when it starts with '/', as
 * the JDK's Unix paths behave. Subclasses give the file system, make new paths of it and resolve them against it.
 * Immutable; syntactic operations never touch the file system.
 */
public abstract class SlashPath implements Path {
    private final String path;
    private volatile int[] offsets;

    protected SlashPath(String path) {
        this.path = normalizeSlashes(path);
    }

    /** A path of the same file system. */
    protected abstract SlashPath make(String path);

    private static String normalizeSlashes(String p) {
        if (p.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(p, "NUL character in path");
        }
        StringBuilder sb = new StringBuilder(p.length());
        char prev = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '/' && prev == '/') {
                continue;
            }
            sb.append(c);
            prev = c;
        }
        if (sb.length() > 1 && sb.charAt(sb.length() - 1) == '/') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    private int[] offsets() {
        int[] o = offsets;
        if (o == null) {
            List<Integer> list = new ArrayList<>();
            int i = 0;
            while (i < path.length()) {
                if (path.charAt(i) == '/') {
                    i++;
                    continue;
                }
                list.add(i);
                while (i < path.length() && path.charAt(i) != '/') {
                    i++;
                }
            }
            if (path.isEmpty()) {
                list.add(0);
            }
            o = list.stream().mapToInt(Integer::intValue).toArray();
            offsets = o;
        }
        return o;
    }

    /** The path as given, slashes normalized. */
    public final String pathString() {
        return path;
    }

    /** The names of the path, empty for the root. */
    public final List<String> names() {
        if (path.equals("/")) {
            return List.of();
        }
        int n = getNameCount();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(name(i));
        }
        return out;
    }

    private String name(int i) {
        int[] o = offsets();
        int start = o[i];
        int end = i + 1 < o.length ? o[i + 1] - 1 : path.length();
        return path.substring(start, end);
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? make("/") : null;
    }

    @Override
    public Path getFileName() {
        if (path.equals("/")) {
            return null;
        }
        if (path.isEmpty()) {
            return this;
        }
        return make(name(getNameCount() - 1));
    }

    @Override
    public Path getParent() {
        int n = getNameCount();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return isAbsolute() ? getRoot() : null;
        }
        int start = offsets()[n - 1];
        String p = path.substring(0, start - 1);
        return make(p.isEmpty() ? "/" : p);
    }

    @Override
    public int getNameCount() {
        return path.equals("/") ? 0 : offsets().length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= getNameCount()) {
            throw new IllegalArgumentException("index " + index);
        }
        return make(name(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        int n = getNameCount();
        if (beginIndex < 0 || beginIndex >= n || endIndex > n || beginIndex >= endIndex) {
            throw new IllegalArgumentException(beginIndex + ".." + endIndex);
        }
        return make(String.join("/", names().subList(beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        SlashPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) {
            return false;
        }
        List<String> a = names();
        List<String> b = o.names();
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        return b.size() <= a.size() && a.subList(0, b.size()).equals(b);
    }

    @Override
    public boolean endsWith(Path other) {
        SlashPath o = check(other);
        if (o.isAbsolute()) {
            return o.path.equals(path);
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        List<String> a = names();
        List<String> b = o.names();
        return b.size() <= a.size() && a.subList(a.size() - b.size(), a.size()).equals(b);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String s : names()) {
            if (s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (isAbsolute()) {
                    continue;
                }
            }
            out.add(s);
        }
        return make((isAbsolute() ? "/" : "") + String.join("/", out));
    }

    @Override
    public Path resolve(Path other) {
        SlashPath o = check(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return make(path.equals("/") ? "/" + o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        SlashPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException("cannot relativize an absolute and a relative path");
        }
        List<String> a = path.isEmpty() ? List.of() : names();
        List<String> b = o.path.isEmpty() ? List.of() : o.names();
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < a.size(); i++) {
            out.add("..");
        }
        out.addAll(b.subList(common, b.size()));
        return make(String.join("/", out));
    }

    @Override
    public Path toAbsolutePath() {
        return isAbsolute() ? this : make(path.isEmpty() ? "/" : "/" + path);
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("watching a read-only file system");
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(check(other).path);
    }

    private SlashPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (other.getClass() != getClass()) {
            throw new ProviderMismatchException();
        }
        return (SlashPath) other;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((SlashPath) o).getFileSystem() == getFileSystem()
                && ((SlashPath) o).path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }

    @Override
    public java.util.Iterator<Path> iterator() {
        int n = getNameCount();
        Path[] parts = new Path[n];
        for (int i = 0; i < n; i++) {
            parts[i] = getName(i);
        }
        return Arrays.asList(parts).iterator();
    }
}
