package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * First stage of the writer: turns a tree into inode plans, breadth-first from the root (children in name
 * order, hard links merged into one inode), with owners, mtimes, link counts, xattrs and each directory's
 * entries ("." and ".." included, in unsigned byte order of their names). Applies the ownership and time rules
 * of the options (the tree's overlayfs metadata is written as it stands). Serial numbers follow the order of the returned list, the root first.
 */
final class TreeCollector {
    private final WriteOptions opt;
    private final List<InodePlan> inodes = new ArrayList<>();

    private TreeCollector(WriteOptions opt) {
        this.opt = opt;
    }

    /** The tree's inodes in breadth-first order, the root first. */
    static List<InodePlan> collect(FsTree tree, WriteOptions opt) throws IOException {
        TreeCollector c = new TreeCollector(opt);
        c.walk(tree.root());
        return c.inodes;
    }

    private void walk(Node rootNode) throws IOException {
        IdentityHashMap<Node, InodePlan> seen = new IdentityHashMap<>();
        InodePlan root = newPlan(rootNode, "/");
        seen.put(rootNode, root);
        ArrayDeque<InodePlan> queue = new ArrayDeque<>();
        queue.add(root);
        Map<InodePlan, InodePlan> parents = new IdentityHashMap<>();
        parents.put(root, root);
        while (!queue.isEmpty()) {
            InodePlan dir = queue.poll();
            List<byte[]> names = new ArrayList<>();
            List<InodePlan> targets = new ArrayList<>();
            int subdirs = 0;
            for (Map.Entry<byte[], Node> e : dir.node.childrenRaw().entrySet()) {
                Node child = e.getValue();
                byte[] name = e.getKey();
                String childPath = (dir.path.equals("/") ? "/" : dir.path + "/")
                        + new String(name, StandardCharsets.UTF_8);
                if (!Node.validName(name)) {
                    throw new IOException(childPath + ": invalid name (" + name.length + " bytes)");
                }
                InodePlan p = seen.get(child);
                if (p == null) {
                    p = newPlan(child, childPath);
                    seen.put(child, p);
                    if (child.type() == FileType.DIRECTORY) {
                        parents.put(p, dir);
                        queue.add(p);
                    }
                } else if (child.type() == FileType.DIRECTORY) {
                    throw new IOException(childPath + ": directory " + p.path + " is linked twice");
                }
                if (child.type() == FileType.DIRECTORY) {
                    subdirs++;
                } else {
                    p.nlink++;
                }
                names.add(name);
                targets.add(p);
            }
            dir.nlink = 2L + subdirs;
            // "." and ".." take part in the byte order like any other name.
            names.add(new byte[] {'.'});
            targets.add(dir);
            names.add(new byte[] {'.', '.'});
            targets.add(parents.get(dir));
            Integer[] order = new Integer[names.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names.get(a), names.get(b)));
            dir.dirNames = new byte[order.length][];
            dir.dirTargets = new InodePlan[order.length];
            for (int i = 0; i < order.length; i++) {
                dir.dirNames[i] = names.get(order[i]);
                dir.dirTargets[i] = targets.get(order[i]);
            }
        }
    }

    private InodePlan newPlan(Node n, String path) {
        InodePlan p = new InodePlan(n, path, inodes.size() + 1L);
        inodes.add(p);
        p.uid = opt.owners().uid(n.uid());
        p.gid = opt.owners().gid(n.gid());
        long t = n.mtimeSeconds();
        int ns = n.mtimeNanos();
        boolean toBuildTime = switch (opt.timestamps()) {
            case PRESERVE -> false;
            case BUILD_TIME -> true;
            case CLAMP -> t > opt.buildTime() || (t == opt.buildTime() && ns > 0);
        };
        if (toBuildTime || opt.inodeFormat() == WriteOptions.InodeFormat.COMPACT) {
            t = opt.buildTime();
            ns = 0;
        }
        p.mtime = t;
        p.nsec = ns;
        p.size = n.size();
        p.xattrs = new TreeMap<>(n.xattrs());
        if (opt.dropXattrs()) {
            p.xattrs.clear();
        }
        return p;
    }
}
