package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.util.List;
import java.util.Map;

/**
 * Changes to a layer's tree before it is written: marking the directories that hold whiteouts so that overlayfs
 * hides them, and stripping overlay metadata from a tree meant to be mounted on its own.
 *
 * <p>Stateless; each method changes the tree it is given, which must not be in use elsewhere.
 */
public final class OverlayTransforms {
    private OverlayTransforms() {}

    /**
     * Gives every directory holding a whiteout (a 0:0 character device, or an xattr whiteout in a directory marked
     * opaque "x") an empty {@code overlay.origin} xattr, unless it has one. Overlayfs reads a directory that exists
     * in one layer only straight from that layer, whiteouts included, unless the directory has an origin: without
     * the mark such a directory lists names whose lookup fails.
     *
     * @return the number of directories marked
     */
    public static int markWhiteoutDirectories(FsTree tree, OverlayOptions options) {
        return mark(tree.root(), options.prefix());
    }

    private static int mark(Node dir, String p) {
        int marked = 0;
        boolean whiteouts = false;
        byte[] opaque = dir.xattrs().get(p + "opaque");
        boolean x = opaque != null && opaque.length == 1 && opaque[0] == 'x';
        for (Node c : dir.children().values()) {
            if (c.type() == FileType.DIRECTORY) {
                marked += mark(c, p);
            } else if (c.isWhiteout() || (x && isXattrWhiteout(c, p))) {
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
        return strip(tree.root());
    }

    private static int strip(Node dir) {
        int removed = 0;
        dir.removeXattr("trusted.overlay.opaque");
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            Node c = e.getValue();
            if (c.isWhiteout()) {
                dir.remove(e.getKey());
                removed++;
            } else if (c.type() == FileType.DIRECTORY) {
                removed += strip(c);
            } else {
                c.removeXattr("trusted.overlay.opaque");
            }
        }
        return removed;
    }
}
