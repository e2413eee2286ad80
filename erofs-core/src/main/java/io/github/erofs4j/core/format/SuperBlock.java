package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The EROFS superblock ({@code struct erofs_super_block}), at byte 1024 of the image.
 *
 * <p>{@link #SIZE} bytes are decoded (the 144-byte form with one extension slot); an image whose
 * {@code sb_extslots} is 0 has zeros in the last 16 of them, which {@link #encode} also writes.
 *
 * <p>Unsigned fields are widened: u8 and u16 to {@code int}, u32 to {@code long}. Byte arrays are copied in and
 * out, so instances are immutable.
 */
public record SuperBlock(
        long magic,
        long checksum,
        long featureCompat,
        int blkszbits,
        int sbExtslots,
        int rootNid2b,
        long inos,
        long epoch,
        long fixedNsec,
        long blocksLo,
        long metaBlkaddr,
        long xattrBlkaddr,
        byte[] uuid,
        byte[] volumeName,
        long featureIncompat,
        int u1,
        int extraDevices,
        int devtSlotoff,
        int dirblkbits,
        int xattrPrefixCount,
        long xattrPrefixStart,
        long packedNid,
        int xattrFilterReserved,
        int ishareXattrPrefixId,
        long buildTime,
        long rootNid8b,
        long metaboxNid) {

    /** Bytes decoded and encoded: the base 128 bytes plus one 16-byte extension slot. */
    public static final int SIZE = 144;
    /** Size of the superblock without extension slots. */
    public static final int BASE_SIZE = 128;
    /** Byte offset of the checksum field within the superblock. */
    public static final int CHECKSUM_OFFSET = 4;

    public SuperBlock {
        uuid = uuid == null ? new byte[16] : Arrays.copyOf(uuid, 16);
        volumeName = volumeName == null ? new byte[16] : Arrays.copyOf(volumeName, 16);
    }

    @Override
    public byte[] uuid() {
        return uuid.clone();
    }

    @Override
    public byte[] volumeName() {
        return volumeName.clone();
    }

    /** Block size in bytes. */
    public int blockSize() {
        return 1 << blkszbits;
    }

    /** Superblock size declared by {@code sb_extslots}. */
    public int declaredSize() {
        return BASE_SIZE + 16 * sbExtslots;
    }

    /** Whether an incompat feature bit is set. */
    public boolean hasIncompat(int bit) {
        return (featureIncompat & bit) != 0;
    }

    /** Whether a compat feature bit is set. */
    public boolean hasCompat(int bit) {
        return (featureCompat & bit) != 0;
    }

    /** The root directory's nid: {@code rootnid_8b} with 48BIT when non-zero, else {@code rootnid_2b}. */
    public long rootNid() {
        if (hasIncompat(Feature.INCOMPAT_48BIT) && rootNid8b != 0) {
            return rootNid8b;
        }
        return rootNid2b;
    }

    /** Primary-device block count, with the high 16 bits when 48BIT and {@code rootnid_8b} say they are there. */
    public long blocks() {
        if (hasIncompat(Feature.INCOMPAT_48BIT) && rootNid8b != 0) {
            return blocksLo | ((long) rootNid2b << 32);
        }
        return blocksLo;
    }

    /** The volume label up to its first NUL, decoded as UTF-8. */
    public String volumeLabel() {
        int n = 0;
        while (n < volumeName.length && volumeName[n] != 0) {
            n++;
        }
        return new String(volumeName, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Decodes {@link #SIZE} bytes at {@code offset} of a buffer (its byte order is ignored). */
    public static SuperBlock decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] uuid = new byte[16];
        byte[] name = new byte[16];
        b.get(offset + 48, uuid);
        b.get(offset + 64, name);
        return new SuperBlock(
                u32(b, offset),
                u32(b, offset + 4),
                u32(b, offset + 8),
                u8(b, offset + 12),
                u8(b, offset + 13),
                u16(b, offset + 14),
                b.getLong(offset + 16),
                b.getLong(offset + 24),
                u32(b, offset + 32),
                u32(b, offset + 36),
                u32(b, offset + 40),
                u32(b, offset + 44),
                uuid,
                name,
                u32(b, offset + 80),
                u16(b, offset + 84),
                u16(b, offset + 86),
                u16(b, offset + 88),
                u8(b, offset + 90),
                u8(b, offset + 91),
                u32(b, offset + 92),
                b.getLong(offset + 96),
                u8(b, offset + 104),
                u8(b, offset + 105),
                u32(b, offset + 108),
                b.getLong(offset + 112),
                b.getLong(offset + 128));
    }

    /** Encodes {@link #SIZE} bytes at {@code offset} of a buffer; reserved bytes are written as zero. */
    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.put(offset, new byte[SIZE]);
        b.putInt(offset, (int) magic);
        b.putInt(offset + 4, (int) checksum);
        b.putInt(offset + 8, (int) featureCompat);
        b.put(offset + 12, (byte) blkszbits);
        b.put(offset + 13, (byte) sbExtslots);
        b.putShort(offset + 14, (short) rootNid2b);
        b.putLong(offset + 16, inos);
        b.putLong(offset + 24, epoch);
        b.putInt(offset + 32, (int) fixedNsec);
        b.putInt(offset + 36, (int) blocksLo);
        b.putInt(offset + 40, (int) metaBlkaddr);
        b.putInt(offset + 44, (int) xattrBlkaddr);
        b.put(offset + 48, uuid);
        b.put(offset + 64, volumeName);
        b.putInt(offset + 80, (int) featureIncompat);
        b.putShort(offset + 84, (short) u1);
        b.putShort(offset + 86, (short) extraDevices);
        b.putShort(offset + 88, (short) devtSlotoff);
        b.put(offset + 90, (byte) dirblkbits);
        b.put(offset + 91, (byte) xattrPrefixCount);
        b.putInt(offset + 92, (int) xattrPrefixStart);
        b.putLong(offset + 96, packedNid);
        b.put(offset + 104, (byte) xattrFilterReserved);
        b.put(offset + 105, (byte) ishareXattrPrefixId);
        b.putInt(offset + 108, (int) buildTime);
        b.putLong(offset + 112, rootNid8b);
        b.putLong(offset + 128, metaboxNid);
    }

    /**
     * Computes the superblock checksum as EROFS stores it: CRC-32C seeded with all ones and without the final
     * inversion, over {@code length} bytes starting at the superblock, with the checksum field taken as zero.
     *
     * @param block0 the bytes of block 0 of the image, at least {@code 1024 + length} long
     * @param length {@code blksz - 1024} when the block size is over 1024, else {@code blksz}
     */
    public static long checksum(byte[] block0, int length) {
        byte[] copy = Arrays.copyOfRange(block0, Erofs.SUPERBLOCK_OFFSET, Erofs.SUPERBLOCK_OFFSET + length);
        Arrays.fill(copy, CHECKSUM_OFFSET, CHECKSUM_OFFSET + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy);
        return ~crc.getValue() & 0xFFFFFFFFL;
    }

    /** Number of bytes the checksum covers for a block size. */
    public static int checksumLength(int blockSize) {
        return blockSize > Erofs.SUPERBLOCK_OFFSET ? blockSize - Erofs.SUPERBLOCK_OFFSET : blockSize;
    }

    static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xFF;
    }

    static int u16(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xFFFFFFFFL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuperBlock s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "SuperBlock[magic=0x" + Long.toHexString(magic) + ", checksum=0x" + Long.toHexString(checksum)
                + ", featureCompat=0x" + Long.toHexString(featureCompat) + ", blkszbits=" + blkszbits
                + ", sbExtslots=" + sbExtslots + ", rootNid2b=" + rootNid2b + ", inos=" + inos + ", epoch=" + epoch
                + ", fixedNsec=" + fixedNsec + ", blocksLo=" + blocksLo + ", metaBlkaddr=" + metaBlkaddr
                + ", xattrBlkaddr=" + xattrBlkaddr + ", uuid=" + Arrays.toString(uuid) + ", volumeName="
                + Arrays.toString(volumeName) + ", featureIncompat=0x" + Long.toHexString(featureIncompat)
                + ", u1=" + u1 + ", extraDevices=" + extraDevices + ", devtSlotoff=" + devtSlotoff
                + ", dirblkbits=" + dirblkbits + ", xattrPrefixCount=" + xattrPrefixCount + ", xattrPrefixStart="
                + xattrPrefixStart + ", packedNid=" + packedNid + ", xattrFilterReserved=" + xattrFilterReserved
                + ", ishareXattrPrefixId=" + ishareXattrPrefixId + ", buildTime=" + buildTime + ", rootNid8b="
                + rootNid8b + ", metaboxNid=" + metaboxNid + "]";
    }
}
