package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An extended (64-byte) inode ({@code struct erofs_inode_extended}).
 *
 * @param mtime seconds since the Unix epoch (signed)
 * @param mtimeNsec nanoseconds of the mtime
 */
public record ExtendedInode(
        int format,
        int xattrIcount,
        int mode,
        int nb,
        long size,
        long u,
        long ino,
        long uid,
        long gid,
        long mtime,
        long mtimeNsec,
        long nlink)
        implements InodeCore {

    /** Size on disk. */
    public static final int SIZE = 64;

    @Override
    public int coreSize() {
        return SIZE;
    }

    public static ExtendedInode decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new ExtendedInode(
                SuperBlock.u16(b, offset),
                SuperBlock.u16(b, offset + 2),
                SuperBlock.u16(b, offset + 4),
                SuperBlock.u16(b, offset + 6),
                b.getLong(offset + 8),
                SuperBlock.u32(b, offset + 16),
                SuperBlock.u32(b, offset + 20),
                SuperBlock.u32(b, offset + 24),
                SuperBlock.u32(b, offset + 28),
                b.getLong(offset + 32),
                SuperBlock.u32(b, offset + 40),
                SuperBlock.u32(b, offset + 44));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(offset, (short) format);
        b.putShort(offset + 2, (short) xattrIcount);
        b.putShort(offset + 4, (short) mode);
        b.putShort(offset + 6, (short) nb);
        b.putLong(offset + 8, size);
        b.putInt(offset + 16, (int) u);
        b.putInt(offset + 20, (int) ino);
        b.putInt(offset + 24, (int) uid);
        b.putInt(offset + 28, (int) gid);
        b.putLong(offset + 32, mtime);
        b.putInt(offset + 40, (int) mtimeNsec);
        b.putInt(offset + 44, (int) nlink);
        b.put(offset + 48, new byte[16]);
    }
}
