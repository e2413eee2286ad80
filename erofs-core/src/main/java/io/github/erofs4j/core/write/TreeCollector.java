package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.io.IOException;
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

    /** "." and "..", in their order. */
    private static final byte[][] DOTS = {{'.'}, {'.', '.'}};

    private void walk(Node rootNode) throws IOException {
        IdentityHashMap<Node, InodePlan> seen = new IdentityHashMap<>();
        InodePlan root = newPlan(rootNode, null, null);
        seen.put(rootNode, root);
        ArrayDeque<InodePlan> queue = new ArrayDeque<>();
        queue.add(root);
        Map<InodePlan, InodePlan> parents = new IdentityHashMap<>();
        parents.put(root, root);
        while (!queue.isEmpty()) {
            InodePlan dir = queue.poll();
            Map<byte[], Node> children = dir.node.childrenRaw();
            // Children come in name order; "." and ".." take their places in it like any other name.
            byte[][] names = new byte[children.size() + 2][];
            InodePlan[] targets = new InodePlan[names.length];
            int count = 0;
            InodePlan[] dotTargets = {dir, parents.get(dir)};
            int dots = 0; // how many of "." and ".." are placed
            int subdirs = 0;
            for (Map.Entry<byte[], Node> e : children.entrySet()) {
                Node child = e.getValue();
                byte[] name = e.getKey();
                if (!Node.validName(name)) {
                    throw new IOException(InodePlan.childPath(dir, name) + ": invalid name (" + name.length
                            + " bytes)");
                }
                InodePlan p = seen.get(child);
                if (p == null) {
                    p = newPlan(child, dir, name);
                    seen.put(child, p);
                    if (child.type() == FileType.DIRECTORY) {
                        parents.put(p, dir);
                        queue.add(p);
                    }
                } else if (child.type() == FileType.DIRECTORY) {
                    throw new IOException(InodePlan.childPath(dir, name) + ": directory " + p.path()
                            + " is linked twice");
                }
                if (child.type() == FileType.DIRECTORY) {
                    subdirs++;
                } else {
                    p.nlink++;
                }
                for (; dots < 2 && Arrays.compareUnsigned(DOTS[dots], name) < 0; dots++) {
                    names[count] = DOTS[dots];
                    targets[count++] = dotTargets[dots];
                }
                names[count] = name;
                targets[count++] = p;
            }
            for (; dots < 2; dots++) {
                names[count] = DOTS[dots];
                targets[count++] = dotTargets[dots];
            }
            dir.nlink = 2L + subdirs;
            dir.dirNames = count == names.length ? names : Arrays.copyOf(names, count);
            dir.dirTargets = count == targets.length ? targets : Arrays.copyOf(targets, count);
        }
    }

    private InodePlan newPlan(Node n, InodePlan parent, byte[] name) {
        InodePlan p = new InodePlan(n, parent, name, inodes.size() + 1L);
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
