package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A compact (32-byte) inode ({@code struct erofs_inode_compact}).
 *
 * @param mtime seconds relative to the superblock epoch (zero in images from mkfs.erofs 1.8 and older)
 */
public record CompactInode(
        int format, int xattrIcount, int mode, int nb, long size, long mtime, long u, long ino, long uid, long gid)
        implements InodeCore {

    /** Size on disk. */
    public static final int SIZE = 32;

    @Override
    public int coreSize() {
        return SIZE;
    }

    public static CompactInode decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new CompactInode(
                SuperBlock.u16(b, offset),
                SuperBlock.u16(b, offset + 2),
                SuperBlock.u16(b, offset + 4),
                SuperBlock.u16(b, offset + 6),
                SuperBlock.u32(b, offset + 8),
                SuperBlock.u32(b, offset + 12),
                SuperBlock.u32(b, offset + 16),
                SuperBlock.u32(b, offset + 20),
                SuperBlock.u16(b, offset + 24),
                SuperBlock.u16(b, offset + 26));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(offset, (short) format);
        b.putShort(offset + 2, (short) xattrIcount);
        b.putShort(offset + 4, (short) mode);
        b.putShort(offset + 6, (short) nb);
        b.putInt(offset + 8, (int) size);
        b.putInt(offset + 12, (int) mtime);
        b.putInt(offset + 16, (int) u);
        b.putInt(offset + 20, (int) ino);
        b.putShort(offset + 24, (short) uid);
        b.putShort(offset + 26, (short) gid);
        b.putInt(offset + 28, 0);
    }
}
