package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A 128-byte extra-device slot ({@code struct erofs_deviceslot}). */
public record DeviceSlot(byte[] tag, long blocksLo, long uniaddrLo, int blocksHi, int uniaddrHi) {

    /** Size on disk. */
    public static final int SIZE = 128;

    public DeviceSlot {
        tag = tag == null ? new byte[64] : Arrays.copyOf(tag, 64);
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public static DeviceSlot decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] tag = new byte[64];
        b.get(offset, tag);
        return new DeviceSlot(tag, SuperBlock.u32(b, offset + 64), SuperBlock.u32(b, offset + 68),
                SuperBlock.u16(b, offset + 72), SuperBlock.u16(b, offset + 74));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.put(offset, new byte[SIZE]);
        b.put(offset, tag);
        b.putInt(offset + 64, (int) blocksLo);
        b.putInt(offset + 68, (int) uniaddrLo);
        b.putShort(offset + 72, (short) blocksHi);
        b.putShort(offset + 74, (short) uniaddrHi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceSlot d && Arrays.equals(tag, d.tag) && blocksLo == d.blocksLo
                && uniaddrLo == d.uniaddrLo && blocksHi == d.blocksHi && uniaddrHi == d.uniaddrHi;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tag) * 31 + Long.hashCode(blocksLo ^ uniaddrLo);
    }

    @Override
    public String toString() {
        return "DeviceSlot[blocksLo=" + blocksLo + ", uniaddrLo=" + uniaddrLo + ", blocksHi=" + blocksHi
                + ", uniaddrHi=" + uniaddrHi + "]";
    }
}
