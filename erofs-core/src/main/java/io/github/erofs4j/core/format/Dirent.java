package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A directory entry ({@code struct erofs_dirent}); names follow the dirent array of each directory block.
 *
 * @param nameOff byte offset of the name within the directory block
 * @param fileType one of the {@code Erofs.FT_*} codes
 */
public record Dirent(long nid, int nameOff, int fileType) {

    /** Size on disk. */
    public static final int SIZE = 12;

    public static Dirent decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new Dirent(b.getLong(offset), SuperBlock.u16(b, offset + 8), SuperBlock.u8(b, offset + 10));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(offset, nid);
        b.putShort(offset + 8, (short) nameOff);
        b.put(offset + 10, (byte) fileType);
        b.put(offset + 11, (byte) 0);
    }
}
