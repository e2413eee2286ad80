package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Changes to a layer's tree before it is written: turning AUFS/OCI whiteout files into overlayfs whiteouts, marking
 * the directories that hold whiteouts so that overlayfs hides them, and stripping overlay metadata from a tree
 * meant to be mounted on its own. The writer knows nothing of overlayfs: {@code erofs mkfs --aufs} and
 * {@code --ovlfs-strip} are these transforms.
 *
 * <p>Stateless; each method changes the tree it is given, which must not be in use elsewhere.
 */
public final class OverlayTransforms {
    private OverlayTransforms() {}

    private static final String TRUSTED = OverlayOptions.XattrNamespace.TRUSTED.prefix();
    private static final byte[] WH = ".wh.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPQ = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);

    /** Whether a node is a whiteout in its first form: a 0:0 character device. */
    public static boolean isWhiteout(Node n) {
        return n.type() == FileType.CHAR_DEVICE && n.rdevMajor() == 0 && n.rdevMinor() == 0;
    }

    /**
     * Gives every directory holding a whiteout (a 0:0 character device, or an xattr whiteout in a directory marked
     * opaque "x") an empty {@code overlay.origin} xattr, unless it has one. Overlayfs reads a directory that exists
     * in one layer only straight from that layer, whiteouts included, unless the directory has an origin: without
     * the mark such a directory lists names whose lookup fails.
     *
     * @return the number of directories marked
     */
    public static int markWhiteoutDirectories(FsTree tree, OverlayOptions options) {
        return mark(tree.root(), options.prefix(), OverlayTransforms::isWhiteout, true);
    }

    /**
     * Marks directories as {@code mkfs.erofs} does: every directory holding a 0:0 character device that
     * {@code counts} gets an empty {@code trusted.overlay.origin} xattr, unless it has one (xattr whiteouts do not
     * count). mkfs.erofs counts every 0:0 device of a directory (or cpio archive) but, of a tarball, only those
     * it made from {@code .wh.} markers ({@link #aufsToOverlay}): a 0:0 device in a tarball is a plain device.
     *
     * @param counts which 0:0 devices are overlayfs whiteouts
     * @return the number of directories marked
     */
    public static int markOrigins(FsTree tree, Predicate<Node> counts) {
        return mark(tree.root(), TRUSTED, n -> isWhiteout(n) && counts.test(n), false);
    }

    private static int mark(Node dir, String p, Predicate<Node> whiteout, boolean xattrWhiteouts) {
        int marked = 0;
        boolean whiteouts = false;
        byte[] opaque = dir.xattrs().get(p + "opaque");
        boolean x = xattrWhiteouts && opaque != null && opaque.length == 1 && opaque[0] == 'x';
        for (Node c : dir.children().values()) {
            if (c.type() == FileType.DIRECTORY) {
                marked += mark(c, p, whiteout, xattrWhiteouts);
            } else if (whiteout.test(c) || (x && isXattrWhiteout(c, p))) {
                whiteouts = true;
            }
        }
        if (whiteouts && !dir.xattrs().containsKey(p + "origin")) {
            dir.xattr(p + "origin", new byte[0]);
            marked++;
        }
        return marked;
    }

    static boolean isXattrWhiteout(Node n, String p) {
        return n.type() == FileType.REGULAR && n.size() == 0 && n.xattrs().containsKey(p + "whiteout");
    }

    /**
     * Strips overlay metadata as {@code mkfs.erofs --ovlfs-strip=1} does: removes every 0:0 character device
     * (whiteout) and every {@code trusted.overlay.opaque} xattr.
     *
     * @return the number of whiteouts removed
     */
    public static int strip(FsTree tree) {
        return strip(tree, n -> true);
    }

    /**
     * Strips overlay metadata as {@code mkfs.erofs --ovlfs-strip=1} does: a directory holding a 0:0 character
     * device that {@code counts} (see {@link #markOrigins}) loses all its 0:0 devices, and every entry loses its
     * {@code trusted.overlay.opaque} xattr.
     *
     * @param counts which 0:0 devices are overlayfs whiteouts
     * @return the number of whiteouts removed
     */
    public static int strip(FsTree tree, Predicate<Node> counts) {
        return strip(tree.root(), counts);
    }

    private static int strip(Node dir, Predicate<Node> counts) {
        int removed = 0;
        dir.removeXattr(TRUSTED + "opaque");
        boolean whiteouts = false;
        for (Node c : dir.children().values()) {
            whiteouts |= isWhiteout(c) && counts.test(c);
        }
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            Node c = e.getValue();
            if (whiteouts && isWhiteout(c)) {
                dir.remove(e.getKey());
                removed++;
            } else if (c.type() == FileType.DIRECTORY) {
                removed += strip(c, counts);
            } else {
                c.removeXattr(TRUSTED + "opaque");
            }
        }
        return removed;
    }

    /**
     * Turns AUFS/OCI whiteout files into overlayfs form as {@code mkfs.erofs --aufs} does, in place:
     * {@code .wh.NAME} becomes a 0:0 character device NAME (mode 0000, the marker's owner and mtime), replacing an
     * entry of that name, and {@code .wh..wh..opq} marks its directory opaque ({@code trusted.overlay.opaque=y}).
     * Unlike {@link OciLayers#toOverlay}, whiteouts beside an opaque marker stay and no directory is marked.
     *
     * @param warnings told of each marker skipped (a whiteout for a name over 255 bytes)
     * @return the whiteouts made, by identity: for {@link #markOrigins} and {@link #strip(FsTree, Predicate)},
     *     to which they count whatever the source
     */
    public static Set<Node> aufsToOverlay(FsTree tree, Consumer<WriteEvent.Warning> warnings) {
        Set<Node> made = Collections.newSetFromMap(new IdentityHashMap<>());
        aufs(tree.root(), "", warnings, made);
        return made;
    }

    private static void aufs(Node dir, String path, Consumer<WriteEvent.Warning> warnings, Set<Node> made) {
        for (byte[] name : List.copyOf(dir.children().keySet())) {
            Node child = dir.child(name);
            String childPath = path + "/" + new String(name, StandardCharsets.UTF_8);
            if (Arrays.equals(name, OPQ)) {
                dir.remove(name);
                dir.xattr(TRUSTED + "opaque", new byte[] {'y'});
            } else if (name.length > WH.length && Arrays.equals(name, 0, WH.length, WH, 0, WH.length)) {
                dir.remove(name);
                byte[] target = Arrays.copyOfRange(name, WH.length, name.length);
                if (!Node.validName(target)) {
                    warnings.accept(new WriteEvent.Warning(childPath, "whiteout for an invalid name skipped"));
                    continue;
                }
                Node wh = Node.charDevice(0, 0).owner(child.uid(), child.gid())
                        .mtime(child.mtimeSeconds(), child.mtimeNanos()).permissions(0);
                dir.put(target, wh);
                made.add(wh);
            } else if (child.type() == FileType.DIRECTORY) {
                aufs(child, childPath, warnings, made);
            }
        }
    }
}
