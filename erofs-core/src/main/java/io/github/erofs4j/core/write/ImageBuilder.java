package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.CompactInode;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.ExtendedInode;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plans and emits one image. The stages:
 * <ol>
 *   <li>collect inodes breadth-first (children in name order, hard links merged), apply the ownership, time
 *       and overlayfs rules;
 *   <li>choose shared xattrs, inode formats and data layouts; for chunk-based files, scan the content for
 *       all-zero and duplicate chunks (in parallel);
 *   <li>place the superblock, the long-prefix table, the root inode, the shared xattrs and every other inode
 *       with a best-fit allocator into metadata blocks at the start of the image, so that inline tails never
 *       cross a block and the root nid stays small;
 *   <li>give data blocks, after the metadata, in inode order;
 *   <li>emit everything strictly in offset order: the metadata area (reading inline tails from their sources)
 *       then the data blocks (streaming each file from its source).
 * </ol>
 * Every decision depends only on the tree and the options, never on timing or thread count. Compression will
 * slot in at stage 2 (a per-file encoder producing its pclusters into a spool, in parallel) and stage 5.
 */
final class ImageBuilder {
    private static final int SB_SIZE = SuperBlock.BASE_SIZE;

    private final FsTree tree;
    private final WriteOptions opt;
    private final int bs;
    private final int bits;
    private final XattrPlanner xattrPlanner;
    private final List<InodePlan> inodes = new ArrayList<>();
    private final List<XattrPlanner.Entry> shared = new ArrayList<>();
    private long sharedOffset = -1;
    private int sharedBytes;
    private long prefixOffset = -1;
    private byte[] prefixTable = new byte[0];
    private long metaBlocks;
    private long totalBlocks;
    private boolean anyChunked;
    private boolean anyXattrBody;

    ImageBuilder(FsTree tree, WriteOptions opt) {
        this.tree = tree;
        this.opt = opt;
        this.bs = opt.blockSize();
        this.bits = opt.blockBits();
        this.xattrPlanner = new XattrPlanner(opt.xattrPrefixes());
    }

    /** Writes to a channel strictly in order, from its position onwards (it is never repositioned). */
    WriteSummary build(SeekableByteChannel out) throws IOException {
        return build(out, null);
    }

    /**
     * Writes to a new file's channel, opened by the caller for writing at position 0 (not in append mode): the
     * data area may then be written before the metadata in front of it.
     */
    WriteSummary buildFile(FileChannel out) throws IOException {
        return build(out, out);
    }

    private WriteSummary build(SeekableByteChannel out, FileChannel positional) throws IOException {
        collect();
        planXattrs();
        planLayouts();
        place();
        allocateData(metaBlocks);
        long imageBytes = totalBlocks * bs;
        opt.listener().onEvent(new WriteEvent.Planned(inodes.size(), imageBytes));
        ExecutorService pool = opt.workers() > 1 ? Executors.newFixedThreadPool(opt.workers(), r -> {
            Thread t = new Thread(r, "erofs4j-read");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            if (positional != null && opt.observer() == null) {
                emitDataFirst(positional, pool);
            } else {
                try (ImageOutput o = new ImageOutput(out, opt.observer(), opt.listener(), imageBytes, 0, csumEnd(),
                        opt.superblockChecksum())) {
                    emitMetadata(o, pool);
                    emitData(o, pool, null);
                    o.finish();
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        WriteSummary s = new WriteSummary(inodes.size(), totalBlocks, bs, imageBytes, metaBlocks, shared.size(),
                opt.uuid());
        opt.listener().onEvent(new WriteEvent.Finished(s));
        return s;
    }

    private int csumEnd() {
        return Erofs.SUPERBLOCK_OFFSET + SuperBlock.checksumLength(bs);
    }

    // ---------------------------------------------------------------- stage 1: inodes

    private void collect() throws IOException {
        IdentityHashMap<Node, InodePlan> seen = new IdentityHashMap<>();
        InodePlan root = newPlan(tree.root(), "/");
        seen.put(tree.root(), root);
        ArrayDeque<InodePlan> queue = new ArrayDeque<>();
        queue.add(root);
        Map<InodePlan, InodePlan> parents = new IdentityHashMap<>();
        parents.put(root, root);
        while (!queue.isEmpty()) {
            InodePlan dir = queue.poll();
            List<byte[]> names = new ArrayList<>();
            List<InodePlan> targets = new ArrayList<>();
            boolean whiteouts = false;
            int subdirs = 0;
            for (Map.Entry<byte[], Node> e : dir.node.childrenRaw().entrySet()) {
                Node child = e.getValue();
                byte[] name = e.getKey();
                String childPath = (dir.path.equals("/") ? "/" : dir.path + "/")
                        + new String(name, StandardCharsets.UTF_8);
                if (!Node.validName(name)) {
                    throw new IOException(childPath + ": invalid name (" + name.length + " bytes)");
                }
                if (child.isWhiteout()) {
                    if (opt.ovlfsStrip()) {
                        continue;
                    }
                    whiteouts = true;
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
            if (whiteouts && opt.xattrShareThreshold() >= 0 && !dir.xattrs.containsKey("trusted.overlay.origin")) {
                // overlayfs hides whiteouts only in a directory it considers copied up: mkfs.erofs marks it so.
                dir.xattrs.put("trusted.overlay.origin", new byte[0]);
            }
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
        if (opt.ovlfsStrip()) {
            p.xattrs.remove("trusted.overlay.opaque");
        }
        if (opt.xattrShareThreshold() < 0) {
            p.xattrs.clear();
        }
        return p;
    }

    // ---------------------------------------------------------------- stage 2: xattrs and layouts

    private void planXattrs() {
        Map<ByteKey, Integer> counts = new HashMap<>();
        List<List<XattrPlanner.Entry>> perInode = new ArrayList<>(inodes.size());
        for (InodePlan p : inodes) {
            List<XattrPlanner.Entry> list = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : p.xattrs.entrySet()) {
                XattrPlanner.Entry x = xattrPlanner.entry(e.getKey(), e.getValue());
                if (x == null) {
                    warn(p.path, "xattr " + e.getKey() + " dropped: EROFS has no name index for it");
                    continue;
                }
                list.add(x);
                counts.merge(new ByteKey(x.sortKey()), 1, Integer::sum);
            }
            list.sort(XattrPlanner.Entry::compare);
            perInode.add(list);
        }
        Map<ByteKey, Integer> sharedIndex = new HashMap<>();
        if (opt.xattrShareThreshold() >= 0) {
            List<XattrPlanner.Entry> candidates = new ArrayList<>();
            for (List<XattrPlanner.Entry> list : perInode) {
                for (XattrPlanner.Entry x : list) {
                    ByteKey k = new ByteKey(x.sortKey());
                    if (counts.get(k) > opt.xattrShareThreshold() && !sharedIndex.containsKey(k)) {
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
            p.nameFilter = opt.xattrNameFilter() ? ~filterBits : 0;
            anyXattrBody = true;
        }
        InodePlan root = inodes.get(0);
        int reserve = (opt.rootXattrSize() + 3) & ~3;
        if (reserve > root.xattrBodySize) {
            // As mkfs.erofs: zero padding after the entries, which readers take for empty entries of no known
            // name index. Without xattrs the header still carries a name filter (nothing present).
            if (root.xattrBodySize == 0) {
                root.nameFilter = opt.xattrNameFilter() ? ~0 : 0;
            }
            root.xattrBodySize = reserve;
            anyXattrBody = true;
        }
    }

    private void planLayouts() throws IOException {
        List<InodePlan> chunked = new ArrayList<>();
        for (InodePlan p : inodes) {
            if (p.xattrBodySize > 12 + 4 * 65534) {
                throw new IOException(p.path + ": xattrs take " + p.xattrBodySize
                        + " bytes, more than an inode can hold");
            }
            if (p.type == FileType.DIRECTORY) {
                p.size = dirSize(p.dirNames);
            }
            boolean needsExtended = p.uid > 0xFFFF || p.gid > 0xFFFF || p.nlink > 0xFFFF || p.size > 0xFFFFFFFFL
                    || p.mtime != opt.buildTime() || p.nsec != 0;
            switch (opt.inodeFormat()) {
                case EXTENDED -> p.extended = true;
                case COMPACT -> {
                    if (needsExtended) {
                        throw new IOException(p.path + ": cannot use a compact inode (uid " + p.uid + ", gid "
                                + p.gid + ", nlink " + p.nlink + ", size " + p.size + ")");
                    }
                }
                default -> p.extended = needsExtended;
            }
            if (p.uid > 0xFFFFFFFFL || p.gid > 0xFFFFFFFFL) {
                throw new IOException(p.path + ": uid/gid over 32 bits after offsets: " + p.uid + "/" + p.gid);
            }
            switch (p.type) {
                case REGULAR, DIRECTORY, SYMLINK -> {
                    if (p.type == FileType.REGULAR && opt.chunkSize() != 0 && p.size > 0) {
                        p.layout = Erofs.LAYOUT_CHUNK_BASED;
                        p.chunkBits = Long.numberOfTrailingZeros(opt.chunkSize());
                        long n = (p.size + opt.chunkSize() - 1) >>> p.chunkBits;
                        if (n > Integer.MAX_VALUE / 8) {
                            throw new IOException(p.path + ": too many chunks (" + n + ")");
                        }
                        p.chunkIndexes = opt.chunkFormat() == WriteOptions.ChunkFormat.INDEXES;
                        chunked.add(p);
                        anyChunked = true;
                        continue;
                    }
                    p.fullBlocks = p.size >>> bits;
                    p.tail = (int) (p.size & (bs - 1));
                    boolean mayInline = p.tail > 0 && (p.type != FileType.REGULAR || opt.inlineData());
                    if (mayInline && canInline(p.metaSize(), p.tail)) {
                        p.layout = Erofs.LAYOUT_FLAT_INLINE;
                        p.inline = true;
                        p.dataBlocks = p.fullBlocks;
                    } else {
                        p.layout = Erofs.LAYOUT_FLAT_PLAIN;
                        p.dataBlocks = p.fullBlocks + (p.tail > 0 ? 1 : 0);
                    }
                }
                default -> p.layout = Erofs.LAYOUT_FLAT_PLAIN;
            }
        }
        if (!chunked.isEmpty()) {
            scanChunks(chunked);
            // Which chunks lie back to back decides the map sizes, and so the metadata size. Block numbers
            // relative to the start of the data area are enough for that: place() comes after.
            allocateData(0);
            for (InodePlan p : chunked) {
                planChunkMap(p);
            }
        }
    }

    /**
     * mkfs.erofs's choice of the chunk size recorded in the inode. An all-zero file is one hole chunk of the
     * smallest power of two covering it. Otherwise the file is cut where two neighbouring scanned chunks are not
     * both holes and not data back to back on disk; each run's length in blocks (the last run's rounded down,
     * counting to the end of its last chunk when that is a hole) contributes its lowest set bit, as does the
     * file's length in blocks rounded up; the smallest of these, if larger than the scanned chunk, is the new
     * chunk size, so every larger chunk lies inside one run and its first scanned chunk's address maps it whole.
     */
    private void planChunkMap(InodePlan p) {
        int n = p.chunkBlk.length;
        long chunk = 1L << p.chunkBits;
        int maxBits = bits + ChunkIndex.FORMAT_BLKBITS_MASK;
        boolean allHoles = true;
        for (long blk : p.chunkBlk) {
            allHoles &= blk == InodePlan.NULL_BLK;
        }
        if (allHoles) {
            p.mapBits = Math.min(maxBits, Math.max(bits, 64 - Long.numberOfLeadingZeros(p.size - 1)));
            p.mapShift = -1;
        } else {
            long minRun = (p.size + bs - 1) >>> bits;
            int runStart = 0;
            for (int i = 1; i < n; i++) {
                long prev = p.chunkBlk[i - 1];
                long cur = p.chunkBlk[i];
                boolean joined = prev == InodePlan.NULL_BLK ? cur == InodePlan.NULL_BLK
                        : cur != InodePlan.NULL_BLK && prev + (chunk >>> bits) == cur;
                if (!joined) {
                    minRun = lowerRun(minRun, (i - runStart) * chunk >>> bits);
                    runStart = i;
                }
            }
            long end = p.chunkBlk[n - 1] == InodePlan.NULL_BLK ? n * chunk : p.size;
            minRun = lowerRun(minRun, (end - runStart * chunk) >>> bits);
            int merged = Math.min(maxBits, 63 - Long.numberOfLeadingZeros(minRun) + bits);
            p.mapBits = Math.max(p.chunkBits, merged);
            p.mapShift = p.mapBits - p.chunkBits;
        }
        long count = ((p.size - 1) >>> p.mapBits) + 1;
        p.indexBytes = (int) count * (p.chunkIndexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE);
    }

    /** The smaller of {@code min} and the lowest set bit of {@code blocks} (ignored when 0). */
    private static long lowerRun(long min, long blocks) {
        long low = Long.lowestOneBit(blocks);
        return low != 0 && low < min ? low : min;
    }

    /** Whether a tail fits in the block holding the end of metadata of this size, placed as place() would. */
    private boolean canInline(long meta, int tail) {
        if (meta + tail <= bs) {
            return true;
        }
        long rem = meta % bs;
        return meta > bs && rem != 0 && rem + tail <= bs;
    }

    private void scanChunks(List<InodePlan> chunked) throws IOException {
        ExecutorService pool = opt.workers() > 1 && chunked.size() > 1
                ? Executors.newFixedThreadPool(Math.min(opt.workers(), chunked.size())) : null;
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (InodePlan p : chunked) {
                if (pool == null) {
                    scanChunks(p);
                } else {
                    fs.add(pool.submit(() -> {
                        scanChunks(p);
                        return null;
                    }));
                }
            }
            for (int i = 0; i < fs.size(); i++) {
                Prefetcher.await(fs.get(i), chunked.get(i).path);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void scanChunks(InodePlan p) throws IOException {
        long chunk = 1L << p.chunkBits;
        int n = (int) (((p.size - 1) >>> p.chunkBits) + 1);
        p.chunkDigest = new byte[n][];
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        FileContent c = p.node.content();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(chunk, 1 << 20));
        try (ReadableByteChannel ch = c.open(0)) {
            for (int i = 0; i < n; i++) {
                long len = Math.min(chunk, p.size - i * chunk);
                boolean zero = true;
                md.reset();
                long left = len;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    ImageOutput.readFully(ch, buf, c);
                    buf.flip();
                    if (zero) {
                        zero = isZero(buf);
                    }
                    md.update(buf);
                    left -= buf.limit();
                }
                p.chunkDigest[i] = zero ? null : md.digest();
            }
        }
    }

    private static boolean isZero(ByteBuffer b) {
        int i = b.position();
        int end = b.limit();
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (; i + 8 <= end; i += 8) {
            if (le.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- directories

    /** Directory size: blocks of dirents then names, a dirent and its name never crossing a block. */
    private long dirSize(byte[][] names) {
        long full = 0;
        int used = 0;
        for (byte[] n : names) {
            int need = 12 + n.length;
            if (used + need > bs) {
                full++;
                used = 0;
            }
            used += need;
        }
        return full * bs + used;
    }

    /** The directory's data, exactly {@code size} bytes. Needs nids, so only callable after placement. */
    private byte[] dirData(InodePlan d) {
        byte[] out = new byte[(int) d.size];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        long blockStart = 0;
        byte[][] names = d.dirNames;
        while (i < names.length) {
            int used = 0;
            int j = i;
            while (j < names.length && used + 12 + names[j].length <= bs) {
                used += 12 + names[j].length;
                j++;
            }
            int count = j - i;
            int nameOff = 12 * count;
            for (int k = 0; k < count; k++) {
                int pos = (int) blockStart + 12 * k;
                InodePlan t = d.dirTargets[i + k];
                b.putLong(pos, t.nid());
                b.putShort(pos + 8, (short) nameOff);
                b.put(pos + 10, (byte) t.type.direntType());
                System.arraycopy(names[i + k], 0, out, (int) blockStart + nameOff, names[i + k].length);
                nameOff += names[i + k].length;
            }
            i = j;
            blockStart += bs;
        }
        return out;
    }

    // ---------------------------------------------------------------- stage 3: placement

    private void place() throws IOException {
        MetaAllocator alloc = new MetaAllocator(bs);
        long cursor = Erofs.SUPERBLOCK_OFFSET + SB_SIZE;
        if (!xattrPlanner.longPrefixes().isEmpty()) {
            prefixTable = buildPrefixTable();
            prefixOffset = cursor;
            cursor += prefixTable.length;
        }
        alloc.startAfter(cursor);
        InodePlan root = inodes.get(0);
        root.offset = alloc.place(root.metaSize() + (root.inline ? root.tail : 0));
        if (root.nid() > 0xFFFF) {
            throw new IOException("root inode placed beyond nid 65535");
        }
        if (sharedBytes > 0) {
            sharedOffset = alloc.place(sharedBytes);
            if ((sharedOffset + sharedBytes) / 4 > 0xFFFFFFFFL) {
                throw new IOException("shared xattr area too far into the image");
            }
        }
        for (int i = 1; i < inodes.size(); i++) {
            InodePlan p = inodes.get(i);
            p.offset = alloc.place(p.metaSize() + (p.inline ? p.tail : 0));
        }
        metaBlocks = alloc.blocks();
    }

    private byte[] buildPrefixTable() {
        ByteBuffer b = ByteBuffer.allocate(128 * 264).order(ByteOrder.LITTLE_ENDIAN);
        for (XattrPlanner.LongPrefix lp : xattrPlanner.longPrefixes()) {
            b.putShort((short) (1 + lp.infix().length));
            b.put((byte) lp.baseIndex());
            b.put(lp.infix());
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    // ---------------------------------------------------------------- stage 4: data blocks

    /** Gives data blocks from {@code base} on, in inode order; chunks are deduplicated by content. */
    private void allocateData(long base) throws IOException {
        long next = base;
        Map<ByteKey, Long> chunkByDigest = new HashMap<>();
        for (InodePlan p : inodes) {
            if (p.layout == Erofs.LAYOUT_CHUNK_BASED) {
                int n = p.chunkDigest.length;
                p.chunkBlk = new long[n];
                p.chunkOwner = new boolean[n];
                long chunk = 1L << p.chunkBits;
                for (int i = 0; i < n; i++) {
                    byte[] dg = p.chunkDigest[i];
                    if (dg == null) {
                        p.chunkBlk[i] = InodePlan.NULL_BLK;
                        continue;
                    }
                    long len = Math.min(chunk, p.size - i * chunk);
                    byte[] key = Arrays.copyOf(dg, dg.length + 8);
                    ByteBuffer.wrap(key, dg.length, 8).putLong(len);
                    Long blk = chunkByDigest.get(new ByteKey(key));
                    if (blk == null) {
                        blk = next;
                        next += (len + bs - 1) >>> bits;
                        chunkByDigest.put(new ByteKey(key), blk);
                        p.chunkOwner[i] = true;
                    }
                    p.chunkBlk[i] = blk;
                }
            } else if (p.dataBlocks > 0) {
                p.startBlk = next;
                next += p.dataBlocks;
            }
            if (next >= InodePlan.NULL_BLK) {
                throw new IOException("image too large: over 2^32 - 2 blocks of " + bs + " bytes");
            }
        }
        totalBlocks = next;
    }

    // ---------------------------------------------------------------- stage 5: emission

    /** Bytes of file content read ahead of the writer at most (per phase). */
    private static final int PREFETCH_BYTES = 8 << 20;
    /** Files up to this size are read ahead; larger ones are copied directly (transferTo when possible). */
    private static final long PREFETCH_FILE_MAX = 1L << 20;

    private void emitMetadata(ImageOutput o, ExecutorService pool) throws IOException {
        List<long[]> items = metadataItems();
        List<Prefetcher.Range> tails = new ArrayList<>();
        for (long[] it : items) {
            if (it[1] == 3) {
                InodePlan p = inodes.get((int) it[2]);
                if (p.inline && p.type == FileType.REGULAR) {
                    tails.add(new Prefetcher.Range(p.node.content(), p.fullBlocks * bs, p.tail));
                }
            }
        }
        try (Prefetcher tailReader = new Prefetcher(tails, pool, PREFETCH_BYTES)) {
            emitMetadata(o, items, p -> tailReader.nextBytes());
        }
    }

    /** The inline tail of a regular file, asked for in metadata order. */
    private interface TailSource {
        byte[] tail(InodePlan p) throws IOException;
    }

    /** Metadata items in offset order: {offset, kind (0 superblock, 1 prefixes, 2 shared xattrs, 3 inode), index}. */
    private List<long[]> metadataItems() {
        List<long[]> items = new ArrayList<>();
        items.add(new long[] {Erofs.SUPERBLOCK_OFFSET, 0, 0});
        if (prefixOffset >= 0) {
            items.add(new long[] {prefixOffset, 1, 0});
        }
        if (sharedOffset >= 0) {
            items.add(new long[] {sharedOffset, 2, 0});
        }
        for (int i = 0; i < inodes.size(); i++) {
            items.add(new long[] {inodes.get(i).offset, 3, i});
        }
        items.sort((a, b) -> Long.compare(a[0], b[0]));
        return items;
    }

    private void emitMetadata(ImageOutput o, List<long[]> items, TailSource tails) throws IOException {
        int[] sharedIds = new int[shared.size()];
        long pos = sharedOffset;
        for (int i = 0; i < shared.size(); i++) {
            sharedIds[i] = (int) (pos >>> 2);
            pos += shared.get(i).size();
        }
        for (long[] it : items) {
            o.zerosTo(it[0]);
            switch ((int) it[1]) {
                case 0 -> o.write(superBlock());
                case 1 -> o.write(prefixTable);
                case 2 -> {
                    byte[] b = new byte[sharedBytes];
                    int off = 0;
                    for (XattrPlanner.Entry x : shared) {
                        x.encode(b, off);
                        off += x.size();
                    }
                    o.write(b);
                }
                default -> emitInode(o, inodes.get((int) it[2]), sharedIds, tails);
            }
        }
        o.zerosTo(metaBlocks * bs);
    }

    private byte[] superBlock() {
        int compat = Feature.COMPAT_MTIME;
        if (opt.superblockChecksum()) {
            compat |= Feature.COMPAT_SB_CHKSUM;
        }
        if (opt.xattrNameFilter() && anyXattrBody) {
            compat |= Feature.COMPAT_XATTR_FILTER;
        }
        int incompat = 0;
        if (anyChunked) {
            incompat |= Feature.INCOMPAT_CHUNKED_FILE;
        }
        if (prefixOffset >= 0) {
            incompat |= Feature.INCOMPAT_XATTR_PREFIXES;
            compat |= Feature.COMPAT_PLAIN_XATTR_PFX;
        }
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putLong(opt.uuid().getMostSignificantBits()).putLong(opt.uuid().getLeastSignificantBits());
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0, compat, bits, 0, (int) inodes.get(0).nid(),
                inodes.size(), opt.buildTime(), 0, totalBlocks, 0, 0, u.array(),
                opt.volumeLabel().getBytes(StandardCharsets.UTF_8), incompat, 0, 0, 0, 0,
                xattrPlanner.longPrefixes().size(), prefixOffset >= 0 ? prefixOffset / 4 : 0, 0, 0, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(SuperBlock.SIZE);
        sb.encode(b, 0);
        return Arrays.copyOf(b.array(), SB_SIZE);
    }

    private void emitInode(ImageOutput o, InodePlan p, int[] sharedIds, TailSource tails)
            throws IOException {
        int meta = (int) p.metaSize();
        int total = meta + (p.inline ? p.tail : 0);
        byte[] bytes = new byte[total];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long u = switch (p.type) {
            case CHAR_DEVICE, BLOCK_DEVICE -> Erofs.encodeRdev(p.node.rdevMajor(), p.node.rdevMinor());
            case FIFO, SOCKET -> 0;
            default -> p.layout == Erofs.LAYOUT_CHUNK_BASED
                    ? (p.mapBits - bits) | (p.chunkIndexes ? ChunkIndex.FORMAT_INDEXES : 0)
                    : p.dataBlocks > 0 ? p.startBlk : p.size == 0 ? 0 : InodePlan.NULL_BLK;
        };
        int format = (p.extended ? Erofs.I_VERSION_EXTENDED : 0) | (p.layout << 1);
        int icount = p.xattrBodySize == 0 ? 0 : (p.xattrBodySize - 12) / 4 + 1;
        int mode = p.node.mode();
        if (p.extended) {
            new ExtendedInode(format, icount, mode, 0, p.size, u, p.serial, p.uid, p.gid, p.mtime, p.nsec, p.nlink)
                    .encode(b, 0);
        } else {
            new CompactInode(format, icount, mode, (int) p.nlink, p.size, p.mtime - opt.buildTime(), u, p.serial,
                    p.uid, p.gid).encode(b, 0);
        }
        int off = p.coreSize();
        if (p.xattrBodySize > 0) {
            b.putInt(off, p.nameFilter);
            b.put(off + 4, (byte) p.sharedIds.length);
            off += 12;
            for (int id : p.sharedIds) {
                b.putInt(off, sharedIds[id]);
                off += 4;
            }
            for (XattrPlanner.Entry x : p.inlineXattrs) {
                x.encode(bytes, off);
                off += x.size();
            }
        }
        if (p.layout == Erofs.LAYOUT_CHUNK_BASED) {
            int at = p.chunkArrayOffset();
            int count = p.indexBytes / (p.chunkIndexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE);
            for (int k = 0; k < count; k++) {
                long blk = p.mapEntry(k);
                if (p.chunkIndexes) {
                    // Primary device; a hole is a start block of all ones (the kernel's and mkfs.erofs's NULL).
                    new ChunkIndex(0, 0, blk).encode(b, at);
                    at += ChunkIndex.SIZE;
                } else {
                    b.putInt(at, (int) blk);
                    at += ChunkIndex.BLOCK_MAP_ENTRY_SIZE;
                }
            }
        }
        if (p.inline) {
            long tailStart = p.fullBlocks * bs;
            switch (p.type) {
                case DIRECTORY -> System.arraycopy(dirData(p), (int) tailStart, bytes, meta, p.tail);
                case SYMLINK -> System.arraycopy(p.node.symlinkTargetRaw(), (int) tailStart, bytes, meta, p.tail);
                default -> System.arraycopy(tails.tail(p), 0, bytes, meta, p.tail);
            }
        }
        o.write(bytes);
    }

    /**
     * For a file channel and no observer: the data area first, at its offset, then the metadata in front of it.
     * Each small file is then read once, whole, and its inline tail kept for the metadata pass (tails live in
     * metadata blocks, so they take no more memory than the metadata); writing metadata first would have to read
     * those files twice. The bytes are the same as the sequential order gives.
     */
    private void emitDataFirst(FileChannel fc, ExecutorService pool) throws IOException {
        long start = fc.position();
        long imageBytes = totalBlocks * bs;
        long dataStart = metaBlocks * bs;
        Map<InodePlan, byte[]> tails = new IdentityHashMap<>();
        // With a worker to spare and a metadata area of moderate size, the metadata is encoded in memory (inline
        // tails of regular files left as zeros) while the data pass runs, and only patched and written after it.
        Future<byte[]> early = pool != null && dataStart <= MAX_META_IN_MEMORY ? pool.submit(this::metadataBytes)
                : null;
        boolean dataWritten = false;
        try {
            fc.position(start + dataStart);
            try (ImageOutput o = new ImageOutput(fc, null, opt.listener(), imageBytes, dataStart, csumEnd(),
                    false)) {
                emitData(o, pool, tails);
                o.finish();
            }
            dataWritten = true;
        } finally {
            if (early != null && !dataWritten) {
                early.cancel(true);
            }
        }
        fc.position(start);
        // The data pass already reported progress up to the end of the image.
        WriteListener quiet = e -> {
            if (!(e instanceof WriteEvent.Progress)) {
                opt.listener().onEvent(e);
            }
        };
        try (ImageOutput o = new ImageOutput(fc, null, quiet, imageBytes, 0, csumEnd(),
                opt.superblockChecksum())) {
            if (early != null) {
                byte[] meta = Prefetcher.await(early, "metadata");
                for (InodePlan p : inodes) {
                    if (p.inline && p.type == FileType.REGULAR) {
                        System.arraycopy(tail(tails, p), 0, meta, (int) (p.offset + p.metaSize()), p.tail);
                    }
                }
                o.write(meta);
            } else {
                emitMetadata(o, metadataItems(), p -> tail(tails, p));
            }
            o.flush();
        }
        fc.position(start + imageBytes);
    }

    /** Largest metadata area encoded in memory ahead of time. */
    private static final long MAX_META_IN_MEMORY = 64L << 20;

    private static byte[] tail(Map<InodePlan, byte[]> tails, InodePlan p) {
        byte[] t = tails.get(p);
        if (t == null) {
            throw new IllegalStateException(p.path + ": inline tail not read");
        }
        return t;
    }

    /** The metadata area, with zeros where the inline tails of regular files go. */
    private byte[] metadataBytes() throws IOException {
        byte[] area = new byte[(int) (metaBlocks * bs)];
        ByteBuffer view = ByteBuffer.wrap(area);
        java.nio.channels.WritableByteChannel into = new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                view.put(src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try (ImageOutput o = new ImageOutput(into, null, e -> { }, area.length, 0, csumEnd(), false)) {
            emitMetadata(o, metadataItems(), p -> new byte[p.tail]);
            o.flush();
        }
        return area;
    }

    /**
     * The data area. With {@code tails} non-null, regular files with an inline tail are read whole when small
     * (the tail is kept there) and their tail is read after the blocks otherwise.
     */
    private void emitData(ImageOutput o, ExecutorService pool, Map<InodePlan, byte[]> tails) throws IOException {
        List<Prefetcher.Range> small = new ArrayList<>();
        for (InodePlan p : inodes) {
            if (p.type == FileType.REGULAR && p.layout != Erofs.LAYOUT_CHUNK_BASED
                    && (p.dataBlocks > 0 || tails != null && p.inline)) {
                long len = readLength(p, tails != null);
                if (len <= PREFETCH_FILE_MAX) {
                    small.add(new Prefetcher.Range(p.node.content(), 0, (int) len));
                }
            }
        }
        try (Prefetcher reader = new Prefetcher(small, pool, PREFETCH_BYTES)) {
            emitData(o, reader, tails);
        }
    }

    /** Bytes of a regular file read for the data pass: with the tail when it is kept for the metadata pass. */
    private long readLength(InodePlan p, boolean withTail) {
        return p.inline ? p.fullBlocks * bs + (withTail ? p.tail : 0) : p.size;
    }

    private void emitData(ImageOutput o, Prefetcher reader, Map<InodePlan, byte[]> tails) throws IOException {
        for (InodePlan p : inodes) {
            if (p.layout == Erofs.LAYOUT_CHUNK_BASED) {
                long chunk = 1L << p.chunkBits;
                FileContent c = p.node.content();
                ReadableByteChannel ch = null;
                try {
                    for (int i = 0; i < p.chunkBlk.length; i++) {
                        if (!p.chunkOwner[i]) {
                            continue;
                        }
                        o.zerosTo(p.chunkBlk[i] * bs);
                        long len = Math.min(chunk, p.size - i * chunk);
                        if (ch instanceof SeekableByteChannel s) {
                            s.position(i * chunk);
                        } else {
                            if (ch != null) {
                                ch.close();
                            }
                            ch = c.open(i * chunk);
                        }
                        o.copy(ch, i * chunk, len, c);
                        o.zerosTo(o.position() + ((bs - (len & (bs - 1))) & (bs - 1)));
                    }
                } finally {
                    if (ch != null) {
                        ch.close();
                    }
                }
                continue;
            }
            boolean keepTail = tails != null && p.inline && p.type == FileType.REGULAR;
            if (p.dataBlocks == 0 && !keepTail) {
                continue;
            }
            if (p.dataBlocks > 0) {
                o.zerosTo(p.startBlk * bs);
            }
            long len = p.inline ? p.fullBlocks * bs : p.size;
            switch (p.type) {
                case DIRECTORY -> o.write(dirData(p), 0, (int) len);
                case SYMLINK -> o.write(p.node.symlinkTargetRaw(), 0, (int) len);
                default -> {
                    long read = readLength(p, tails != null);
                    if (read <= PREFETCH_FILE_MAX) {
                        Prefetcher.Slice b = reader.next();
                        o.write(b.array(), b.offset(), (int) len);
                        if (keepTail) {
                            int from = b.offset() + (int) len;
                            tails.put(p, Arrays.copyOfRange(b.array(), from, from + p.tail));
                        }
                    } else {
                        FileContent c = p.node.content();
                        try (ReadableByteChannel ch = c.open(0)) {
                            o.copy(ch, 0, len, c);
                        }
                        if (keepTail) {
                            tails.put(p, Prefetcher.read(new Prefetcher.Range(c, len, p.tail)));
                        }
                    }
                }
            }
            if (p.dataBlocks > 0) {
                o.zerosTo((p.startBlk + p.dataBlocks) * bs);
            }
        }
        o.zerosTo(totalBlocks * bs);
    }

    private void warn(String path, String message) {
        opt.listener().onEvent(new WriteEvent.Warning(path, message));
    }

    /** A byte array usable as a hash key. */
    record ByteKey(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }
}
