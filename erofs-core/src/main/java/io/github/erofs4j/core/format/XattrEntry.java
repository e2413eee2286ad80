package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 4-byte header of an xattr entry ({@code struct erofs_xattr_entry}), followed by the name suffix and the
 * value, padded to 4 bytes.
 */
public record XattrEntry(int nameLen, int nameIndex, int valueSize) {

    /** Size of the header on disk. */
    public static final int SIZE = 4;

    /** Total size of the entry with its name, value and padding. */
    public int entrySize() {
        return (SIZE + nameLen + valueSize + 3) & ~3;
    }

    public static XattrEntry decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new XattrEntry(SuperBlock.u8(b, offset), SuperBlock.u8(b, offset + 1), SuperBlock.u16(b, offset + 2));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.put(offset, (byte) nameLen);
        b.put(offset + 1, (byte) nameIndex);
        b.putShort(offset + 2, (short) valueSize);
    }
}
