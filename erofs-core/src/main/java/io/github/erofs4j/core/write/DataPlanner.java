package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.MapHeader;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.file.Path;

/**
 * Third stage of the writer: the inode format (compact or extended) and the data plan of every inode (flat,
 * flat with an inline tail, or chunk-based), after xattrs are known (they decide how much room an inline tail
 * has). Chunk-based files are scanned for all-zero and duplicate chunks, in parallel, and their maps planned.
 * Also gives data blocks, in inode order, once the metadata area's size is known ({@link #allocate}).
 */
final class DataPlanner {
    private final WriteOptions opt;
    private final int bs;
    private final int bits;

    private final ZCodecs codecs;
    /** The serial number an inode made by this stage (the packed inode) gets. */
    private long nextSerial;

    private DataPlanner(WriteOptions opt, ZCodecs codecs) {
        this.opt = opt;
        this.codecs = codecs;
        this.bs = opt.blockSize();
        this.bits = opt.blockBits();
    }

    /**
     * Sets the format, size (of directories) and data plan of every inode. With compression, regular files are
     * compressed here (their sizes decide the metadata layout); the returned stage holds their pclusters until
     * they are emitted, and the caller closes it. Null without compression.
     */
    static CompressionStage plan(List<InodePlan> inodes, WriteOptions opt, ZCodecs codecs) throws IOException {
        return new DataPlanner(opt, codecs).planAll(inodes);
    }

    /**
     * Gives data blocks from block {@code base} on, in inode order, and returns the first block after them (the
     * image's size in blocks).
     */
    static long allocate(List<InodePlan> inodes, long base, int blockSize) throws IOException {
        DataPlan.Blocks blocks = new DataPlan.Blocks(base, Integer.numberOfTrailingZeros(blockSize));
        for (InodePlan p : inodes) {
            p.data.allocate(blocks);
            if (blocks.next() >= InodePlan.NULL_BLK) {
                throw new IOException("image too large: over 2^32 - 2 blocks of " + blockSize + " bytes");
            }
        }
        return blocks.next();
    }

    private CompressionStage planAll(List<InodePlan> inodes) throws IOException {
        List<InodePlan> chunked = new ArrayList<>();
        List<InodePlan> scanned = new ArrayList<>();
        List<InodePlan> compressible = new ArrayList<>();
        boolean compress = opt.compression().enabled();
        List<InodePlan> dirs = new ArrayList<>();
        for (InodePlan p : inodes) {
            if (p.xattrBodySize > 12 + 4 * 65534) {
                throw new IOException(p.path() + ": xattrs take " + p.xattrBodySize
                        + " bytes, more than an inode can hold");
            }
            if (p.type == FileType.DIRECTORY) {
                p.size = DirectoryEncoder.size(p.dirNames, bs);
            }
            planFormat(p);
            p.data = switch (p.type) {
                case REGULAR, DIRECTORY, SYMLINK -> {
                    if (p.type == FileType.REGULAR && p.size > 0 && p.node.content() instanceof HoleContent) {
                        chunked.add(p);
                        yield hole(p);
                    }
                    // As mkfs.erofs: a regular file is compressed when compression is on; one that does not pay
                    // falls back to chunks when a chunk size is given (see compress), else to flat data.
                    if (compress && p.type == FileType.REGULAR && p.size > 0) {
                        compressible.add(p);
                        yield null;
                    }
                    // As mkfs.erofs 1.9.3 (--zD): a directory of at least a map header's size is a fragment; its
                    // bytes need the nids, so it is packed after placement (packDirectories).
                    if (compress && p.type == FileType.DIRECTORY && opt.compression().directories()
                            && p.size >= MapHeader.SIZE) {
                        dirs.add(p);
                        yield new CompressedData(ZFile.directory(p.size, bits), p.coreSize() + p.xattrBodySize,
                                MapHeader.SIZE);
                    }
                    if (p.type == FileType.REGULAR && opt.chunkSize() != 0 && p.size > 0) {
                        ChunkedData c = chunked(p);
                        chunked.add(p);
                        scanned.add(p);
                        yield c;
                    }
                    yield flat(p);
                }
                default -> FlatData.empty();
            };
        }
        nextSerial = inodes.size() + 1L;
        CompressionStage stage = compressible.isEmpty() && dirs.isEmpty() ? null
                : compress(compressible, chunked, scanned, dirs.isEmpty());
        if (stage != null) {
            stage.directories = dirs;
        }
        if (stage != null && stage.packedInode != null) {
            inodes.add(stage.packedInode);
        }
        try {
            if (!chunked.isEmpty()) {
                scanChunks(scanned);
                // Which chunks lie back to back decides the map sizes, and so the metadata size. Block numbers
                // relative to the start of the data area are enough for that; blocks are given again after
                // placement.
                allocate(inodes, 0, bs);
                for (InodePlan p : chunked) {
                    ((ChunkedData) p.data).planMap(bits);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (stage != null) {
                stage.close();
            }
            throw e;
        }
        return stage;
    }

    /**
     * Compresses the regular files in inode order; each gets a compressed plan, or, when compression does not
     * pay, a chunked one (added to {@code chunked} and {@code scanned}) if a chunk size is set, else a flat one. A compressed tail is
     * inline when it fits in the inode's block, as a flat tail would.
     */
    private CompressionStage compress(List<InodePlan> files, List<InodePlan> chunked, List<InodePlan> scanned,
            boolean packNow) throws IOException {
        ExecutorService pool = opt.workers() > 1 ? Executors.newFixedThreadPool(opt.workers(), r -> {
            Thread t = new Thread(r, "erofs4j-compress");
            t.setDaemon(true);
            return t;
        }) : null;
        CompressionStage stage = newStage(opt, codecs, pool);
        try {
            // A hint may keep a file uncompressed (pcluster size 0): it is planned as one that does not pay.
            List<FileContent> contents = new ArrayList<>(files.size());
            List<ZCodecs.Choice> choices = new ArrayList<>(files.size());
            List<Integer> at = new ArrayList<>(files.size());
            for (InodePlan p : files) {
                ZCodecs.Choice ch = codecs.forPath(p.path());
                at.add(ch == null ? -1 : contents.size());
                if (ch != null) {
                    contents.add(p.node.content());
                    choices.add(ch);
                }
            }
            List<ZFile> z = stage.compress(contents, choices, opt.listener());
            for (int i = 0; i < files.size(); i++) {
                InodePlan p = files.get(i);
                ZFile f = at.get(i) < 0 ? null : z.get(at.get(i));
                if (f == null) {
                    if (opt.chunkSize() != 0) {
                        p.data = chunked(p);
                        chunked.add(p);
                        scanned.add(p);
                    } else {
                        p.data = flat(p);
                    }
                    continue;
                }
                int head = p.coreSize() + p.xattrBodySize;
                int mapBytes = f.mapSize(head);
                if (f.inline != null) {
                    f.tailInBlock = !canInline(((head + 7) & ~7) + mapBytes, f.inline.length);
                }
                p.data = new CompressedData(f, head, mapBytes);
            }
            if (packNow) {
                planPacked(stage);
            } else if (pool != null) {
                // The packed inode is compressed later (packDirectories) on the same threads.
                stage.keepPool(pool);
                pool = null;
            }
            return stage;
        } catch (IOException | RuntimeException e) {
            stage.close();
            throw e;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Plans the packed inode from the fragments in {@code stage}, if any, and sets it there. */
    private void planPacked(CompressionStage stage) throws IOException {
        FileContent packed = stage.packedContent();
        if (packed == null) {
            return;
        }
        Compression c = opt.compression();
        InodePlan pp = PackedInode.plan(packed, opt, nextSerial);
        planFormat(pp);
        ZFile f = stage.compressPacked(
                c.fragmentPclusterSize() == 0 ? codecs.primary().pclusterSize() : c.fragmentPclusterSize(),
                opt.listener());
        if (f == null) {
            pp.data = flat(pp);
        } else {
            int head = pp.coreSize() + pp.xattrBodySize;
            int mapBytes = f.mapSize(head);
            if (f.inline != null) {
                f.tailInBlock = !canInline(((head + 7) & ~7) + mapBytes, f.inline.length);
            }
            pp.data = new CompressedData(f, head, mapBytes);
        }
        stage.packedInode = pp;
    }

    /**
     * Once every inode of the tree is placed (the nids known): appends the content of each compressed directory
     * ({@link CompressionStage#directories}) to the packed inode, in the order mkfs.erofs 1.9.3 writes them (depth
     * first from the root, subdirectories in name order), then plans the packed inode, serial {@code serial},
     * which the caller places after the others. Returns it, or null when there are no compressed directories.
     */
    static InodePlan packDirectories(CompressionStage stage, WriteOptions opt, ZCodecs codecs, long serial)
            throws IOException {
        if (stage == null || stage.directories.isEmpty()) {
            return null;
        }
        int bs = opt.blockSize();
        // Each directory is packed once, when first met.
        java.util.Set<InodePlan> unpacked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        unpacked.addAll(stage.directories);
        java.util.ArrayDeque<InodePlan> todo = new java.util.ArrayDeque<>();
        todo.push(stage.directories.get(0));
        unpacked.remove(stage.directories.get(0));
        while (!todo.isEmpty()) {
            InodePlan d = todo.pop();
            stage.packDirectory(((CompressedData) d.data).file, DirectoryEncoder.encode(d, bs));
            for (int i = d.dirNames.length - 1; i >= 0; i--) {
                InodePlan t = d.dirTargets[i];
                if (t.type == FileType.DIRECTORY && !isDot(d.dirNames[i]) && unpacked.remove(t)) {
                    todo.push(t);
                }
            }
        }
        DataPlanner planner = new DataPlanner(opt, codecs);
        planner.nextSerial = serial;
        planner.planPacked(stage);
        return stage.packedInode;
    }

    private static boolean isDot(byte[] name) {
        return name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.';
    }

    /** A compression stage with the image's settings, compressing on {@code pool} (or the calling thread). */
    static CompressionStage newStage(WriteOptions opt, ZCodecs codecs, ExecutorService pool) throws IOException {
        Compression c = opt.compression();
        ZCodecs.Choice primary = codecs.primary();
        // As mkfs.erofs: plain pclusters interlaced with fragments unless dedupe; identical pclusters stored once
        // with fragments unless dedupe (which shares them its own way). The packed inode uses the primary codec.
        CompressionStage.Settings settings = new CompressionStage.Settings(opt.blockBits(), primary.pclusterSize(),
                c.ztailpacking(), c.compactIndexes(), codecs.bigPcluster(), primary.algorithm(), c.maxExtentBytes(),
                c.fragments(), c.allFragments(), c.fragments() && !c.dedupe(), c.dedupe(),
                c.fragments() && !c.dedupe());
        Path spoolDir = c.spoolDirectory() != null ? c.spoolDirectory()
                : Path.of(System.getProperty("java.io.tmpdir"));
        return new CompressionStage(settings, i -> ZSegmentEncoder.DestSizeCompressor.of(codecs.codec(i).create()),
                pool, spoolDir);
    }

    private void planFormat(InodePlan p) throws IOException {
        boolean needsExtended = p.uid > 0xFFFF || p.gid > 0xFFFF || p.nlink > 0xFFFF || p.size > 0xFFFFFFFFL
                || p.mtime != opt.buildTime() || p.nsec != 0;
        switch (opt.inodeFormat()) {
            case EXTENDED -> p.extended = true;
            case COMPACT -> {
                if (needsExtended) {
                    throw new IOException(p.path() + ": cannot use a compact inode (uid " + p.uid + ", gid "
                            + p.gid + ", nlink " + p.nlink + ", size " + p.size + ")");
                }
            }
            default -> p.extended = needsExtended;
        }
        if (p.uid > 0xFFFFFFFFL || p.gid > 0xFFFFFFFFL) {
            throw new IOException(p.path() + ": uid/gid over 32 bits after offsets: " + p.uid + "/" + p.gid);
        }
    }

    private ChunkedData chunked(InodePlan p) throws IOException {
        int chunkBits = Long.numberOfTrailingZeros(opt.chunkSize());
        long n = (p.size + opt.chunkSize() - 1) >>> chunkBits;
        if (n > Integer.MAX_VALUE / 8) {
            throw new IOException(p.path() + ": too many chunks (" + n + ")");
        }
        return new ChunkedData(p.size, chunkBits, opt.chunkFormat() == WriteOptions.ChunkFormat.INDEXES);
    }

    /** A sparse file: one hole chunk covering it (as many as needed past the largest chunk), nothing to scan. */
    private ChunkedData hole(InodePlan p) {
        int chunkBits = Math.min(bits + ChunkIndex.FORMAT_BLKBITS_MASK,
                Math.max(bits, 64 - Long.numberOfLeadingZeros(p.size - 1)));
        ChunkedData c = new ChunkedData(p.size, chunkBits, false);
        c.digests = new byte[c.chunks()][];
        return c;
    }

    private FlatData flat(InodePlan p) {
        int tail = (int) (p.size & (bs - 1));
        boolean mayInline = tail > 0 && (p.type != FileType.REGULAR || opt.inlineData());
        // Without a map, everything before an inline tail is the core and the xattrs.
        return new FlatData(p.size, bits, mayInline && canInline(p.coreSize() + p.xattrBodySize, tail));
    }

    /** Whether a tail fits in the block holding the end of metadata of this size, placed as placement would. */
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
                    scan(p);
                } else {
                    fs.add(pool.submit(() -> {
                        scan(p);
                        return null;
                    }));
                }
            }
            for (int i = 0; i < fs.size(); i++) {
                Prefetcher.await(fs.get(i), chunked.get(i).path());
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void scan(InodePlan p) throws IOException {
        ChunkedData d = (ChunkedData) p.data;
        long chunk = 1L << d.chunkBits;
        int n = d.chunks();
        byte[][] digests = new byte[n][];
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
                digests[i] = zero ? null : md.digest();
            }
        }
        d.digests = digests;
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
}
