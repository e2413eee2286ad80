package io.github.erofs4j.core.write;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.CompactInode;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.ExtendedInode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One inode's bytes in the metadata area: the core (compact or extended), the xattr body, the data plan's map and
 * the inline data. Needs the final layout (nids of directory entries, data blocks, shared xattr ids).
 */
final class InodeEncoder {
    private final int bs;
    private final int bits;
    private final long epoch;
    private final int[] sharedIds;

    /** {@code sharedIds}: the on-disk id of each shared xattr, by its index in the shared table. */
    InodeEncoder(WriteOptions opt, int[] sharedIds) {
        this(opt, sharedIds, opt.buildTime());
    }

    /** With {@code epoch} the superblock's time base of compact inodes (not the build time in the 48-bit layout). */
    InodeEncoder(WriteOptions opt, int[] sharedIds, long epoch) {
        this.bs = opt.blockSize();
        this.bits = opt.blockBits();
        this.epoch = epoch;
        this.sharedIds = sharedIds;
    }

    /**
     * The inode's {@link InodePlan#slotBytes()} bytes. {@code inline} is the inline data of a regular file (null
     * when it has none or it is to be left as zeros); that of directories and symlinks is made here.
     */
    byte[] encode(InodePlan p, byte[] inline) {
        int meta = (int) p.metaSize();
        int inlineBytes = p.data.inlineBytes();
        byte[] bytes = new byte[meta + inlineBytes];
        encodeHead(p, bytes);
        if (inlineBytes > 0) {
            int from = inlineFrom(p);
            byte[] src = inlineSource(p, inline);
            if (src != null) {
                System.arraycopy(src, from, bytes, meta, inlineBytes);
            }
        }
        return bytes;
    }

    /** The inode's bytes before its inline data: {@link InodePlan#metaSize()} bytes. */
    byte[] encodeHead(InodePlan p) {
        byte[] bytes = new byte[(int) p.metaSize()];
        encodeHead(p, bytes);
        return bytes;
    }

    /**
     * Where the inline data of a directory, symlink or compressed file comes from (from index
     * {@link #inlineFrom}); for a flat regular file {@code content}, its content's tail as read by the caller.
     */
    byte[] inlineSource(InodePlan p, byte[] content) {
        if (p.data instanceof CompressedData z) {
            return z.inline();
        }
        return switch (p.type) {
            case DIRECTORY -> DirectoryEncoder.encode(p, bs);
            case SYMLINK -> p.node.symlinkTargetRaw();
            default -> content;
        };
    }

    /** Index of the inline data in {@link #inlineSource}. */
    static int inlineFrom(InodePlan p) {
        return p.type == FileType.REGULAR ? 0 : (int) (p.size - p.data.inlineBytes());
    }

    private void encodeHead(InodePlan p, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long u = switch (p.type) {
            case CHAR_DEVICE, BLOCK_DEVICE -> Erofs.encodeRdev(p.node.rdevMajor(), p.node.rdevMinor());
            case FIFO, SOCKET -> 0;
            default -> p.data.rawBlockField(p.size, bits);
        };
        int format = (p.extended ? Erofs.I_VERSION_EXTENDED : 0) | (p.data.layout() << 1);
        int icount = p.xattrBodySize == 0 ? 0 : (p.xattrBodySize - 12) / 4 + 1;
        int mode = p.node.mode();
        if (p.extended) {
            new ExtendedInode(format, icount, mode, 0, p.size, u, p.serial, p.uid, p.gid, p.mtime, p.nsec, p.nlink)
                    .encode(b, 0);
        } else {
            new CompactInode(format, icount, mode, (int) p.nlink, p.size, p.mtime - epoch, u, p.serial,
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
        if (p.data.mapBytes() > 0) {
            p.data.encodeMap(b, p.data.mapOffset(p.coreSize() + p.xattrBodySize));
        }
    }
}
