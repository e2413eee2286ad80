package io.github.erofs4j.core.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Second stage of the writer: which xattrs are shared and how each inode's xattr body looks. Fills in every
 * inode plan's shared ids (indexes into {@link #shared()}), inline entries, body size and name filter, and gives
 * the shared area and the long-prefix table as bytes. Entries are in mkfs.erofs's canonical order (full name,
 * NUL, value), shared ones too.
 */
final class XattrLayout {
    private final XattrPlanner names;
    private final List<XattrPlanner.Entry> shared = new ArrayList<>();
    private int sharedBytes;
    private boolean anyBody;

    private XattrLayout(XattrPlanner names) {
        this.names = names;
    }

    /** Plans the xattrs of {@code inodes} (the root first); names that EROFS cannot store are reported and left out. */
    static XattrLayout plan(List<InodePlan> inodes, WriteOptions opt) {
        XattrLayout x = new XattrLayout(new XattrPlanner(opt.xattrPrefixes()));
        x.plan(inodes, !opt.dropXattrs(), opt.xattrShareThreshold(), opt.xattrNameFilter(), opt.rootXattrSize(), opt.listener());
        return x;
    }

    private void plan(List<InodePlan> inodes, boolean share, int threshold, boolean nameFilter, int rootXattrSize,
            WriteListener listener) {
        Map<ByteKey, Integer> counts = new HashMap<>();
        List<List<XattrPlanner.Entry>> perInode = new ArrayList<>(inodes.size());
        for (InodePlan p : inodes) {
            List<XattrPlanner.Entry> list = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : p.xattrs.entrySet()) {
                XattrPlanner.Entry x = names.entry(e.getKey(), e.getValue());
                if (x == null) {
                    listener.onEvent(new WriteEvent.Warning(p.path(),
                            "xattr " + e.getKey() + " dropped: EROFS has no name index for it"));
                    continue;
                }
                list.add(x);
                counts.merge(new ByteKey(x.sortKey()), 1, Integer::sum);
            }
            list.sort(XattrPlanner.Entry::compare);
            perInode.add(list);
        }
        Map<ByteKey, Integer> sharedIndex = new HashMap<>();
        if (share) {
            List<XattrPlanner.Entry> candidates = new ArrayList<>();
            for (List<XattrPlanner.Entry> list : perInode) {
                for (XattrPlanner.Entry x : list) {
                    ByteKey k = new ByteKey(x.sortKey());
                    if (counts.get(k) > threshold && !sharedIndex.containsKey(k)) {
                        sharedIndex.put(k, -1);
                        candidates.add(x);
                    }
                }
            }
            candidates.sort(XattrPlanner.Entry::compare);
            for (XattrPlanner.Entry x : candidates) {
                sharedIndex.put(new ByteKey(x.sortKey()), shared.size());
                shared.add(x);
                sharedBytes += x.size();
            }
        }
        for (int i = 0; i < inodes.size(); i++) {
            InodePlan p = inodes.get(i);
            List<XattrPlanner.Entry> list = perInode.get(i);
            if (list.isEmpty()) {
                continue;
            }
            List<Integer> sh = new ArrayList<>();
            List<XattrPlanner.Entry> in = new ArrayList<>();
            int filterBits = 0;
            for (XattrPlanner.Entry x : list) {
                filterBits |= 1 << x.filterBit();
                Integer idx = sharedIndex.get(new ByteKey(x.sortKey()));
                if (idx != null && sh.size() < 255) {
                    sh.add(idx);
                } else {
                    in.add(x);
                }
            }
            sh.sort(null);
            p.sharedIds = sh.stream().mapToInt(Integer::intValue).toArray();
            p.inlineXattrs = in.toArray(new XattrPlanner.Entry[0]);
            int size = 12 + 4 * p.sharedIds.length;
            for (XattrPlanner.Entry x : in) {
                size += x.size();
            }
            p.xattrBodySize = size;
            p.nameFilter = nameFilter ? ~filterBits : 0;
            anyBody = true;
        }
        InodePlan root = inodes.get(0);
        int reserve = (rootXattrSize + 3) & ~3;
        if (reserve > root.xattrBodySize) {
            // As mkfs.erofs: zero padding after the entries, which readers take for empty entries of no known
            // name index. Without xattrs the header still carries a name filter (nothing present).
            if (root.xattrBodySize == 0) {
                root.nameFilter = nameFilter ? ~0 : 0;
            }
            root.xattrBodySize = reserve;
            anyBody = true;
        }
    }

    /** The shared entries, in the order of their ids. */
    List<XattrPlanner.Entry> shared() {
        return shared;
    }

    /** Bytes of the shared area. */
    int sharedBytes() {
        return sharedBytes;
    }

    /** Whether some inode has an xattr body. */
    boolean anyBody() {
        return anyBody;
    }

    /** The shared area as stored. */
    byte[] sharedArea() {
        byte[] b = new byte[sharedBytes];
        int off = 0;
        for (XattrPlanner.Entry x : shared) {
            x.encode(b, off);
            off += x.size();
        }
        return b;
    }

    /** The on-disk id (offset / 4) of each shared entry when the area starts at {@code sharedOffset}. */
    int[] sharedIds(long sharedOffset) {
        int[] ids = new int[shared.size()];
        long pos = sharedOffset;
        for (int i = 0; i < shared.size(); i++) {
            ids[i] = (int) (pos >>> 2);
            pos += shared.get(i).size();
        }
        return ids;
    }

    /** Number of registered long prefixes. */
    int longPrefixCount() {
        return names.longPrefixes().size();
    }

    /** The long-prefix table as stored (empty without long prefixes). */
    byte[] prefixTable() {
        ByteBuffer b = ByteBuffer.allocate(128 * 264).order(ByteOrder.LITTLE_ENDIAN);
        for (XattrPlanner.LongPrefix lp : names.longPrefixes()) {
            b.putShort((short) (1 + lp.infix().length));
            b.put((byte) lp.baseIndex());
            b.put(lp.infix());
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }
}
