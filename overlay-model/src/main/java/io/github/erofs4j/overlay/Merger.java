package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a stack's merged view the way overlayfs looks names up: layer by layer from the top, a whiteout ending
 * the search, a non-directory ending it unless it is a metacopy file still looking for its data, a directory
 * merging with the directories below it unless it is opaque, and redirects changing the name looked up in the
 * layers below. A directory lists the names of all the directories it merges that look up to something.
 */
final class Merger {
    /** One directory of a merged directory's stack: the layer and the directory's node in it. */
    private record Frame(int layer, Node dir, boolean xwhiteouts) {}

    /**
     * The result of walking an absolute redirect in one layer: the node, whether the lookup ends before or after
     * this layer, the path the layers below look up (redirects of the directories on the way change it), and
     * whether the last redirect check on the way found an absolute redirect (null when no directory was checked).
     */
    private record Walk(Node node, boolean stopHere, boolean stopAfter, List<byte[]> path, Boolean absolute) {}

    private final List<Node> roots = new ArrayList<>();
    private final List<Node> dataRoots = new ArrayList<>();
    private final boolean hasUpper;
    private final OverlayOptions opt;
    private final String p;
    private final IdentityHashMap<Node, Node> merged = new IdentityHashMap<>();
    private final IdentityHashMap<Node, MergedView.Origin> origins = new IdentityHashMap<>();
    /** The number of names of each non-directory of the regular layers, counted once per layer tree. */
    private final IdentityHashMap<Node, Integer> links = new IdentityHashMap<>();

    Merger(OverlayStack stack) {
        stack.layers().forEach(l -> roots.add(l.root()));
        stack.dataOnly().forEach(l -> dataRoots.add(l.root()));
        this.hasUpper = stack.upper() != null;
        this.opt = stack.options();
        this.p = opt.prefix();
        for (Node r : roots) {
            countLinks(r, 0);
        }
    }

    private void countLinks(Node dir, int depth) {
        if (dir.type() != FileType.DIRECTORY || depth > 4096) {
            return;
        }
        for (Node c : dir.children().values()) {
            if (c.type() == FileType.DIRECTORY) {
                countLinks(c, depth + 1);
            } else {
                links.merge(c, 1, Integer::sum);
            }
        }
    }

    MergedView merge() throws OverlayException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Node r = roots.get(i);
            if (r.type() != FileType.DIRECTORY) {
                throw new OverlayException(OverlayException.Kind.BAD_LAYER, "/", i, "the root is not a directory");
            }
            frames.add(new Frame(i, r, xwhiteoutsMark(r, i)));
        }
        FsTree out = new FsTree();
        visibleAttributes(out.root(), roots.get(0));
        origins.put(out.root(), new MergedView.Origin(0, -1, 0, null));
        mergeDir(frames, out.root(), "");
        return new MergedView(out, origins, opt);
    }

    private void mergeDir(List<Frame> frames, Node out, String path) throws OverlayException {
        // readdir: a directory of one layer without an origin mark is read as it is, whiteouts included; a merged
        // one lists each name as its topmost layer has it, leaving out whiteouts (xattr whiteouts only where the
        // directory is marked for them). The root counts as merged when data-only layers are there (their roots
        // are in its lower stack), whatever the regular layers: composefs images hide their root's whiteouts so.
        boolean real = frames.size() == 1 && !frames.get(0).dir().xattrs().containsKey(p + "origin")
                && !(path.isEmpty() && !dataRoots.isEmpty());
        boolean dirX = false;
        for (Frame f : frames) {
            dirX |= f.xwhiteouts();
        }
        TreeMap<byte[], Integer> listed = new TreeMap<>(Node.NAME_ORDER);
        TreeSet<byte[]> seen = new TreeSet<>(Node.NAME_ORDER);
        for (Frame f : frames) {
            for (Map.Entry<byte[], Node> e : f.dir().children().entrySet()) {
                if (!seen.add(e.getKey())) {
                    continue;
                }
                Node c = e.getValue();
                boolean whiteout = !real && (OverlayTransforms.isWhiteout(c)
                        || (dirX && f.xwhiteouts() && OverlayTransforms.isXattrWhiteout(c, p)));
                if (!whiteout) {
                    listed.put(e.getKey(), f.layer());
                }
            }
        }
        for (Map.Entry<byte[], Integer> e : listed.entrySet()) {
            byte[] name = e.getKey();
            String childPath = path + "/" + new String(name, StandardCharsets.UTF_8);
            List<Frame> childFrames = new ArrayList<>();
            Node child = lookup(frames, name, childPath, childFrames);
            if (child == null) {
                throw new OverlayException(OverlayException.Kind.LISTED_WHITEOUT, childPath, e.getValue(),
                        "a whiteout the directory listing shows (mark its directory with " + p + "origin, or "
                                + p + "opaque=x for an xattr whiteout)");
            }
            out.put(name, child);
            if (child.type() == FileType.DIRECTORY) {
                mergeDir(childFrames, child, childPath);
            }
        }
    }

    /**
     * Looks a name up below a merged directory; returns the merged node (null when nothing shows) and fills
     * {@code stack} with the directories a merged directory is made of.
     */
    private Node lookup(List<Frame> parent, byte[] name, String path, List<Frame> stack) throws OverlayException {
        int n = roots.size();
        Node top = null;
        int topLayer = -1;
        boolean isDir = false;
        Node data = null;
        int dataLayer = -1;
        byte[] cur = name;
        List<byte[]> abs = null;
        // Whether the last redirect check (of a directory on the way or of the entry itself) found an absolute
        // redirect: only then does the kernel look a metacopy file's data up in the data-only layers.
        boolean absRedirect = false;
        int nextAbs = n;
        int pi = 0;
        while (true) {
            int layer;
            Node here;
            boolean last;
            boolean stopAfter = false;
            if (abs == null) {
                if (pi >= parent.size()) {
                    break;
                }
                Frame f = parent.get(pi++);
                layer = f.layer();
                here = f.dir().child(cur);
                last = opt.followRedirects() ? layer == n - 1 : pi == parent.size();
            } else {
                if (nextAbs >= n) {
                    break;
                }
                layer = nextAbs++;
                last = layer == n - 1;
                // The kernel checks the directories on the way for opaque marks and redirects except in the
                // last layer, which for a file is never last when data-only layers are there.
                Walk w = walk(roots.get(layer), abs, !last || (!isDir && !dataRoots.isEmpty()));
                abs = w.path();
                if (w.absolute() != null) {
                    absRedirect = w.absolute();
                }
                if (w.stopHere()) {
                    break;
                }
                here = w.node();
                stopAfter = w.stopAfter();
            }
            if (here == null) {
                if (stopAfter) {
                    break;
                }
                continue;
            }
            if (isWhiteout(here)) {
                break;
            }
            if (here.type() == FileType.DIRECTORY) {
                if (top != null && !isDir) {
                    break; // a metacopy file looking for data found a directory
                }
                if (top == null) {
                    top = here;
                    topLayer = layer;
                    isDir = true;
                }
                byte[] opaque = last ? null : here.xattrs().get(p + "opaque");
                if (isFlag(opaque, 'y')) {
                    stack.add(new Frame(layer, here, false));
                    break;
                }
                stack.add(new Frame(layer, here, !last && xwhiteoutsMark(here, layer)));
            } else {
                if (isDir) {
                    break; // a non-directory below a directory is not merged with it
                }
                if (top != null && here.type() != FileType.REGULAR) {
                    break;
                }
                boolean metacopy = here.type() == FileType.REGULAR && opt.metacopy() && isMetacopy(here, path, layer);
                if (top == null) {
                    top = here;
                    topLayer = layer;
                }
                if (!metacopy) {
                    data = here;
                    dataLayer = layer;
                    break;
                }
                if (last && (!opt.followRedirects() || dataRoots.isEmpty())) {
                    break;
                }
            }
            // The kernel checks an entry for a redirect unless it is in the last layer (a metacopy file is never in
            // the last layer when data-only layers are there): an absolute one resumes a lookup an opaque directory
            // on its way stopped.
            byte[] r = !last || !isDir ? here.xattrs().get(p + "redirect") : null;
            if (opt.followRedirects() && (!last || !isDir)) {
                absRedirect = r != null && r.length > 0 && r[0] == '/';
                if (absRedirect) {
                    stopAfter = false;
                }
            }
            if (stopAfter) {
                break;
            }
            if (opt.followRedirects() && (!last || !isDir)) {
                if (r != null && r.length > 0) {
                    if (r[0] == '/') {
                        abs = FsTree.split(r);
                        nextAbs = layer + 1;
                    } else if (indexOf(r, (byte) '/') < 0 && Node.validName(r)) {
                        if (abs == null) {
                            cur = r;
                        } else if (!abs.isEmpty()) {
                            abs.set(abs.size() - 1, r);
                        }
                    }
                }
            }
        }
        if (top == null) {
            return null;
        }
        if (isDir) {
            Node out = Node.directory();
            visibleAttributes(out, top);
            origins.put(out, new MergedView.Origin(topLayer, -1, 0, null));
            return out;
        }
        if (top.type() == FileType.REGULAR && data == null) {
            if (abs != null && absRedirect) {
                for (int j = 0; j < dataRoots.size() && data == null; j++) {
                    Node d = get(dataRoots.get(j), abs);
                    if (d != null && d.type() == FileType.REGULAR) {
                        data = d;
                        dataLayer = n + j;
                    }
                }
            }
            if (data == null) {
                throw new OverlayException(OverlayException.Kind.METACOPY_WITHOUT_DATA, path, topLayer,
                        "metacopy file without data below it");
            }
        }
        int nlink = links.getOrDefault(top, 1);
        Node known = nlink > 1 ? merged.get(top) : null;
        if (known != null) {
            return known; // another name of a hard link of the layer
        }
        Node out = switch (top.type()) {
            case REGULAR -> {
                if (data != top && data.size() != top.size()) {
                    throw new OverlayException(OverlayException.Kind.METACOPY_SIZE_MISMATCH, path, topLayer,
                            "metacopy file of " + top.size() + " bytes over data of " + data.size() + " bytes (layer "
                                    + dataLayer + ")");
                }
                yield Node.file(data.content());
            }
            case SYMLINK -> Node.symlink(top.symlinkTarget());
            case CHAR_DEVICE -> Node.charDevice(top.rdevMajor(), top.rdevMinor());
            case BLOCK_DEVICE -> Node.blockDevice(top.rdevMajor(), top.rdevMinor());
            case FIFO -> Node.fifo();
            case SOCKET -> Node.socket();
            case DIRECTORY -> throw new AssertionError();
        };
        visibleAttributes(out, top);
        merged.put(top, out);
        int dataFrom = top.type() == FileType.REGULAR ? dataLayer : -1;
        origins.put(out, new MergedView.Origin(topLayer, dataFrom, nlink, top));
        return out;
    }

    /**
     * Walks an absolute redirect's path from a layer's root, stopping as a path lookup in that layer would. Unless
     * in the last layer ({@code checks} false), a directory on the way that is opaque stops the lookup after this
     * layer, and one with a redirect changes the path the layers below look up, as the kernel's lookup does: an
     * absolute redirect replaces the components up to that directory (and resumes a stopped lookup), a relative one
     * replaces that directory's name. This is how a file redirected through a directory renamed in a middle layer
     * finds its data, or, renamed to a path that the layers below lack, none.
     */
    private Walk walk(Node root, List<byte[]> path, boolean checks) {
        Node d = root;
        boolean stopAfter = false;
        Boolean absolute = null;
        List<byte[]> next = path;
        for (int k = 0; k < path.size(); k++) {
            Node c = d.child(path.get(k));
            if (c == null) {
                return new Walk(null, false, stopAfter, next, absolute);
            }
            if (k == path.size() - 1) {
                return new Walk(c, false, stopAfter, next, absolute);
            }
            if (isWhiteout(c) || c.type() != FileType.DIRECTORY) {
                return new Walk(null, true, true, next, absolute);
            }
            if (checks && isFlag(c.xattrs().get(p + "opaque"), 'y')) {
                stopAfter = true;
            } else if (checks) {
                byte[] r = c.xattrs().get(p + "redirect");
                absolute = r != null && r.length > 0 && r[0] == '/';
                List<byte[]> rest = next.subList(next.size() - (path.size() - k - 1), next.size());
                List<byte[]> changed = null;
                if (absolute) {
                    changed = new ArrayList<>(FsTree.split(r));
                    stopAfter = false;
                } else if (r != null && r.length > 0 && indexOf(r, (byte) '/') < 0 && Node.validName(r)) {
                    changed = new ArrayList<>(next.subList(0, next.size() - rest.size() - 1));
                    changed.add(r);
                }
                if (changed != null) {
                    changed.addAll(rest);
                    next = changed;
                }
            }
            d = c;
        }
        return new Walk(null, true, true, next, absolute); // an empty absolute redirect names the root
    }

    private static Node get(Node root, List<byte[]> path) {
        Node d = root;
        for (byte[] c : path) {
            if (d.type() != FileType.DIRECTORY) {
                return null;
            }
            d = d.child(c);
            if (d == null) {
                return null;
            }
        }
        return d;
    }

    /** Whether a directory in a layer holds xattr whiteouts the overlay honours: opaque "x", not upper, not last. */
    private boolean xwhiteoutsMark(Node dir, int layer) {
        return !(hasUpper && layer == 0) && layer != roots.size() - 1 && isFlag(dir.xattrs().get(p + "opaque"), 'x');
    }

    /** Lookup's test: a 0:0 character device, or an empty regular file with an overlay.whiteout xattr. */
    private boolean isWhiteout(Node n) {
        return OverlayTransforms.isWhiteout(n) || OverlayTransforms.isXattrWhiteout(n, p);
    }

    private boolean isMetacopy(Node n, String path, int layer) throws OverlayException {
        byte[] v = n.xattrs().get(p + "metacopy");
        if (v == null) {
            return false;
        }
        if (v.length == 0) {
            return true;
        }
        // Version, length, flags and digest algorithm, then the digest (at most 64 bytes).
        if (v.length < 4 || v.length > 4 + 64 || v[0] != 0 || (v[1] & 0xFF) != v.length) {
            throw new OverlayException(OverlayException.Kind.BAD_METACOPY, path, layer,
                    "malformed " + p + "metacopy xattr of " + v.length + " bytes");
        }
        return true;
    }

    private static boolean isFlag(byte[] v, char c) {
        return v != null && v.length == 1 && v[0] == c;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Owner, mode, mtime and the xattrs the overlay shows: private ones hidden, escaped ones unescaped. */
    private void visibleAttributes(Node out, Node top) {
        out.copyAttributesFrom(top);
        String escaped = p + "overlay.";
        List<Map.Entry<String, byte[]>> unescaped = new ArrayList<>();
        for (Map.Entry<String, byte[]> x : List.copyOf(top.xattrs().entrySet())) {
            String name = x.getKey();
            if (name.startsWith(p)) {
                out.removeXattr(name);
                if (name.startsWith(escaped) && name.length() > escaped.length()) {
                    unescaped.add(Map.entry(p + name.substring(escaped.length()), x.getValue()));
                }
            }
        }
        for (Map.Entry<String, byte[]> x : unescaped) {
            out.xattr(x.getKey(), x.getValue());
        }
    }
}
