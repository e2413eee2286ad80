package io.github.erofs4j.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A full (legacy, 8-byte) lcluster index ({@code struct z_erofs_lcluster_index}).
 *
 * @param advise bits 0-1: lcluster type; bit 15: partial reference (dedupe)
 * @param clusterOfs where the extent starts within the lcluster (heads)
 * @param word the union: {@code blkaddr} for heads, {@code delta[0] | delta[1] << 16} for NONHEAD
 */
public record LclusterIndex(int advise, int clusterOfs, long word) {

    /** Size on disk. */
    public static final int SIZE = 8;

    public static final int TYPE_PLAIN = 0;
    public static final int TYPE_HEAD1 = 1;
    public static final int TYPE_NONHEAD = 2;
    public static final int TYPE_HEAD2 = 3;
    /** In {@code di_advise}: the extent uses only a prefix of its pcluster's output. */
    public static final int PARTIAL_REF = 1 << 15;
    /** In the first NONHEAD after a big-pcluster head: {@code delta[0] = CBLKCNT | blocks}. */
    public static final int D0_CBLKCNT = 1 << 11;

    public int type() {
        return advise & 3;
    }

    public long blkaddr() {
        return word;
    }

    public int delta0() {
        return (int) (word & 0xFFFF);
    }

    public int delta1() {
        return (int) ((word >>> 16) & 0xFFFF);
    }

    public static LclusterIndex decode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new LclusterIndex(SuperBlock.u16(b, offset), SuperBlock.u16(b, offset + 2), SuperBlock.u32(b, offset + 4));
    }

    public void encode(ByteBuffer buf, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(offset, (short) advise);
        b.putShort(offset + 2, (short) clusterOfs);
        b.putInt(offset + 4, (int) word);
    }
}
