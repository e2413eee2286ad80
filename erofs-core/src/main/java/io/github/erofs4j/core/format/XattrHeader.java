package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of an inode's xattr body ({@code struct erofs_xattr_ibody_header}); followed by
 * {@code sharedCount} u32 shared xattr ids and then the inline entries.
 *
 * @param nameFilter bloom filter: a set bit means no name hashing to it is present
 */
public record XattrHeader(long nameFilter, int sharedCount) {

    /** Size on disk. */
    public static final int SIZE = 12;

    public static XattrHeader decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new XattrHeader(SuperBlock.u32(b, offset), SuperBlock.u8(b, offset + 4));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(offset, (int) nameFilter);
        b.put(offset + 4, (byte) sharedCount);
        b.put(offset + 5, new byte[7]);
    }
}
