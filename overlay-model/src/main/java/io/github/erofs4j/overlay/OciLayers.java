package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.core.write.WriteSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * OCI image layers and overlayfs: the OCI whiteout files ({@code .wh.NAME} deletes NAME from the layers below,
 * {@code .wh..wh..opq} hides everything below its directory) turned into overlay whiteouts and opaque directories,
 * and back; and N OCI layer tarballs merged into one tree or image.
 *
 * <p>Stateless. The conversions change the tree they are given.
 */
public final class OciLayers {
    private static final byte[] WH = ".wh.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPQ = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);

    /** The form overlay whiteouts take. */
    public enum WhiteoutStyle {
        /** A 0:0 character device (what {@code mkfs.erofs --aufs} writes). */
        CHAR_DEVICE,
        /**
         * An empty regular file with an {@code overlay.whiteout} xattr in a directory marked opaque "x"; a whiteout
         * an unprivileged user can create. Honoured in lower layers only.
         */
        XATTR
    }

    private OciLayers() {}

    /**
     * Turns OCI whiteouts into overlay ones, in place: {@code .wh..wh..opq} marks its directory opaque ("y") and
     * {@code .wh.NAME} becomes a whiteout NAME with the {@code .wh.} file's owner, mode and mtime. Whiteouts beside
     * an opaque marker hide nothing more and are dropped, as is a whiteout of a name the same layer holds. Finally
     * directories holding whiteouts get an {@code overlay.origin} mark (see
     * {@link OverlayTransforms#markWhiteoutDirectories}).
     */
    public static void toOverlay(FsTree tree, OverlayOptions options, WhiteoutStyle style) {
        toOverlay(tree.root(), options.prefix(), style);
        OverlayTransforms.markWhiteoutDirectories(tree, options);
    }

    private static void toOverlay(Node dir, String p, WhiteoutStyle style) {
        boolean opaque = dir.child(OPQ) != null;
        if (opaque) {
            dir.remove(OPQ);
            dir.xattr(p + "opaque", new byte[] {'y'});
        }
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            byte[] name = e.getKey();
            Node c = e.getValue();
            if (name.length > WH.length && Arrays.equals(name, 0, WH.length, WH, 0, WH.length)) {
                dir.remove(name);
                byte[] target = Arrays.copyOfRange(name, WH.length, name.length);
                if (opaque || !Node.validName(target) || dir.child(target) != null) {
                    continue;
                }
                Node wh;
                if (style == WhiteoutStyle.CHAR_DEVICE) {
                    wh = Node.charDevice(0, 0);
                } else {
                    wh = Node.file(new byte[0]).xattr(p + "whiteout", new byte[0]);
                    dir.xattr(p + "opaque", new byte[] {'x'});
                }
                wh.owner(c.uid(), c.gid()).mtime(c.mtimeSeconds(), c.mtimeNanos()).permissions(c.permissions());
                dir.put(target, wh);
            } else if (c.type() == FileType.DIRECTORY) {
                toOverlay(c, p, style);
            }
        }
    }

    /**
     * Turns overlay whiteouts and opaque directories into OCI whiteout files, in place, and drops the overlay's
     * marks ({@code overlay.opaque}, {@code overlay.origin}). Whiteouts become empty regular files, mode 0644, with
     * the whiteout's owner and mtime; an opaque directory gets an empty {@code .wh..wh..opq}.
     *
     * @throws OverlayException {@link OverlayException.Kind#UNREPRESENTABLE} for a redirect or a metacopy file,
     *     which OCI layers cannot express
     */
    public static void toOci(FsTree tree, OverlayOptions options) throws OverlayException {
        toOci(tree.root(), options.prefix(), "");
    }

    private static void toOci(Node dir, String p, String path) throws OverlayException {
        byte[] opaque = dir.xattrs().get(p + "opaque");
        boolean x = opaque != null && Arrays.equals(opaque, new byte[] {'x'});
        dir.removeXattr(p + "opaque");
        dir.removeXattr(p + "origin");
        if (dir.xattrs().containsKey(p + "redirect")) {
            throw new OverlayException(OverlayException.Kind.UNREPRESENTABLE, path.isEmpty() ? "/" : path, -1,
                    "a redirect has no OCI form");
        }
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            byte[] name = e.getKey();
            Node c = e.getValue();
            String childPath = path + "/" + new String(name, StandardCharsets.UTF_8);
            if (OverlayTransforms.isWhiteout(c) || (x && OverlayTransforms.isXattrWhiteout(c, p))) {
                dir.remove(name);
                byte[] whName = new byte[WH.length + name.length];
                System.arraycopy(WH, 0, whName, 0, WH.length);
                System.arraycopy(name, 0, whName, WH.length, name.length);
                if (!Node.validName(whName)) {
                    throw new OverlayException(OverlayException.Kind.UNREPRESENTABLE, childPath, -1,
                            "the whiteout's OCI name is over 255 bytes");
                }
                dir.put(whName, Node.file(new byte[0]).owner(c.uid(), c.gid())
                        .mtime(c.mtimeSeconds(), c.mtimeNanos()));
            } else if (c.type() == FileType.DIRECTORY) {
                toOci(c, p, childPath);
            } else if (c.xattrs().containsKey(p + "metacopy") || c.xattrs().containsKey(p + "redirect")) {
                throw new OverlayException(OverlayException.Kind.UNREPRESENTABLE, childPath, -1,
                        "a metacopy file or redirect has no OCI form");
            }
        }
        if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
            dir.put(OPQ, Node.file(new byte[0]).mtime(dir.mtimeSeconds(), dir.mtimeNanos()));
        }
    }

    /** Reads an OCI layer tarball (plain or compressed) as an overlay layer with overlay whiteouts. */
    public static Layer fromTar(Path tarball, OverlayOptions options, WhiteoutStyle style) throws IOException {
        SourceTree src = Sources.load(tarball, SourceKind.TAR, SourceOptions.defaults());
        try {
            toOverlay(src.tree(), options, style);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
        return Layer.of(tarball.toString(), src.tree(), src);
    }

    /**
     * Merges OCI layer tarballs, listed topmost first, into the tree their overlay shows; its contents are read
     * from the returned layers, which the caller closes after the tree's last use.
     */
    public static Merged merge(List<Path> tarballsTopmostFirst) throws IOException {
        List<Layer> layers = new ArrayList<>();
        try {
            for (Path t : tarballsTopmostFirst) {
                layers.add(fromTar(t, OverlayOptions.defaults(), WhiteoutStyle.CHAR_DEVICE));
            }
            return new Merged(OverlayStack.of(layers).merge(), List.copyOf(layers));
        } catch (IOException | RuntimeException e) {
            for (Layer l : layers) {
                try {
                    l.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Merges OCI layer tarballs, listed topmost first, into one EROFS image. */
    public static WriteSummary mergeToImage(List<Path> tarballsTopmostFirst, Path image, WriteOptions options)
            throws IOException {
        try (Merged m = merge(tarballsTopmostFirst)) {
            return m.view().writeImage(image, options);
        }
    }

    /**
     * The merged view of OCI layers and the layers it reads from; closing closes the layers.
     *
     * @param view the merged view
     * @param layers the layers, topmost first
     */
    public record Merged(MergedView view, List<Layer> layers) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            IOException first = null;
            for (Layer l : layers) {
                try {
                    l.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
