package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 8-byte map header of a compressed inode ({@code struct z_erofs_map_header}), at
 * {@code round_up(inode + core + xattrs, 8)}.
 *
 * @param word0 bytes 0-3: {@code h_fragmentoff}, or {@code h_reserved1} (low u16) + {@code h_idata_size}
 *     (high u16), or {@code h_extents_lo}
 * @param advise {@code h_advise} bits ({@code ADVISE_*})
 * @param algorithmType low nibble: HEAD1 algorithm, high nibble: HEAD2 algorithm
 * @param clusterBits bits 0-3: lclusterbits - blkszbits; bit 7: the whole file is a fragment
 */
public record MapHeader(long word0, int advise, int algorithmType, int clusterBits) {

    /** Size on disk. */
    public static final int SIZE = 8;

    public static final int ADVISE_COMPACTED_2B = 0x01;
    public static final int ADVISE_EXTENTS = 0x01;
    public static final int ADVISE_BIG_PCLUSTER_1 = 0x02;
    public static final int ADVISE_BIG_PCLUSTER_2 = 0x04;
    public static final int ADVISE_INLINE_PCLUSTER = 0x08;
    public static final int ADVISE_INTERLACED_PCLUSTER = 0x10;
    public static final int ADVISE_FRAGMENT_PCLUSTER = 0x20;
    /** Bit 7 of {@code h_clusterbits}: the whole file is one fragment in the packed inode. */
    public static final int FRAGMENT_INODE_BIT = 0x80;

    /** Whether the whole file is a fragment (then {@link #wholeFragmentOffset()} applies). */
    public boolean wholeFileFragment() {
        return (clusterBits & FRAGMENT_INODE_BIT) != 0;
    }

    /** For a whole-file fragment: the 8 bytes as a u64 with bit 63 cleared. */
    public long wholeFragmentOffset() {
        long raw = (word0 & 0xFFFFFFFFL) | ((long) advise << 32) | ((long) algorithmType << 48)
                | ((long) clusterBits << 56);
        return raw & ~(1L << 63);
    }

    /** {@code h_idata_size}: the byte size of an inline (ztailpacking) tail pcluster. */
    public int idataSize() {
        return (int) ((word0 >>> 16) & 0xFFFF);
    }

    /** {@code h_fragmentoff}: the offset of the tail fragment inside the packed inode. */
    public long fragmentOffset() {
        return word0 & 0xFFFFFFFFL;
    }

    /** Number of extents for the encoded-extent form ({@code h_extents_lo | h_extents_hi << 32}). */
    public long extentCount() {
        return (word0 & 0xFFFFFFFFL) | ((long) (algorithmType | (clusterBits << 8)) << 32);
    }

    public static MapHeader decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new MapHeader(SuperBlock.u32(b, offset), SuperBlock.u16(b, offset + 4), SuperBlock.u8(b, offset + 6),
                SuperBlock.u8(b, offset + 7));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(offset, (int) word0);
        b.putShort(offset + 4, (short) advise);
        b.put(offset + 6, (byte) algorithmType);
        b.put(offset + 7, (byte) clusterBits);
    }
}
