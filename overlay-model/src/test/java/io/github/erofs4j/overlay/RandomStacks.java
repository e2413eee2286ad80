package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random overlay stacks from a seed: two to four layers over a small pool of names (so that they overlap), with
 * both whiteout kinds, opaque directories, redirects, metacopy files and data-only layers as the options allow,
 * and private and escaped overlay xattrs.
 */
final class RandomStacks {
    static final String[] NAMES = {"a", "b", "c", "d", "e"};
    private static final int[] PERMS = {0755, 0644, 0700, 0600, 0555, 01777, 04755, 02750};
    private static final long[] IDS = {0, 1, 1000, 65534};

    /** Layers as trees (topmost first), data-only trees, and options. */
    record Stack(List<FsTree> layers, List<FsTree> dataOnly, OverlayOptions options) {
        OverlayStack toStack() {
            OverlayStack.Builder b = OverlayStack.builder().options(options);
            for (int i = 0; i < layers.size(); i++) {
                b.lower(Layer.of("layer" + i, layers.get(i)));
            }
            for (int i = 0; i < dataOnly.size(); i++) {
                b.dataOnly(Layer.of("data" + i, dataOnly.get(i)));
            }
            return b.build();
        }
    }

    /** A readable listing of a stack's layers, for failure messages. */
    static String dump(Stack s) {
        StringBuilder sb = new StringBuilder(s.options().toString()).append('\n');
        for (int i = 0; i < s.layers().size(); i++) {
            sb.append("layer ").append(i).append(":\n");
            dump(s.layers().get(i).root(), "/", sb);
        }
        for (int i = 0; i < s.dataOnly().size(); i++) {
            sb.append("data-only ").append(i).append(":\n");
            dump(s.dataOnly().get(i).root(), "/", sb);
        }
        return sb.toString();
    }

    private static void dump(Node n, String path, StringBuilder sb) {
        sb.append("  ").append(path).append(' ').append(n.type()).append(OverlayTransforms.isWhiteout(n) ? " WHITEOUT" : "")
                .append(" size=").append(n.size());
        n.xattrs().forEach((k, v) -> {
            if (k.contains("overlay.")) {
                sb.append(' ').append(k).append('=').append(new String(v, StandardCharsets.ISO_8859_1)
                        .replaceAll("[^ -~]", "?"));
            }
        });
        sb.append('\n');
        if (n.type() == FileType.DIRECTORY) {
            for (Map.Entry<byte[], Node> e : n.children().entrySet()) {
                String name = new String(e.getKey(), StandardCharsets.UTF_8);
                dump(e.getValue(), path.equals("/") ? "/" + name : path + "/" + name, sb);
            }
        }
    }

    /** The overlay features a stack uses, for the properties' statistics. */
    static java.util.SortedSet<String> features(Stack s) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        String p = s.options().prefix();
        for (FsTree t : s.layers()) {
            features(t.root(), p, out);
        }
        if (!s.dataOnly().isEmpty()) {
            out.add("data-only");
        }
        return out;
    }

    private static void features(Node n, String p, java.util.SortedSet<String> out) {
        if (OverlayTransforms.isWhiteout(n)) {
            out.add("chardev-whiteout");
        }
        if (n.xattrs().containsKey(p + "whiteout")) {
            out.add("xattr-whiteout");
        }
        byte[] o = n.xattrs().get(p + "opaque");
        if (o != null && o.length == 1 && o[0] == 'y') {
            out.add("opaque");
        }
        if (n.xattrs().containsKey(p + "redirect")) {
            out.add(n.type() == FileType.DIRECTORY ? "dir-redirect" : "metacopy-redirect");
        }
        if (n.xattrs().containsKey(p + "metacopy")) {
            out.add("metacopy");
        }
        if (n.type() == FileType.DIRECTORY) {
            for (Node c : n.children().values()) {
                features(c, p, out);
            }
        }
    }

    private final Random r;
    private final String p;
    private final OverlayOptions opt;

    private RandomStacks(long seed, OverlayOptions opt) {
        this.r = new Random(seed);
        this.opt = opt;
        this.p = opt.prefix();
    }

    static OverlayOptions options(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        if (r.nextInt(5) == 0) {
            return OverlayOptions.userXattr();
        }
        boolean follow = r.nextInt(4) != 0;
        return OverlayOptions.builder().followRedirects(follow).metacopy(follow && r.nextInt(3) != 0).build();
    }

    /** A random stack whose merge succeeds (metacopy files without matching data are made plain files). */
    static Stack generate(long seed) {
        OverlayOptions opt = options(seed);
        return new RandomStacks(seed, opt).stack();
    }

    /** One random tree without overlay features, for diff targets and lowers. */
    static FsTree plainTree(long seed, OverlayOptions opt) {
        RandomStacks g = new RandomStacks(seed, opt);
        FsTree t = new FsTree();
        g.attrs(t.root());
        g.fill(t.root(), 0, true, false, false);
        return t;
    }

    private Stack stack() {
        int n = 2 + r.nextInt(3);
        List<FsTree> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FsTree t = new FsTree();
            attrs(t.root());
            boolean last = i == n - 1;
            fill(t.root(), 0, last, !last && r.nextBoolean(), true);
            OverlayTransforms.markWhiteoutDirectories(t, opt);
            layers.add(t);
        }
        if (opt.followRedirects()) {
            addRedirects(layers);
        }
        List<FsTree> data = new ArrayList<>();
        if (opt.metacopy()) {
            addMetacopy(layers);
            if (r.nextBoolean()) {
                data.add(dataLayer(layers));
            }
        }
        Stack s = new Stack(layers, data, opt);
        for (int attempt = 0; ; attempt++) {
            try {
                s.toStack().merge();
                return s;
            } catch (OverlayException e) {
                if (e.kind() == OverlayException.Kind.LISTED_WHITEOUT && attempt <= 50) {
                    layers.get(e.layer()).remove(e.path());
                    continue;
                }
                if (attempt > 50 || (e.kind() != OverlayException.Kind.METACOPY_WITHOUT_DATA
                        && e.kind() != OverlayException.Kind.METACOPY_SIZE_MISMATCH)) {
                    throw new IllegalStateException(e);
                }
                Node f = layers.get(e.layer()).get(e.path());
                f.removeXattr(p + "metacopy");
                f.removeXattr(p + "redirect");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void fill(Node dir, int depth, boolean last, boolean xattrWhiteouts, boolean overlayFeatures) {
        for (String name : NAMES) {
            if (r.nextInt(100) >= 45) {
                continue;
            }
            int k = r.nextInt(100);
            Node c;
            if (depth < 2 && k < 35) {
                c = Node.directory();
                attrs(c);
                fill(c, depth + 1, last, xattrWhiteouts, overlayFeatures);
                // Opaque "y" would hide the "x" mark of a directory holding xattr whiteouts.
                if (overlayFeatures && !last && r.nextInt(8) == 0 && !c.xattrs().containsKey(p + "opaque")) {
                    c.xattr(p + "opaque", new byte[] {'y'});
                }
            } else if (k < 65) {
                c = Node.file(content());
                attrs(c);
            } else if (k < 72) {
                c = Node.symlink("t" + r.nextInt(3));
                attrs(c);
                c.permissions(0777);
            } else if (k < 76) {
                c = Node.fifo();
                attrs(c);
            } else if (!overlayFeatures) {
                c = Node.file(content());
                attrs(c);
            } else if (xattrWhiteouts) {
                c = Node.file(new byte[0]).xattr(p + "whiteout", new byte[0]);
                attrs(c);
                if (!dir.xattrs().containsKey(p + "opaque")) {
                    dir.xattr(p + "opaque", new byte[] {'x'});
                }
            } else {
                c = Node.charDevice(0, 0);
            }
            dir.put(name, c);
        }
    }

    private byte[] content() {
        int len = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(40);
            case 2 -> 100 + r.nextInt(3000);
            default -> 4096 + r.nextInt(9000);
        };
        byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    private void attrs(Node n) {
        n.permissions(PERMS[r.nextInt(PERMS.length)]).owner(IDS[r.nextInt(IDS.length)], IDS[r.nextInt(IDS.length)])
                .mtime(r.nextInt(2_000_000_000), r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
        // Linux allows user.* xattrs on regular files and directories only.
        boolean userOk = n.type() == FileType.REGULAR || n.type() == FileType.DIRECTORY;
        if (r.nextInt(10) < 3 && userOk) {
            n.xattr("user.k" + r.nextInt(2), bytes(1 + r.nextInt(8)));
        }
        if (r.nextInt(10) == 0 && (userOk || !p.startsWith("user."))) {
            n.xattr(p + "overlay.e" + r.nextInt(2), bytes(1 + r.nextInt(4)));
        }
        if (r.nextInt(20) == 0 && (userOk || !p.startsWith("user."))) {
            n.xattr(p + "private", bytes(2));
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Paths (without a leading slash) of the directories and regular files of a tree. */
    private static void collect(Node dir, String prefix, List<String> dirs, List<String> files) {
        for (Map.Entry<byte[], Node> e : dir.children().entrySet()) {
            String path = prefix + new String(e.getKey(), StandardCharsets.UTF_8);
            Node c = e.getValue();
            if (c.type() == FileType.DIRECTORY) {
                dirs.add(path);
                collect(c, path + "/", dirs, files);
            } else if (c.type() == FileType.REGULAR && !c.xattrs().containsKey("trusted.overlay.whiteout")) {
                files.add(path);
            }
        }
    }

    private void addRedirects(List<FsTree> layers) {
        for (int i = 0; i < layers.size() - 1; i++) {
            List<String> dirs = new ArrayList<>();
            collect(layers.get(i).root(), "", dirs, new ArrayList<>());
            List<String> below = new ArrayList<>();
            for (int j = i + 1; j < layers.size(); j++) {
                collect(layers.get(j).root(), "", below, new ArrayList<>());
            }
            for (String d : dirs) {
                if (r.nextInt(5) != 0) {
                    continue;
                }
                byte[] v = !below.isEmpty() && r.nextBoolean()
                        ? ("/" + below.get(r.nextInt(below.size()))).getBytes(StandardCharsets.UTF_8)
                        : NAMES[r.nextInt(NAMES.length)].getBytes(StandardCharsets.UTF_8);
                layers.get(i).get(d).xattr(p + "redirect", v);
            }
        }
    }

    private void addMetacopy(List<FsTree> layers) {
        for (int j = 1; j < layers.size(); j++) {
            List<String> files = new ArrayList<>();
            collect(layers.get(j).root(), "", new ArrayList<>(), files);
            for (String f : files) {
                if (r.nextInt(3) != 0) {
                    continue;
                }
                int i = r.nextInt(j);
                long size = layers.get(j).get(f).size();
                String at = f;
                boolean redirect = r.nextInt(3) == 0;
                if (redirect) {
                    at = NAMES[r.nextInt(NAMES.length)] + "m";
                }
                placeMetacopy(layers.get(i), at, size, redirect ? "/" + f : null);
            }
        }
    }

    private FsTree dataLayer(List<FsTree> layers) {
        FsTree data = new FsTree();
        attrs(data.root());
        Node dd = data.root().directory("dd");
        attrs(dd);
        for (int k = 0; k < 3; k++) {
            Node f = Node.file(content());
            attrs(f);
            dd.put("f" + k, f);
            int i = r.nextInt(layers.size() - 1);
            placeMetacopy(layers.get(i), NAMES[r.nextInt(NAMES.length)] + "d" + k, f.size(), "/dd/f" + k);
        }
        return data;
    }

    /** Puts a metacopy file (zeros of the given size) at a path of a layer, if its parents can be directories. */
    private void placeMetacopy(FsTree layer, String path, long size, String redirect) {
        List<byte[]> parts = FsTree.split(path.getBytes(StandardCharsets.UTF_8));
        Node dir = layer.root();
        for (int k = 0; k < parts.size() - 1; k++) {
            Node c = dir.child(parts.get(k));
            if (c == null) {
                c = Node.directory();
                attrs(c);
                dir.put(parts.get(k), c);
            } else if (c.type() != FileType.DIRECTORY) {
                return;
            }
            dir = c;
        }
        byte[] name = parts.get(parts.size() - 1);
        Node old = dir.child(name);
        if (old != null && old.type() == FileType.DIRECTORY) {
            return;
        }
        Node m = Node.file(new byte[(int) size]);
        attrs(m);
        byte[] mc = new byte[0];
        if (r.nextBoolean()) {
            mc = new byte[36];
            r.nextBytes(mc);
            mc[0] = 0;
            mc[1] = 36;
            mc[2] = 0;
            mc[3] = 1;
        }
        m.xattr(p + "metacopy", mc);
        if (redirect != null) {
            m.xattr(p + "redirect", redirect.getBytes(StandardCharsets.UTF_8));
        }
        dir.put(name, m);
    }
}
