package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The upper layer that turns a lower layer into a target: mounted over the lower (as the topmost of two lower
 * layers), it shows exactly the target. Names gone from the target become whiteouts, new and changed entries are
 * copied, directories are copied only where something in or below them changed, a directory none of whose lower
 * entries survive can become opaque instead of holding whiteouts, and a regular file whose content is unchanged
 * but whose metadata changed can become a metacopy file. Overlay xattrs of the target are escaped, so that the
 * mount shows them.
 *
 * <p>Stateless and thread-safe; the returned tree reads unchanged contents from the target's tree.
 */
public final class OverlayDiff {
    private OverlayDiff() {}

    /** How the upper layer is made. Immutable; made with {@link #builder()}. */
    public static final class Options {
        private static final Options DEFAULTS = builder().build();
        private final OverlayOptions overlay;
        private final OciLayers.WhiteoutStyle whiteouts;
        private final boolean metacopy;
        private final boolean opaqueDirectories;

        private Options(Builder b) {
            this.overlay = b.overlay;
            this.whiteouts = b.whiteouts;
            this.metacopy = b.metacopy;
            this.opaqueDirectories = b.opaqueDirectories;
        }

        /** Default overlay options, character-device whiteouts, no metacopy, opaque directories. */
        public static Options defaults() {
            return DEFAULTS;
        }

        public static Builder builder() {
            return new Builder();
        }

        public OverlayOptions overlay() {
            return overlay;
        }

        public OciLayers.WhiteoutStyle whiteouts() {
            return whiteouts;
        }

        public boolean metacopy() {
            return metacopy;
        }

        public boolean opaqueDirectories() {
            return opaqueDirectories;
        }

        /** Builder of {@link Options}; not thread-safe. */
        public static final class Builder {
            private OverlayOptions overlay = OverlayOptions.defaults();
            private OciLayers.WhiteoutStyle whiteouts = OciLayers.WhiteoutStyle.CHAR_DEVICE;
            private boolean metacopy;
            private boolean opaqueDirectories = true;

            private Builder() {}

            /** The options of the mount the layer is meant for (its xattr namespace, whether it honours metacopy). */
            public Builder overlay(OverlayOptions v) {
                overlay = Objects.requireNonNull(v, "overlay");
                return this;
            }

            public Builder whiteouts(OciLayers.WhiteoutStyle v) {
                whiteouts = Objects.requireNonNull(v, "whiteouts");
                return this;
            }

            /** Metadata-only changes of regular files as metacopy files (the mount needs {@code metacopy=on}). */
            public Builder metacopy(boolean v) {
                metacopy = v;
                return this;
            }

            /** Opaque directories where none of a directory's lower entries survive. */
            public Builder opaqueDirectories(boolean v) {
                opaqueDirectories = v;
                return this;
            }

            /**
             * The options.
             *
             * @throws IllegalArgumentException for metacopy with overlay options that do not honour it
             */
            public Options build() {
                if (metacopy && !overlay.metacopy()) {
                    throw new IllegalArgumentException("metacopy files need overlay options with metacopy on");
                }
                return new Options(this);
            }
        }
    }

    /**
     * The upper layer over {@code lower} that shows {@code target}.
     *
     * @param lower the lower layer, as a mount of it alone through the overlay shows it
     * @param target what the mount of the upper over the lower should show
     */
    public static FsTree diff(Layer lower, FsTree target, Options options) throws IOException {
        MergedView lowerView = OverlayStack.builder().lower(lower)
                .options(options.overlay().toBuilder().build()).build().merge();
        FsTree upper = new FsTree();
        Node t = target.root();
        if (t.type() != FileType.DIRECTORY) {
            throw new IllegalArgumentException("the target's root is not a directory");
        }
        new Differ(options).dir(lowerView.rootNode(), t, upper.root(), true);
        OverlayTransforms.markWhiteoutDirectories(upper, options.overlay());
        return upper;
    }

    private static final class Differ {
        private final Options o;
        private final String p;

        Differ(Options o) {
            this.o = o;
            this.p = o.overlay().prefix();
        }

        /** Fills {@code u} (a copy of {@code t}'s attributes); returns whether it differs from {@code l}. */
        boolean dir(Node l, Node t, Node u, boolean root) throws IOException {
            attributes(u, t);
            boolean changed = !sameAttributes(l, t);
            int surviving = 0;
            for (Map.Entry<byte[], Node> e : l.children().entrySet()) {
                if (t.child(e.getKey()) == null) {
                    u.put(e.getKey(), whiteout(u));
                    changed = true;
                }
            }
            for (Map.Entry<byte[], Node> e : t.children().entrySet()) {
                byte[] name = e.getKey();
                Node tc = e.getValue();
                Node lc = l.child(name);
                if (lc == null) {
                    u.put(name, copy(tc));
                    changed = true;
                } else if (tc.type() == FileType.DIRECTORY && lc.type() == FileType.DIRECTORY) {
                    Node uc = Node.directory();
                    if (dir(lc, tc, uc, false)) {
                        u.put(name, uc);
                        changed = true;
                    }
                    surviving++;
                } else if (tc.type() == FileType.DIRECTORY || lc.type() == FileType.DIRECTORY) {
                    u.put(name, copy(tc));
                    changed = true;
                } else if (!sameAttributes(lc, tc) || !sameData(lc, tc)) {
                    boolean metadataOnly = o.metacopy() && tc.type() == FileType.REGULAR
                            && lc.type() == FileType.REGULAR && sameData(lc, tc);
                    u.put(name, metadataOnly ? metacopy(tc) : copy(tc));
                    changed = true;
                } else {
                    surviving++;
                }
            }
            if (!root && o.opaqueDirectories() && surviving == 0 && !l.children().isEmpty()) {
                // Nothing of the lower directory shows: an opaque copy needs no whiteouts.
                for (byte[] name : List.copyOf(u.children().keySet())) {
                    u.remove(name);
                }
                u.removeXattr(p + "opaque");
                for (Map.Entry<byte[], Node> e : t.children().entrySet()) {
                    u.put(e.getKey(), copy(e.getValue()));
                }
                u.xattr(p + "opaque", new byte[] {'y'});
                changed = true;
            }
            return changed;
        }

        private Node whiteout(Node parent) {
            if (o.whiteouts() == OciLayers.WhiteoutStyle.CHAR_DEVICE) {
                return Node.charDevice(0, 0);
            }
            parent.xattr(p + "opaque", new byte[] {'x'});
            return Node.file(new byte[0]).xattr(p + "whiteout", new byte[0]);
        }

        private Node metacopy(Node t) {
            Node m = Node.file(zeros(t.size()));
            attributes(m, t);
            m.xattr(p + "metacopy", new byte[0]);
            return m;
        }

        /** A copy of a target subtree with escaped overlay xattrs (contents shared). */
        private Node copy(Node t) {
            Node c = switch (t.type()) {
                case DIRECTORY -> Node.directory();
                case REGULAR -> Node.file(t.content());
                case SYMLINK -> Node.symlink(t.symlinkTarget());
                case CHAR_DEVICE -> Node.charDevice(t.rdevMajor(), t.rdevMinor());
                case BLOCK_DEVICE -> Node.blockDevice(t.rdevMajor(), t.rdevMinor());
                case FIFO -> Node.fifo();
                case SOCKET -> Node.socket();
            };
            attributes(c, t);
            if (t.type() == FileType.DIRECTORY) {
                for (Map.Entry<byte[], Node> e : t.children().entrySet()) {
                    c.put(e.getKey(), copy(e.getValue()));
                }
            }
            return c;
        }

        /** Owner, mode, mtime and xattrs of {@code t}, overlay xattrs escaped one level. */
        private void attributes(Node u, Node t) {
            u.copyAttributesFrom(t);
            for (Map.Entry<String, byte[]> x : List.copyOf(t.xattrs().entrySet())) {
                if (x.getKey().startsWith(p)) {
                    u.removeXattr(x.getKey());
                }
            }
            for (Map.Entry<String, byte[]> x : t.xattrs().entrySet()) {
                if (x.getKey().startsWith(p)) {
                    u.xattr(p + "overlay." + x.getKey().substring(p.length()), x.getValue());
                }
            }
        }

        private static boolean sameAttributes(Node a, Node b) {
            if (a.type() != b.type() || a.permissions() != b.permissions() || a.uid() != b.uid()
                    || a.gid() != b.gid() || a.mtimeSeconds() != b.mtimeSeconds()
                    || a.mtimeNanos() != b.mtimeNanos()) {
                return false;
            }
            Map<String, byte[]> ax = a.xattrs();
            Map<String, byte[]> bx = b.xattrs();
            if (!ax.keySet().equals(bx.keySet())) {
                return false;
            }
            for (Map.Entry<String, byte[]> e : ax.entrySet()) {
                if (!Arrays.equals(e.getValue(), bx.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameData(Node a, Node b) throws IOException {
            if (a.type() != b.type()) {
                return false;
            }
            return switch (a.type()) {
                case REGULAR -> a.size() == b.size() && sameContent(a.content(), b.content());
                case SYMLINK -> Arrays.equals(a.symlinkTarget(), b.symlinkTarget());
                case CHAR_DEVICE, BLOCK_DEVICE -> a.rdevMajor() == b.rdevMajor() && a.rdevMinor() == b.rdevMinor();
                default -> true;
            };
        }

        private static boolean sameContent(FileContent a, FileContent b) throws IOException {
            try (InputStream x = Channels.newInputStream(a.open(0)); InputStream y = Channels.newInputStream(b.open(0))) {
                byte[] bx = new byte[65536];
                byte[] by = new byte[65536];
                while (true) {
                    int nx = x.readNBytes(bx, 0, bx.length);
                    int ny = y.readNBytes(by, 0, by.length);
                    if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
                        return false;
                    }
                    if (nx < bx.length) {
                        return true;
                    }
                }
            }
        }
    }

    /** Zeros of a given size, for the body of a metacopy file (the overlay never reads it). */
    static FileContent zeros(long size) {
        return new FileContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public ReadableByteChannel open(long position) {
                return new ReadableByteChannel() {
                    private long pos = position;
                    private boolean open = true;

                    @Override
                    public int read(ByteBuffer dst) {
                        if (pos >= size) {
                            return -1;
                        }
                        int n = (int) Math.min(dst.remaining(), size - pos);
                        for (int i = 0; i < n; i++) {
                            dst.put((byte) 0);
                        }
                        pos += n;
                        return n;
                    }

                    @Override
                    public boolean isOpen() {
                        return open;
                    }

                    @Override
                    public void close() {
                        open = false;
                    }
                };
            }

            @Override
            public String describe() {
                return size + " zero bytes";
            }
        };
    }
}
