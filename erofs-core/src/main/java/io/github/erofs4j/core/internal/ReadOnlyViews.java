package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * The attribute views, attribute maps and directory streams of a read-only file system, over suppliers of a file's
 * attributes and xattrs. Every write throws {@link ReadOnlyFileSystemException}.
 */
public final class ReadOnlyViews {
    /** The attribute views such a file system supports. */
    public static final Set<String> VIEWS = Set.of("basic", "posix", "unix", "owner", "user");

    private ReadOnlyViews() {}

    /** A supplier that may fail with an I/O error (a path that no longer resolves). */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** The "basic", "posix" or "owner" view (one class: they differ only by name). */
    public static PosixFileAttributeView posixView(String name, IoSupplier<? extends PosixAttributes> attributes) {
        return new PosixView(name, attributes);
    }

    /**
     * The "user" view: the {@code user.*} xattrs, named without the prefix.
     *
     * @param path the path for messages
     * @param xattrs all xattrs of the file by full name
     */
    public static UserDefinedFileAttributeView userView(Path path, IoSupplier<Map<String, byte[]>> xattrs) {
        return new UserView(path, xattrs);
    }

    /**
     * {@link java.nio.file.spi.FileSystemProvider#readAttributes(Path, String, java.nio.file.LinkOption...)}:
     * {@code "view:name,name"} or {@code "name"} (view "basic"), {@code "*"} for every attribute of the view.
     */
    public static Map<String, Object> readAttributes(String attributes, IoSupplier<? extends PosixAttributes> attrs,
            IoSupplier<Map<String, byte[]>> xattrs) throws IOException {
        String view = "basic";
        String names = attributes;
        int colon = attributes.indexOf(':');
        if (colon >= 0) {
            view = attributes.substring(0, colon);
            names = attributes.substring(colon + 1);
        }
        Map<String, Object> all;
        if (view.equals("user")) {
            all = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> x : xattrs.get().entrySet()) {
                if (x.getKey().startsWith("user.")) {
                    all.put(x.getKey().substring(5), x.getValue().clone());
                }
            }
        } else if (VIEWS.contains(view)) {
            all = attrs.get().asMap(view);
        } else {
            throw new UnsupportedOperationException("attribute view " + view);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (n.equals("*")) {
                out.putAll(all);
            } else if (all.containsKey(n)) {
                out.put(n, all.get(n));
            } else if (!view.equals("user")) {
                throw new IllegalArgumentException("'" + n + "' not recognized in view " + view);
            }
        }
        return out;
    }

    /**
     * A directory stream over a listing taken when the stream was opened.
     *
     * @param entries the directory's entries
     * @param toPath the path of an entry
     * @param filter which paths to return, or null for all
     */
    public static <T> DirectoryStream<Path> directoryStream(List<T> entries, Function<T, Path> toPath,
            DirectoryStream.Filter<? super Path> filter) {
        return new DirectoryStream<>() {
            private boolean open = true;
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (!open) {
                    throw new IllegalStateException("directory stream closed");
                }
                if (iterated) {
                    throw new IllegalStateException("iterator already obtained");
                }
                iterated = true;
                return new Iterator<>() {
                    private int i;
                    private Path next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && open && i < entries.size()) {
                            Path c = toPath.apply(entries.get(i++));
                            try {
                                if (filter == null || filter.accept(c)) {
                                    next = c;
                                }
                            } catch (IOException e) {
                                throw new DirectoryIteratorException(e);
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Path n = next;
                        next = null;
                        return n;
                    }
                };
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    private record PosixView(String name, IoSupplier<? extends PosixAttributes> attributes)
            implements PosixFileAttributeView {
        @Override
        public PosixAttributes readAttributes() throws IOException {
            return attributes.get();
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void setGroup(GroupPrincipal group) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) {
            throw new ReadOnlyFileSystemException();
        }
    }

    private record UserView(Path path, IoSupplier<Map<String, byte[]>> xattrs)
            implements UserDefinedFileAttributeView {
        private byte[] value(String name) throws IOException {
            byte[] v = xattrs.get().get("user." + name);
            if (v == null) {
                throw new FileSystemException(path.toString(), null, "No such attribute: user." + name);
            }
            return v;
        }

        @Override
        public String name() {
            return "user";
        }

        @Override
        public List<String> list() throws IOException {
            List<String> out = new ArrayList<>();
            for (String n : xattrs.get().keySet()) {
                if (n.startsWith("user.")) {
                    out.add(n.substring(5));
                }
            }
            return out;
        }

        @Override
        public int size(String name) throws IOException {
            return value(name).length;
        }

        @Override
        public int read(String name, ByteBuffer dst) throws IOException {
            byte[] v = value(name);
            if (dst.remaining() < v.length) {
                throw new FileSystemException(path.toString(), null, "buffer too small for user." + name);
            }
            dst.put(v);
            return v.length;
        }

        @Override
        public int write(String name, ByteBuffer src) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void delete(String name) {
            throw new ReadOnlyFileSystemException();
        }
    }
}
