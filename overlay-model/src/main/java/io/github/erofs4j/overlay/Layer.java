package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.Xattr;
import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of an overlay stack: a tree read from an EROFS image, a directory or a tarball, or built in code.
 * Whiteouts, opaque directories, redirects and metacopy files are kept as the layer holds them (0:0 character
 * devices and {@code overlay.*} xattrs); {@link OverlayStack} gives them their meaning.
 *
 * <p>A layer owns the tree it is made from: the tree must not be changed afterwards. A layer read from an image or a
 * tarball keeps it open for its file contents until {@link #close()}. Reading a layer from several threads is safe
 * once it is made.
 */
public final class Layer implements Closeable {
    private final String name;
    private final FsTree tree;
    private final Closeable resource;

    private Layer(String name, FsTree tree, Closeable resource) {
        this.name = Objects.requireNonNull(name, "name");
        this.tree = Objects.requireNonNull(tree, "tree");
        this.resource = resource;
    }

    /** A layer made of a tree built in code (the tree becomes the layer's: do not change it afterwards). */
    public static Layer of(String name, FsTree tree) {
        return new Layer(name, tree, null);
    }

    /** A layer of a tree whose contents a resource provides (closed with the layer). */
    static Layer of(String name, FsTree tree, Closeable resource) {
        return new Layer(name, tree, resource);
    }

    /** A layer read from an EROFS image; its contents are read from the image, which stays open until closed. */
    public static Layer fromImage(Path image) throws IOException {
        ErofsImage img = ErofsImage.open(image);
        try {
            FsTree tree = new FsTree();
            Map<Long, Node> byNid = new HashMap<>();
            ErofsInode root = img.root();
            tree.root().copyAttributesFrom(attributes(Node.directory(), root));
            copyDirectory(img, root, tree.root(), byNid, 0);
            return new Layer(image.toString(), tree, img);
        } catch (IOException | RuntimeException e) {
            img.close();
            throw e;
        }
    }

    /** A layer read from a directory, with its xattrs (overlay xattrs included, which needs privileges). */
    public static Layer fromDirectory(Path dir) throws IOException {
        return fromSource(dir, SourceKind.DIRECTORY);
    }

    /**
     * A layer read from a tarball (plain or compressed) as it stands: {@code .wh.} files stay regular files. An OCI
     * layer wants {@link OciLayers#fromTar(Path, OverlayOptions, OciLayers.WhiteoutStyle)}.
     */
    public static Layer fromTar(Path tarball) throws IOException {
        return fromSource(tarball, SourceKind.TAR);
    }

    /** A layer from a path: an EROFS image when the file holds one, else a directory or an archive. */
    public static Layer open(Path path) throws IOException {
        if (!java.nio.file.Files.isDirectory(path) && isErofsImage(path)) {
            return fromImage(path);
        }
        return fromSource(path, null);
    }

    private static Layer fromSource(Path path, SourceKind kind) throws IOException {
        SourceTree src = Sources.load(path, kind, SourceOptions.defaults());
        return new Layer(path.toString(), src.tree(), src);
    }

    static boolean isErofsImage(Path path) throws IOException {
        try (SeekableByteChannel ch = java.nio.file.Files.newByteChannel(path)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(1024);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            return !b.hasRemaining() && b.getInt(0) == 0xE0F5E1E2;
        }
    }

    /** A short name for messages: the path it was read from, or the name given. */
    public String name() {
        return name;
    }

    /** The root of the layer's tree; for reading only. */
    public Node root() {
        return tree.root();
    }

    /** The layer's tree; for reading only. */
    public FsTree tree() {
        return tree;
    }

    /** Closes the image or spool the layer reads its contents from, if any. */
    @Override
    public void close() throws IOException {
        if (resource != null) {
            resource.close();
        }
    }

    @Override
    public String toString() {
        return "Layer[" + name + "]";
    }

    private static void copyDirectory(ErofsImage img, ErofsInode dir, Node out, Map<Long, Node> byNid, int depth)
            throws IOException {
        if (depth > 1024) {
            throw new IOException(img.path() + ": directories nested over 1024 deep (a loop?) at nid " + dir.nid());
        }
        for (DirEntry e : dir.children()) {
            Node seen = byNid.get(e.nid());
            if (seen != null && seen.type() != FileType.DIRECTORY) {
                out.put(e.nameBytes(), seen);
                continue;
            }
            ErofsInode in = img.inode(e.nid());
            Node n = switch (in.type()) {
                case DIRECTORY -> Node.directory();
                case REGULAR -> Node.file(new InodeContent(in));
                case SYMLINK -> Node.symlink(in.readSymlink());
                case CHAR_DEVICE -> Node.charDevice(in.rdevMajor(), in.rdevMinor());
                case BLOCK_DEVICE -> Node.blockDevice(in.rdevMajor(), in.rdevMinor());
                case FIFO -> Node.fifo();
                case SOCKET -> Node.socket();
            };
            attributes(n, in);
            if (in.type() == FileType.DIRECTORY) {
                if (seen != null) {
                    throw new IOException(img.path() + ": directory nid " + e.nid() + " is linked twice");
                }
                byNid.put(e.nid(), n);
                copyDirectory(img, in, n, byNid, depth + 1);
            } else {
                byNid.put(e.nid(), n);
            }
            out.put(e.nameBytes(), n);
        }
    }

    private static Node attributes(Node n, ErofsInode in) throws IOException {
        n.permissions(in.permissions()).owner(in.uid(), in.gid()).mtime(in.mtimeSeconds(), in.mtimeNanos());
        for (Xattr x : in.xattrs()) {
            n.xattr(x.name(), x.value());
        }
        return n;
    }

    /** The content of a regular file of an image, read when it is opened. */
    private record InodeContent(ErofsInode inode) implements FileContent {
        @Override
        public long size() {
            return inode.size();
        }

        @Override
        public ReadableByteChannel open(long position) throws IOException {
            return inode.newByteChannel().position(position);
        }

        @Override
        public String describe() {
            return inode.image().path() + " nid " + inode.nid();
        }
    }
}
