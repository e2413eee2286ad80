package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.ChunkIndex;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * CHUNK_BASED: a block map (4-byte start blocks, primary device) or chunk indexes (8 bytes with a device id and
 * optional 48-bit addresses) right after the xattr body, one entry per chunk. A null start block is a hole.
 */
final class ChunkDataSource implements DataSource {
    private final ErofsInode inode;
    private final ErofsImage image;
    private final long size;
    private final int chunkBits;
    private final boolean indexes;
    private final boolean wide;
    private final long arrayStart;
    private final long count;
    private final String what;

    private ChunkDataSource(ErofsInode inode, int chunkBits, boolean indexes, boolean wide, long arrayStart,
            long count) {
        this.inode = inode;
        this.image = inode.image();
        this.size = inode.size();
        this.chunkBits = chunkBits;
        this.indexes = indexes;
        this.wide = wide;
        this.arrayStart = arrayStart;
        this.count = count;
        this.what = "chunk map of nid " + inode.nid();
    }

    static ChunkDataSource create(ErofsInode inode) throws IOException {
        ErofsImage image = inode.image();
        int fmt = (int) (inode.core().u() & 0xFFFF);
        int chunkBits = image.blockBits() + (fmt & ChunkIndex.FORMAT_BLKBITS_MASK);
        boolean indexes = (fmt & ChunkIndex.FORMAT_INDEXES) != 0;
        boolean wide = (fmt & ChunkIndex.FORMAT_48BIT) != 0;
        int unit = indexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE;
        long start = (inode.metaEnd() + unit - 1) & -(long) unit;
        long size = inode.size();
        long count = (size >>> chunkBits) + ((size & ((1L << chunkBits) - 1)) != 0 ? 1 : 0);
        if (count > Long.MAX_VALUE / unit) {
            throw ErofsFormatException.corrupt(inode.inodeOffset(), "inode nid " + inode.nid(), "too many chunks");
        }
        inode.meta().check(start, count * unit, "chunk map of nid " + inode.nid());
        return new ChunkDataSource(inode, chunkBits, indexes, wide, start, count);
    }

    /** Resolves chunk {@code i}: {device, byte offset on the device}, or null for a hole. */
    private long[] chunk(long i) throws IOException {
        int unit = indexes ? ChunkIndex.SIZE : ChunkIndex.BLOCK_MAP_ENTRY_SIZE;
        long off = arrayStart + i * unit;
        ByteBuffer b = inode.meta().meta(off, unit, what);
        long blk;
        int device = 0;
        if (indexes) {
            ChunkIndex ci = ChunkIndex.decode(b, 0);
            device = ci.deviceId();
            if (wide) {
                blk = ci.startblkLo() | ((long) ci.startblkHi() << 32);
                if (blk == Erofs.NULL_ADDR_48) {
                    return null;
                }
            } else {
                blk = ci.startblkLo();
                if (blk == Erofs.NULL_ADDR_32) {
                    return null;
                }
            }
        } else {
            blk = b.getInt(0) & 0xFFFFFFFFL;
            if (blk == Erofs.NULL_ADDR_32) {
                return null;
            }
        }
        long pa = image.blockOffset(blk, what + " entry " + i, off);
        if (indexes) {
            return image.mapDevice(device, pa, what + " entry " + i, off);
        }
        return new long[] {0, pa};
    }

    @Override
    public int read(long pos, ByteBuffer dst) throws IOException {
        long i = pos >>> chunkBits;
        long chunkStart = i << chunkBits;
        long within = pos - chunkStart;
        long chunkEnd = Math.min(size, chunkStart + (1L << chunkBits));
        int n = (int) Math.min(dst.remaining(), chunkEnd - pos);
        long[] loc = chunk(i);
        if (loc == null) {
            DataSources.zeros(dst, n);
            return n;
        }
        if (within > Long.MAX_VALUE - loc[1]) {
            throw ErofsFormatException.corrupt(arrayStart, what, "address out of range");
        }
        ByteBuffer slice = dst.slice();
        slice.limit(n);
        image.source().readFully((int) loc[0], loc[1] + within, slice, "data of nid " + inode.nid());
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    public long physicalOffset(long pos) {
        try {
            long[] loc = chunk(pos >>> chunkBits);
            return loc == null || loc[0] != 0 ? -1 : loc[1] + (pos - ((pos >>> chunkBits) << chunkBits));
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public List<DataExtent> extents() throws IOException {
        List<DataExtent> out = new ArrayList<>();
        long chunkSize = 1L << chunkBits;
        for (long i = 0; i < count; i++) {
            long logical = i << chunkBits;
            long len = Math.min(chunkSize, size - logical);
            long[] loc = chunk(i);
            int dev = loc == null ? 0 : (int) loc[0];
            long phys = loc == null ? -1 : loc[1];
            if (!out.isEmpty()) {
                DataExtent last = out.get(out.size() - 1);
                boolean merge = last.device() == dev && (phys < 0 ? last.physicalOffset() < 0
                        : last.physicalOffset() >= 0 && last.physicalOffset() + last.length() == phys);
                if (merge) {
                    out.set(out.size() - 1, new DataExtent(last.logicalOffset(), last.length() + len, dev,
                            last.physicalOffset(), false));
                    continue;
                }
            }
            out.add(new DataExtent(logical, len, dev, phys, false));
        }
        return out;
    }
}
