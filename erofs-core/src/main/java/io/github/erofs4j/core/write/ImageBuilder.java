package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plans and emits one image by running the writer's stages in turn:
 * <ol>
 *   <li>{@link TreeCollector}: inodes breadth-first, with the ownership and time rules applied;
 *   <li>{@link XattrLayout}: shared xattrs and each inode's xattr body;
 *   <li>{@link DataPlanner}: inode formats and data plans (flat, inline tail, chunk-based, scanned in parallel);
 *   <li>{@link MetadataLayout}: metadata blocks and nids; then {@link DataPlanner#allocate} gives data blocks
 *       after them, in inode order;
 *   <li>{@link MetadataWriter} (with {@link InodeEncoder}, {@link SuperblockEncoder}, {@link DirectoryEncoder})
 *       and {@link DataEmitter}: the bytes, strictly in offset order, or the data area first when writing a file
 *       of its own; an uncompressed, unchunked image to a file of its own by {@link PositionalEmitter}, in
 *       parallel jobs that write every piece at its offset.
 * </ol>
 * Every decision depends only on the tree and the options, never on timing or thread count.
 */
final class ImageBuilder {
    /** Largest metadata area encoded in memory ahead of time. */
    private static final long MAX_META_IN_MEMORY = 64L << 20;
    /**
     * Most bytes of inline tails kept from the data pass for the metadata pass that follows it (the rest are read
     * again); a variable only so that tests can make it small.
     */
    static volatile long maxTailsInMemory = 32L << 20;

    private final FsTree tree;
    private final WriteOptions opt;
    private final int bs;

    ImageBuilder(FsTree tree, WriteOptions opt) {
        this.tree = tree;
        this.opt = opt;
        this.bs = opt.blockSize();
    }

    /** Writes to a channel strictly in order, from its position onwards (it is never repositioned). */
    WriteSummary build(SeekableByteChannel out) throws IOException {
        return build(out, null, null);
    }

    /**
     * Writes to a new file's channel, opened by the caller for reading and writing at position 0 (not in append
     * mode): the data area may then be written before the metadata in front of it, or everything in parallel.
     * {@code file} is that file's path, through which data may be copied into it in the kernel (null: no copies).
     */
    WriteSummary buildFile(FileChannel out, Path file) throws IOException {
        return build(out, out, file);
    }

    private WriteSummary build(SeekableByteChannel out, FileChannel positional, Path file) throws IOException {
        List<InodePlan> inodes = TreeCollector.collect(tree, opt);
        XattrLayout xattrs = XattrLayout.plan(inodes, opt);
        ZCodecs codecs = ZCodecs.resolve(opt);
        CompressionStage extraStage = null;
        try (CompressionStage planned = DataPlanner.plan(inodes, opt, codecs)) {
            CompressionStage compressed = planned;
            byte[] prefixTable = xattrs.prefixTable();
            byte[] compressionConfigs = SuperblockEncoder.compressionConfigs(opt, codecs);
            boolean boxed = opt.metabox().isPresent();
            // The packed inode stays on the primary device (a packed nid with the metabox bit is refused).
            InodePlan packed = compressed != null ? compressed.packedInode : null;
            // Compressed directories: the packed inode holds their bytes, which hold nids, so it is planned once
            // every other inode is placed, and placed after them as it would be otherwise.
            boolean packLater = compressed != null && !compressed.directories.isEmpty();
            long treeInodes = inodes.size() - (packed != null ? 1 : 0);
            List<InodePlan> boxedInodes = inodes;
            if (boxed) {
                boxedInodes = new ArrayList<>(inodes);
                boxedInodes.remove(packed);
            }
            MetaboxLayout box = boxed ? MetaboxLayout.place(boxedInodes, opt, xattrs.sharedBytes(),
                    treeInodes + (packed != null || packLater ? 2 : 1)) : null;
            if (boxed && packLater) {
                packed = DataPlanner.packDirectories(compressed, opt, codecs, treeInodes + 1);
                inodes.add(packed);
            }
            List<InodePlan> mainInodes = !boxed ? inodes : packed == null ? List.of(box.inode())
                    : List.of(box.inode(), packed);
            MetadataLayout meta = MetadataLayout.place(mainInodes, bs, SuperblockEncoder.size(boxed),
                    compressionConfigs.length, prefixTable.length, boxed ? 0 : xattrs.sharedBytes());
            if (!boxed && packLater) {
                packed = DataPlanner.packDirectories(compressed, opt, codecs, treeInodes + 1);
                inodes.add(packed);
                meta.placeLast(packed);
            }
            long totalBlocks = DataPlanner.allocate(inodes, meta.blocks(), bs);
            long epoch = SuperblockEncoder.epoch(opt, boxed);
            List<InodePlan> dataInodes = inodes;
            if (boxed) {
                if (compressed == null && codecs != null) {
                    compressed = extraStage = DataPlanner.newStage(opt, codecs, null);
                }
                try (Pool readers = new Pool(opt.workers(), "erofs4j-read")) {
                    totalBlocks = box.finish(compressed, codecs, readers.executor(), xattrs, epoch, totalBlocks);
                }
                dataInodes = new ArrayList<>(inodes);
                dataInodes.add(box.inode());
            }
            int dataFeatures = 0;
            for (InodePlan p : dataInodes) {
                dataFeatures |= p.data.incompatFeatures();
            }
            long packedNid = compressed != null && compressed.packedInode != null ? compressed.packedInode.nid() : 0;
            byte[] superblock = SuperblockEncoder.encode(opt, codecs, inodes.get(0).nid(), dataInodes.size(),
                    totalBlocks, dataFeatures, xattrs.anyBody(), xattrs.longPrefixCount(), meta.prefixOffset(),
                    packedNid, boxed ? box.inode().nid() : -1, boxed && box.sharedOffset() >= 0);
            if (compressionConfigs.length > 0) {
                byte[] withConfigs = java.util.Arrays.copyOf(superblock, superblock.length + compressionConfigs.length);
                System.arraycopy(compressionConfigs, 0, withConfigs, superblock.length, compressionConfigs.length);
                superblock = withConfigs;
            }
            MetadataWriter metadata = new MetadataWriter(meta, superblock, xattrs, opt, epoch);
            DataEmitter data = new DataEmitter(dataInodes, bs, totalBlocks, compressed);
            long imageBytes = totalBlocks * bs;
            opt.listener().onEvent(new WriteEvent.Planned(inodes.size(), imageBytes));
            ExecutorService pool = opt.workers() > 1 ? Executors.newFixedThreadPool(opt.workers(), r -> {
                Thread t = new Thread(r, "erofs4j-read");
                t.setDaemon(true);
                return t;
            }) : null;
            try {
                if (positional != null && opt.observer() == null && !boxed && PositionalEmitter.handles(inodes)
                        && positional.size() == positional.position()) {
                    new PositionalEmitter(positional, file, positional.position(), meta, metadata, inodes, opt,
                            imageBytes).emit(pool, opt.workers());
                } else if (positional != null && opt.observer() == null) {
                    emitDataFirst(positional, pool, metadata, data, meta.blocks() * bs, imageBytes);
                } else {
                    try (ImageOutput o = new ImageOutput(out, opt.observer(), opt.listener(), imageBytes, 0,
                            csumEnd(), opt.superblockChecksum())) {
                        emitMetadata(o, pool, metadata);
                        data.emit(o, pool, null);
                        o.finish();
                    }
                }
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            long zFiles = 0;
            long zIn = 0;
            long zOut = 0;
            for (InodePlan p : inodes) {
                if (p.data instanceof CompressedData z && p.type == io.github.erofs4j.core.FileType.REGULAR) {
                    zFiles++;
                    zIn += p.size;
                    zOut += (z.file.blocks() << opt.blockBits()) + z.inlineBytes();
                }
            }
            WriteSummary s = new WriteSummary(inodes.size(), totalBlocks, bs, imageBytes, meta.blocks(),
                    xattrs.shared().size(), opt.uuid(), zFiles, zIn, zOut);
            opt.listener().onEvent(new WriteEvent.Finished(s));
            return s;
        } finally {
            if (extraStage != null) {
                extraStage.close();
            }
        }
    }

    /** A pool of daemon threads when more than one worker is wanted, shut down on close. */
    private record Pool(ExecutorService executor) implements AutoCloseable {
        Pool(int workers, String name) {
            this(workers > 1 ? Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }) : null);
        }

        @Override
        public void close() {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private int csumEnd() {
        return Erofs.SUPERBLOCK_OFFSET + SuperBlock.checksumLength(bs);
    }

    /** The metadata area in order, the inline tails of regular files read ahead on the pool. */
    private void emitMetadata(ImageOutput o, ExecutorService pool, MetadataWriter metadata) throws IOException {
        List<Prefetcher.Range> tails = new ArrayList<>();
        for (InodePlan p : metadata.inlineOrder()) {
            FlatData f = (FlatData) p.data;
            tails.add(new Prefetcher.Range(p.node.content(), f.fullBlocks * bs, f.tail));
        }
        try (Prefetcher tailReader = new Prefetcher(tails, pool, DataEmitter.PREFETCH_BYTES)) {
            metadata.write(o, p -> tailReader.nextBytes());
        }
    }

    /**
     * For a file channel and no observer: the data area first, at its offset, then the metadata in front of it.
     * Each small file is then read once, whole, and its inline tail kept for the metadata pass, up to
     * {@link #maxTailsInMemory} bytes of tails (the rest are read again then); writing metadata first would have
     * to read those files twice. The bytes are the same as the sequential order gives.
     */
    private void emitDataFirst(FileChannel fc, ExecutorService pool, MetadataWriter metadata, DataEmitter data,
            long dataStart, long imageBytes) throws IOException {
        long start = fc.position();
        TailStore tails = new TailStore(metadata.inlineOrder(), maxTailsInMemory, opt.blockBits());
        // With a worker to spare and a metadata area of moderate size, the metadata is encoded in memory (the
        // inline tails of regular files left out) while the data pass runs; the tails are put in after it.
        Future<byte[]> early = pool != null && dataStart <= MAX_META_IN_MEMORY
                ? pool.submit(() -> metadata.encodeWithoutInline(csumEnd())) : null;
        boolean dataWritten = false;
        try {
            fc.position(start + dataStart);
            try (ImageOutput o = new ImageOutput(fc, null, opt.listener(), imageBytes, dataStart, csumEnd(),
                    false)) {
                data.emit(o, pool, tails);
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
                byte[] area = Prefetcher.await(early, "metadata");
                for (InodePlan p : metadata.inlineOrder()) {
                    MetadataWriter.putInline(area, p, tails.take(p));
                }
                o.write(area);
            } else {
                metadata.write(o, tails::take);
            }
            o.flush();
        }
        fc.position(start + imageBytes);
    }

}
