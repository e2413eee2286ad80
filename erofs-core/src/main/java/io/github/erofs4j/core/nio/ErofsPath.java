package io.github.erofs4j.core.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
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
 * A path in an {@link ErofsFileSystem}: '/'-separated names, absolute when it starts with '/'. Immutable;
 * syntactic operations never touch the image.
 */
final class ErofsPath implements Path {
    private final ErofsFileSystem fs;
    private final String path;
    private volatile int[] offsets;
    /** The nid this path names, when it came from a directory listing (the image never changes); else -1. */
    private final long nid;

    ErofsPath(ErofsFileSystem fs, String path) {
        this(fs, path, -1);
    }

    ErofsPath(ErofsFileSystem fs, String path, long nid) {
        this.fs = fs;
        this.path = normalizeSlashes(path);
        this.nid = nid;
    }

    /** The nid recorded by the directory listing that produced this path, or -1. */
    long knownNid() {
        return nid;
    }

    /** This path resolved against a child name, remembering the child's nid. */
    ErofsPath child(String name, long childNid) {
        return new ErofsPath(fs, path.equals("/") ? "/" + name : path.isEmpty() ? name : path + "/" + name,
                childNid);
    }

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

    String pathString() {
        return path;
    }

    /** The names of the path, empty for the root. */
    List<String> names() {
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
    public ErofsFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? new ErofsPath(fs, "/") : null;
    }

    @Override
    public Path getFileName() {
        if (path.equals("/")) {
            return null;
        }
        if (path.isEmpty()) {
            return this;
        }
        return new ErofsPath(fs, name(getNameCount() - 1));
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
        return new ErofsPath(fs, p.isEmpty() ? "/" : p);
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
        return new ErofsPath(fs, name(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        int n = getNameCount();
        if (beginIndex < 0 || beginIndex >= n || endIndex > n || beginIndex >= endIndex) {
            throw new IllegalArgumentException(beginIndex + ".." + endIndex);
        }
        return new ErofsPath(fs, String.join("/", names().subList(beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        ErofsPath o = check(other);
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
        ErofsPath o = check(other);
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
        return new ErofsPath(fs, (isAbsolute() ? "/" : "") + String.join("/", out));
    }

    @Override
    public Path resolve(Path other) {
        ErofsPath o = check(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return new ErofsPath(fs, path.equals("/") ? "/" + o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        ErofsPath o = check(other);
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
        return new ErofsPath(fs, String.join("/", out));
    }

    @Override
    public URI toUri() {
        return fs.provider().uriOf(fs, ((ErofsPath) toAbsolutePath()).path);
    }

    @Override
    public Path toAbsolutePath() {
        return isAbsolute() ? this : new ErofsPath(fs, path.isEmpty() ? "/" : "/" + path);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.realPath(this, ErofsFileSystemProvider.follow(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("watching an EROFS image");
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(((ErofsPath) other).path);
    }

    private ErofsPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof ErofsPath p)) {
            throw new ProviderMismatchException();
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErofsPath p && p.fs == fs && p.path.equals(path);
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
