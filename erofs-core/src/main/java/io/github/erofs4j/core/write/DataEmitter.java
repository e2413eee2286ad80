package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Writes the data area, block after block in inode order, streaming file contents from their sources: small
 * files are read ahead on the pool into a bounded window ({@link Prefetcher}), large ones copied directly
 * (with {@code transferTo} when possible). Optionally keeps the inline tails of regular files, read with their
 * blocks, for a metadata pass that comes afterwards.
 */
final class DataEmitter {
    /** Bytes of file content read ahead of the writer at most (per phase). */
    static final int PREFETCH_BYTES = 8 << 20;
    /** Files up to this size are read ahead; larger ones are copied directly (transferTo when possible). */
    private static final long PREFETCH_FILE_MAX = 1L << 20;

    private final List<InodePlan> inodes;
    private final int bs;
    private final int bits;
    private final long totalBlocks;
    private final CompressionStage compressed;

    /** {@code compressed}: where the pclusters of compressed files wait; null when there are none. */
    DataEmitter(List<InodePlan> inodes, int blockSize, long totalBlocks, CompressionStage compressed) {
        this.inodes = inodes;
        this.compressed = compressed;
        this.bs = blockSize;
        this.bits = Integer.numberOfTrailingZeros(blockSize);
        this.totalBlocks = totalBlocks;
    }

    /**
     * Writes the data area from the output's position (the end of the metadata area) to the end of the image.
     * With {@code tails} non-null, regular files whose inline tail it keeps are read whole when small (the tail is
     * kept there) and their tail is read after the blocks otherwise.
     */
    void emit(ImageOutput o, ExecutorService pool, TailStore tails) throws IOException {
        List<Prefetcher.Range> small = new ArrayList<>();
        for (InodePlan p : inodes) {
            if (p.type == FileType.REGULAR && p.data instanceof FlatData f
                    && (f.dataBlocks > 0 || tails != null && tails.keeps(p))) {
                long len = readLength(p, f, tails != null && tails.keeps(p));
                if (len <= PREFETCH_FILE_MAX) {
                    small.add(new Prefetcher.Range(p.node.content(), 0, (int) len));
                }
            }
        }
        try (Prefetcher reader = new Prefetcher(small, pool, PREFETCH_BYTES)) {
            for (InodePlan p : inodes) {
                if (p.data instanceof ChunkedData c) {
                    emitChunks(o, p, c);
                } else if (p.data instanceof CompressedData z) {
                    emitCompressed(o, p, z);
                } else if (p.data instanceof FlatData f) {
                    emitFlat(o, reader, tails, p, f);
                }
            }
        }
        o.zerosTo(totalBlocks * bs);
    }

    /** Bytes of a regular file read for the data pass: with the tail when it is kept for the metadata pass. */
    private long readLength(InodePlan p, FlatData f, boolean withTail) {
        return f.inline ? (f.fullBlocks << bits) + (withTail ? f.tail : 0) : p.size;
    }

    private void emitFlat(ImageOutput o, Prefetcher reader, TailStore tails, InodePlan p, FlatData f)
            throws IOException {
        boolean keepTail = tails != null && tails.keeps(p);
        if (f.dataBlocks == 0 && !keepTail) {
            return;
        }
        if (f.dataBlocks > 0) {
            o.zerosTo(f.startBlk * bs);
        }
        long len = f.blockBytes(p.size, bits);
        switch (p.type) {
            case DIRECTORY -> o.write(DirectoryEncoder.encode(p, bs), 0, (int) len);
            case SYMLINK -> o.write(p.node.symlinkTargetRaw(), 0, (int) len);
            default -> {
                long read = readLength(p, f, keepTail);
                if (read <= PREFETCH_FILE_MAX) {
                    Prefetcher.Slice b = reader.next();
                    o.write(b.array(), b.offset(), (int) len);
                    if (keepTail) {
                        int from = b.offset() + (int) len;
                        tails.put(p, Arrays.copyOfRange(b.array(), from, from + f.tail));
                    }
                } else {
                    FileContent c = p.node.content();
                    try (ReadableByteChannel ch = c.open(0)) {
                        o.copy(ch, 0, len, c);
                    }
                    if (keepTail) {
                        tails.put(p, Prefetcher.read(new Prefetcher.Range(c, len, f.tail)));
                    }
                }
            }
        }
        if (f.dataBlocks > 0) {
            o.zerosTo((f.startBlk + f.dataBlocks) * bs);
        }
    }

    private void emitCompressed(ImageOutput o, InodePlan p, CompressedData z) throws IOException {
        ZFile f = z.file;
        if (f.blocks() == 0) {
            return;
        }
        o.zerosTo(z.startBlk * bs);
        if (f.dataBytes > 0) {
            java.nio.channels.FileChannel spool = compressed.spool();
            spool.position(f.spoolOffset);
            o.copy(spool, f.spoolOffset, f.dataBytes, p.node.content());
        }
        if (f.tailInBlock && f.inline != null) {
            o.write(f.tailBlock());
        }
    }

    private void emitChunks(ImageOutput o, InodePlan p, ChunkedData d) throws IOException {
        long chunk = 1L << d.chunkBits;
        FileContent c = p.node.content();
        ReadableByteChannel ch = null;
        try {
            for (int i = 0; i < d.blk.length; i++) {
                if (!d.owner[i]) {
                    continue;
                }
                o.zerosTo(d.blk[i] * bs);
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
    }
}
