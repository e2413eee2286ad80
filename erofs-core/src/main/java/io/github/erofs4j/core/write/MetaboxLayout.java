package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.MapHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Compressed metadata ({@link Metabox}): every inode of the tree, with its xattrs, map and inline data, goes into
 * the data of one special regular file, the metabox inode, instead of the image's metadata blocks. The metabox's
 * data is laid out exactly as metadata blocks are (best fit, nothing crossing a block, the root first at nid 0),
 * and nids within it carry bit 63. The metabox inode itself is the only inode of the main metadata area; its
 * pclusters follow all other data, so that no other block address depends on how well the metadata compresses.
 *
 * <p>Used in two steps: {@link #place} before the main layout (the metabox inode's slot is sized then, from the
 * metabox's size alone), {@link #finish} once every data block is given (the metabox's bytes hold block
 * addresses). Not thread-safe.
 */
final class MetaboxLayout {
    private final List<InodePlan> inodes;
    private final WriteOptions opt;
    private final InodePlan inode;
    private final long bytes;
    private final long sharedOffset;

    private MetaboxLayout(List<InodePlan> inodes, WriteOptions opt, InodePlan inode, long bytes,
            long sharedOffset) {
        this.inodes = inodes;
        this.opt = opt;
        this.inode = inode;
        this.bytes = bytes;
        this.sharedOffset = sharedOffset;
    }

    /**
     * Places every inode (the root first, then the shared xattrs, then the others) in the metabox and makes the
     * metabox inode, its slot in the main area reserved for the largest form its map can take.
     *
     * <p>The shared xattrs go into the metabox too (with {@code COMPAT_SHARED_EA_IN_METABOX}): Linux 6.18 reads
     * the shared xattrs of an inode in the metabox from the metabox whatever that bit says, so an image with them
     * on the primary device (as mkfs.erofs 1.9.3 writes it) shows other bytes in their place.
     *
     * @param serial the serial number of the metabox inode
     */
    static MetaboxLayout place(List<InodePlan> inodes, WriteOptions opt, int sharedBytes, long serial)
            throws IOException {
        int bs = opt.blockSize();
        MetaAllocator alloc = new MetaAllocator(bs);
        long shared = -1;
        for (InodePlan p : inodes) {
            p.offset = alloc.place(p.slotBytes());
            p.inMetabox = true;
            if (shared < 0 && sharedBytes > 0) {
                shared = alloc.place(sharedBytes);
            }
        }
        long size = alloc.blocks() * bs;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("metadata of " + inodes.size() + " inodes too large for a metabox: " + size
                    + " bytes");
        }
        // The content is set once encoded (finish).
        InodePlan mb = new InodePlan(Node.file(new byte[0]), "(metabox)", serial);
        mb.uid = 0;
        mb.gid = 0;
        mb.mtime = opt.buildTime();
        mb.nsec = 0;
        mb.nlink = 1;
        mb.size = size;
        mb.extended = opt.inodeFormat() == WriteOptions.InodeFormat.EXTENDED;
        mb.xattrs = new java.util.TreeMap<>();
        mb.data = FlatData.empty();
        mb.reservedBytes = mb.coreSize() + mapBytesAtMost(opt, size, mb.coreSize());
        return new MetaboxLayout(inodes, opt, mb, size, shared);
    }

    /** The most bytes the metabox inode's map takes: compact indexes of one per block, or the full form. */
    private static int mapBytesAtMost(WriteOptions opt, long size, int core) {
        Compression c = opt.compression();
        if (!c.enabled()) {
            return 0;
        }
        int count = (int) (size >> opt.blockBits());
        int mapAt = ((core + 7) & ~7) - core;
        if (!c.compactIndexes()) {
            return mapAt + 16 + 8 * count;
        }
        return mapAt + ZMapEncoder.compactSize(count, ((core + 7) & ~7) + MapHeader.SIZE, opt.blockBits() <= 12);
    }

    /** Offset of the shared xattr area in the metabox, or -1 for none. */
    long sharedOffset() {
        return sharedOffset;
    }

    /** The metabox inode, to be placed in the main metadata area. */
    InodePlan inode() {
        return inode;
    }

    /**
     * Encodes the metabox (the inodes' final bytes, inline tails of regular files read on {@code pool}), stores it
     * compressed in {@code stage} when it has one and that pays, else as plain blocks, gives its blocks from
     * {@code dataEnd} on and returns the first block after them.
     *
     * @param stage the compression stage of the image, or null without compression
     * @param epoch the time base of compact inodes
     */
    long finish(CompressionStage stage, ZCodecs codecs, ExecutorService pool, XattrLayout xattrs,
            long epoch, long dataEnd) throws IOException {
        byte[] box = new byte[(int) bytes];
        if (sharedOffset >= 0) {
            byte[] area = xattrs.sharedArea();
            System.arraycopy(area, 0, box, (int) sharedOffset, area.length);
        }
        InodeEncoder enc = new InodeEncoder(opt, xattrs.sharedIds(sharedOffset), epoch);
        List<Prefetcher.Range> tails = new ArrayList<>();
        int bs = opt.blockSize();
        for (InodePlan p : inodes) {
            if (MetadataWriter.inlinesContent(p)) {
                FlatData f = (FlatData) p.data;
                tails.add(new Prefetcher.Range(p.node.content(), f.fullBlocks * bs, f.tail));
            }
        }
        try (Prefetcher tailReader = new Prefetcher(tails, pool, DataEmitter.PREFETCH_BYTES)) {
            for (InodePlan p : inodes) {
                byte[] b = enc.encode(p, MetadataWriter.inlinesContent(p) ? tailReader.nextBytes() : null);
                System.arraycopy(b, 0, box, (int) p.offset, b.length);
            }
        }
        FileContent content = FileContent.of(box);
        inode.node.content(content);
        ZFile z = null;
        if (stage != null) {
            Metabox m = opt.metabox().orElseThrow();
            z = stage.compressHere(content, codecs.choice(m.algorithm(), m.pclusterSize()), false);
        }
        if (z != null) {
            int head = inode.coreSize();
            inode.data = new CompressedData(z, head, z.mapSize(head));
        } else {
            inode.data = new FlatData(bytes, opt.blockBits(), false);
        }
        DataPlan.Blocks blocks = new DataPlan.Blocks(dataEnd, opt.blockBits());
        inode.data.allocate(blocks);
        if (inode.metaSize() + inode.data.inlineBytes() > inode.reservedBytes) {
            throw new IllegalStateException("metabox inode outgrew its slot");
        }
        if (blocks.next() >= InodePlan.NULL_BLK) {
            throw new IOException("image too large: over 2^32 - 2 blocks of " + bs + " bytes");
        }
        return blocks.next();
    }
}
