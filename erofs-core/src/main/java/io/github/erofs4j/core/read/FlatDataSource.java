package io.github.erofs4j.core.read;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * FLAT_PLAIN and FLAT_INLINE: whole blocks from the start block, and for FLAT_INLINE a tail stored right after
 * the inode's xattr body. A null start block reads as a hole.
 */
final class FlatDataSource implements DataSource {
    private final ErofsInode inode;
    private final ImageSource src;
    /** Where the inline tail lives: the primary device, or the metabox for an inode kept there. */
    private final MetaSpace tailSpace;
    private final long size;
    private final long blocksPart;
    private final long blocksStart;
    private final long tailStart;
    private final String what;
    /** Directories and symlinks are metadata: read them through the block cache. */
    private final boolean cached;

    private FlatDataSource(ErofsInode inode, long blocksPart, long blocksStart, long tailStart) {
        this.inode = inode;
        this.src = inode.image().source();
        this.tailSpace = inode.meta();
        this.size = inode.size();
        this.blocksPart = blocksPart;
        this.blocksStart = blocksStart;
        this.tailStart = tailStart;
        this.what = "data of nid " + inode.nid();
        this.cached = inode.type() != FileType.REGULAR;
    }

    static FlatDataSource create(ErofsInode inode) throws IOException {
        ErofsImage image = inode.image();
        int bits = image.blockBits();
        long bs = 1L << bits;
        long size = inode.size();
        long nblocks = (size >>> bits) + ((size & (bs - 1)) != 0 ? 1 : 0);
        long blocksPart;
        long tailStart = -1;
        if (inode.dataLayout() == Erofs.LAYOUT_FLAT_INLINE && nblocks > 0) {
            blocksPart = (nblocks - 1) << bits;
            long tailLen = size - blocksPart;
            tailStart = inode.metaEnd();
            if ((tailStart & (bs - 1)) + tailLen > bs) {
                throw ErofsFormatException.corrupt(tailStart, "inline data of nid " + inode.nid(),
                        tailLen + " bytes cross a block boundary");
            }
            inode.meta().check(tailStart, tailLen, "inline data of nid " + inode.nid());
        } else {
            blocksPart = size;
        }
        long start = -1;
        if (blocksPart > 0) {
            long blk = inode.flatStartBlock();
            if (blk >= 0) {
                start = image.blockOffset(blk, "inode nid " + inode.nid(), inode.inodeOffset() + 16);
            }
        }
        return new FlatDataSource(inode, blocksPart, start, tailStart);
    }

    @Override
    public int read(long pos, ByteBuffer dst) throws IOException {
        int want = (int) Math.min(dst.remaining(), size - pos);
        if (pos < blocksPart) {
            int n = (int) Math.min(want, blocksPart - pos);
            if (blocksStart < 0) {
                DataSources.zeros(dst, n);
            } else {
                if (pos > Long.MAX_VALUE - blocksStart) {
                    throw ErofsFormatException.corrupt(inode.inodeOffset() + 16, what, "address out of range");
                }
                readInto(blocksStart + pos, dst, n);
            }
            return n;
        }
        if (tailSpace.metabox()) {
            dst.put(tailSpace.meta(tailStart + (pos - blocksPart), want, what));
        } else {
            readInto(tailStart + (pos - blocksPart), dst, want);
        }
        return want;
    }

    private void readInto(long off, ByteBuffer dst, int n) throws IOException {
        if (cached) {
            dst.put(src.meta(off, n, what));
            return;
        }
        ByteBuffer slice = dst.slice();
        slice.limit(n);
        src.readFully(0, off, slice, what);
        dst.position(dst.position() + n);
    }

    @Override
    public long physicalOffset(long pos) {
        if (pos < blocksPart) {
            return blocksStart < 0 ? -1 : blocksStart + pos;
        }
        return tailSpace.metabox() ? -1 : tailStart + (pos - blocksPart);
    }

    @Override
    public List<DataExtent> extents() {
        List<DataExtent> out = new ArrayList<>(2);
        if (blocksPart > 0) {
            out.add(new DataExtent(0, blocksPart, 0, blocksStart, false));
        }
        if (blocksPart < size) {
            out.add(new DataExtent(blocksPart, size - blocksPart, tailSpace.metabox() ? DataExtent.METABOX : 0,
                    tailStart, false));
        }
        return out;
    }
}
