package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.core.write.WriteSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * What a mount of an {@link OverlayStack} shows: names, types, modes, owners, mtimes, the xattrs the overlay lets
 * through, and contents. Made by {@link OverlayStack#merge()}.
 *
 * <p>Immutable and thread-safe once made. File contents are read from the layers when opened, so the layers must
 * stay open while the view (or a tree or image made from it) is read. Hard links of a layer stay hard links in the
 * view; as the kernel does, {@link Entry#nlink()} reports the layer inode's link count, whiteouts notwithstanding.
 */
public final class MergedView {
    /**
     * The layer an entry's metadata comes from and, for a regular file, the layer its data comes from; for a
     * non-directory, the layer's node whose inode the kernel reports (one node reached by several paths, through
     * redirects, is one file), else null.
     */
    record Origin(int layer, int dataLayer, int nlink, Node source) {}

    private final FsTree tree;
    private final IdentityHashMap<Node, Origin> origins;
    private final OverlayOptions options;

    MergedView(FsTree tree, IdentityHashMap<Node, Origin> origins, OverlayOptions options) {
        this.tree = tree;
        this.origins = origins;
        this.options = options;
    }

    /** The options the view was merged with. */
    public OverlayOptions options() {
        return options;
    }

    /** The root directory. */
    public Entry root() {
        return new Entry("/", tree.root());
    }

    /** The root node of the view's tree, for this package's operations (not to be changed). */
    Node rootNode() {
        return tree.root();
    }

    /** Where an entry of the view comes from. */
    Origin origin(Node n) {
        return origins.get(n);
    }

    /**
     * The view as a read-only {@link java.nio.file.FileSystem}: paths, directory streams, seekable channels,
     * symlinks (followed as the kernel follows them), the "basic", "posix", "owner", "unix" and "user" (xattrs
     * {@code user.*}) attribute views. Every write throws {@link java.nio.file.ReadOnlyFileSystemException}.
     *
     * <p>The file system is not registered with a provider (it has no URI). Closing it closes the channels it
     * opened; the layers stay open for their opener to close, after the file system.
     */
    public java.nio.file.FileSystem newFileSystem() {
        return new OverlayFileSystem(this);
    }

    /** The entry at a path ({@code "/a/b"}, {@code "a/b"}), or empty when nothing shows there. */
    public Optional<Entry> lookup(String path) {
        return lookup(path.getBytes(StandardCharsets.UTF_8));
    }

    /** The entry at a path given as bytes, or empty when nothing shows there. */
    public Optional<Entry> lookup(byte[] path) {
        Node n = tree.get(path);
        if (n == null) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] c : FsTree.split(path)) {
            sb.append('/').append(new String(c, StandardCharsets.UTF_8));
        }
        return Optional.of(new Entry(sb.length() == 0 ? "/" : sb.toString(), n));
    }

    /**
     * The entries of the directory at a path, in name order.
     *
     * @throws NoSuchFileException when nothing shows at the path
     * @throws NotDirectoryException when it is not a directory
     */
    public List<Entry> list(String path) throws IOException {
        Entry e = lookup(path).orElseThrow(() -> new NoSuchFileException(path));
        return e.children();
    }

    /**
     * A new tree holding the view (contents still read from the layers): what {@link #writeImage} writes. The tree
     * is the caller's to change.
     */
    public FsTree toFsTree() {
        FsTree out = new FsTree();
        out.root().copyAttributesFrom(tree.root());
        copyChildren(tree.root(), out.root(), new IdentityHashMap<>());
        return out;
    }

    /**
     * Flattens the view into one EROFS image, whose kernel mount shows exactly this view (xattrs included: escaped
     * overlay xattrs appear unescaped, as plain xattrs of the image).
     */
    public WriteSummary writeImage(Path image, WriteOptions options) throws IOException {
        return ErofsWriter.write(toFsTree(), image, options);
    }

    private static void copyChildren(Node from, Node to, Map<Node, Node> links) {
        for (Map.Entry<byte[], Node> e : from.children().entrySet()) {
            Node c = e.getValue();
            Node copy = links.get(c);
            if (copy == null) {
                copy = switch (c.type()) {
                    case DIRECTORY -> Node.directory();
                    case REGULAR -> Node.file(c.content());
                    case SYMLINK -> Node.symlink(c.symlinkTarget());
                    case CHAR_DEVICE -> Node.charDevice(c.rdevMajor(), c.rdevMinor());
                    case BLOCK_DEVICE -> Node.blockDevice(c.rdevMajor(), c.rdevMinor());
                    case FIFO -> Node.fifo();
                    case SOCKET -> Node.socket();
                };
                copy.copyAttributesFrom(c);
                if (c.type() == FileType.DIRECTORY) {
                    copyChildren(c, copy, links);
                } else {
                    links.put(c, copy);
                }
            }
            to.put(e.getKey(), copy);
        }
    }

    /** One entry of the view: a path and what shows there. Immutable. */
    public final class Entry {
        private final String path;
        private final Node node;

        private Entry(String path, Node node) {
            this.path = path;
            this.node = Objects.requireNonNull(node);
        }

        /** The path, from the root: {@code "/"}, {@code "/a/b"}. */
        public String path() {
            return path;
        }

        /** The last name of the path ({@code ""} for the root). */
        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        public FileType type() {
            return node.type();
        }

        /** The permission bits (low 12 bits of st_mode). */
        public int permissions() {
            return node.permissions();
        }

        /** The full st_mode. */
        public int mode() {
            return node.mode();
        }

        public long uid() {
            return node.uid();
        }

        public long gid() {
            return node.gid();
        }

        public long mtimeSeconds() {
            return node.mtimeSeconds();
        }

        public int mtimeNanos() {
            return node.mtimeNanos();
        }

        /** The size: content size for regular files, target length for symlinks, 0 otherwise. */
        public long size() {
            return node.size();
        }

        /** The xattrs the overlay shows, by name in name order; unmodifiable, values must not be changed. */
        public NavigableMap<String, byte[]> xattrs() {
            return node.xattrs();
        }

        /** The target of a symlink. */
        public byte[] symlinkTarget() {
            return node.symlinkTarget();
        }

        public int rdevMajor() {
            return node.rdevMajor();
        }

        public int rdevMinor() {
            return node.rdevMinor();
        }

        /**
         * The link count the kernel reports: for a non-directory, the number of names of its inode in the layer its
         * metadata comes from; 0 for a directory (whose count differs between tools).
         */
        public int nlink() {
            return origins.get(node).nlink();
        }

        /** The index of the layer the entry's metadata comes from (see {@link OverlayStack#layers()}). */
        public int layer() {
            return origins.get(node).layer();
        }

        /**
         * For a regular file, the index of the layer its content comes from: {@link #layer()} unless the file is a
         * metacopy file (data-only layers count on after the regular ones); -1 for other types.
         */
        public int dataLayer() {
            return origins.get(node).dataLayer();
        }

        /** Opens the content of a regular file; the caller closes the channel. */
        public ReadableByteChannel open() throws IOException {
            return node.content().open(0);
        }

        /** Opens the content of a regular file as a stream; the caller closes it. */
        public InputStream newInputStream() throws IOException {
            return Channels.newInputStream(open());
        }

        /** The entries of a directory, in name order. */
        public List<Entry> children() throws NotDirectoryException {
            if (node.type() != FileType.DIRECTORY) {
                throw new NotDirectoryException(path);
            }
            List<Entry> out = new ArrayList<>();
            for (Map.Entry<byte[], Node> e : node.children().entrySet()) {
                String name = new String(e.getKey(), StandardCharsets.UTF_8);
                out.add(new Entry(path.equals("/") ? "/" + name : path + "/" + name, e.getValue()));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public String toString() {
            return path + " " + node;
        }
    }
}
