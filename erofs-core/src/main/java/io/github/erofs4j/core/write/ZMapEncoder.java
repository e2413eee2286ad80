package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.LclusterIndex;
import io.github.erofs4j.core.format.MapHeader;
import java.util.List;

/**
 * Encodes the map of a compressed file: the map header and the lcluster indexes that follow it in the inode, in
 * the full (8 bytes per lcluster) or the compact (2 or 4 bytes per lcluster) form, from the file's extents.
 *
 * <p>Every lcluster (one block) has one index: a head where an extent starts (PLAIN for a plain pcluster, HEAD1
 * for a compressed one), a NONHEAD where it continues; an extent ending inside an lcluster gives a final PLAIN
 * index at that offset. The compact form derives block addresses by counting pclusters, so a file's pclusters
 * lie back to back in head order.
 */
final class ZMapEncoder {
    private static final int CBLKCNT = LclusterIndex.D0_CBLKCNT;

    private final int blockBits;
    private final boolean bigPcluster;
    /** Per index: type, cluster offset, and the union (block address, or delta[0] | delta[1] << 16). */
    private int[] type;
    private int[] clusterOfs;
    private long[] word;
    private int count;

    /**
     * @param extents the file's extents in order; an inline one last
     * @param bigPcluster whether the image allows multi-block pclusters (CBLKCNT indexes are written)
     * @param dataStartBlock the block of the file's first pcluster
     */
    ZMapEncoder(List<ZSegmentEncoder.Extent> extents, long size, int blockBits, boolean bigPcluster,
            long dataStartBlock) {
        this(extents, size, blockBits, bigPcluster, dataStartBlock, null, 0);
    }

    /**
     * @param refBlock the block of a shared pcluster from its spool offset (for extents that refer to one)
     * @param fragmentHigh what the head of a fragment extent records in the full form: the high 32 bits of the
     *     fragment's offset in the packed inode
     */
    ZMapEncoder(List<ZSegmentEncoder.Extent> extents, long size, int blockBits, boolean bigPcluster,
            long dataStartBlock, java.util.function.LongUnaryOperator refBlock, long fragmentHigh) {
        this.blockBits = blockBits;
        this.bigPcluster = bigPcluster;
        int n = (int) ((size + (1L << blockBits) - 1) >>> blockBits) + 1;
        type = new int[n];
        clusterOfs = new int[n];
        word = new long[n];
        int bs = 1 << blockBits;
        int ofs = 0;
        long pblk = dataStartBlock;
        for (ZSegmentEncoder.Extent e : extents) {
            int headType = e.raw ? LclusterIndex.TYPE_PLAIN : LclusterIndex.TYPE_HEAD1;
            long headBlk = e.fragment ? fragmentHigh : e.ref < 0 ? pblk : refBlock == null ? 0 : refBlock.applyAsLong(e.ref);
            int partial = e.partial ? LclusterIndex.PARTIAL_REF : 0;
            long remaining = e.length;
            long d1 = (ofs + remaining) >>> blockBits;
            if (d1 == 0) {
                add(headType | partial, ofs, headBlk);
                ofs = 0;
            } else {
                int headOfs = ofs;
                long d0 = 0;
                do {
                    if (d0 == 0) {
                        add(headType | partial, headOfs, headBlk);
                    } else if (d0 == 1 && bigPcluster) {
                        add(LclusterIndex.TYPE_NONHEAD, headOfs, ((e.plen >> blockBits) | CBLKCNT) | (d1 << 16));
                    } else {
                        add(LclusterIndex.TYPE_NONHEAD, headOfs, Math.min(d0, CBLKCNT - 1) | (d1 << 16));
                    }
                    remaining -= bs - ofs;
                    ofs = 0;
                    d0++;
                    d1--;
                } while (ofs + remaining >= bs);
                ofs = (int) remaining;
            }
            if (e.ownsData()) {
                pblk += e.plen >> blockBits;
            }
        }
        if (ofs != 0) {
            add(LclusterIndex.TYPE_PLAIN, ofs, 0);
        }
    }

    private void add(int t, int ofs, long w) {
        type[count] = t;
        clusterOfs[count] = ofs;
        word[count] = w & 0xFFFFFFFFL;
        count++;
    }

    /** The number of lcluster indexes. */
    int indexCount() {
        return count;
    }

    /** The size of the full form: map header, 8 reserved bytes, then 8 bytes per index. */
    int fullSize() {
        return 16 + 8 * count;
    }

    /** The full form: map header, 8 zero bytes, then one 8-byte index per lcluster. */
    byte[] full(int advise, int algorithm, int idataSize) {
        byte[] out = new byte[fullSize()];
        header(out, advise, algorithm, idataSize);
        for (int i = 0; i < count; i++) {
            int p = 16 + 8 * i;
            putU16(out, p, type[i]);
            putU16(out, p + 2, clusterOfs[i]);
            putU32(out, p + 4, word[i]);
        }
        return out;
    }

    /**
     * The compact form: the map header, then packs of two lclusters in 8 bytes up to a 32-byte boundary of the
     * inode, packs of 16 lclusters in 32 bytes (with {@code ADVISE_COMPACTED_2B}), and packs of two for the rest.
     *
     * @param mapOffset the offset of the map header's end within the inode (the inode starts 32-byte aligned)
     * @param dataStartBlock the block of the file's first pcluster
     */
    byte[] compact(int advise, int algorithm, int idataSize, int mapOffset, long dataStartBlock) {
        boolean twoByte = (advise & MapHeader.ADVISE_COMPACTED_2B) != 0;
        int[] split = compactSplit(count, mapOffset, twoByte);
        int initial4 = split[0];
        int n2 = split[1];
        int end4 = split[2];
        int bytes = compactSize(count, mapOffset, twoByte);
        byte[] out = new byte[bytes + 4];
        header(out, advise, algorithm, idataSize);
        Packer pk = new Packer(out, MapHeader.SIZE, dataStartBlock);
        int i = 0;
        for (int k = 0; k < initial4; k += 2, i += 2) {
            pk.pack(i, 2, 4);
        }
        for (int k = 0; k < n2; k += 16, i += 16) {
            pk.pack(i, 16, 2);
        }
        for (; end4 > 1; end4 -= 2, i += 2) {
            pk.pack(i, 2, 4);
        }
        if (end4 == 1) {
            pk.pack(i, 1, 4);
        }
        return java.util.Arrays.copyOf(out, bytes);
    }

    /**
     * The size of the compact form of {@code count} indexes (map header included), which depends on nothing else.
     *
     * @param mapOffset the offset of the map header's end within the inode
     * @param twoByte whether {@code ADVISE_COMPACTED_2B} is set
     */
    static int compactSize(int count, int mapOffset, boolean twoByte) {
        int[] split = compactSplit(count, mapOffset, twoByte);
        return MapHeader.SIZE + split[0] / 2 * 8 + split[1] / 16 * 32 + (split[2] + 1) / 2 * 8;
    }

    /** Indexes in the leading 4-byte packs, the 2-byte packs and the trailing 4-byte packs. */
    private static int[] compactSplit(int count, int mapOffset, boolean twoByte) {
        int initial4 = 0;
        int n2 = 0;
        int end4 = count;
        if (twoByte) {
            initial4 = (32 - mapOffset % 32) / 4;
            if (initial4 == 8) {
                initial4 = 0;
            }
            if (initial4 > count) {
                initial4 = 0;
                end4 = count;
            } else {
                n2 = (count - initial4) / 16 * 16;
                end4 = count - initial4 - n2;
            }
        }
        return new int[] {initial4, n2, end4};
    }

    /** Writes packs, carrying the running block address from one to the next. */
    private final class Packer {
        final byte[] out;
        int at;
        long blkaddr;
        boolean dummyHead;

        Packer(byte[] out, int at, long dataStartBlock) {
            this.out = out;
            this.at = at;
            this.blkaddr = dataStartBlock;
            // Without big pclusters every head owns one block and the stored address is that of the last head
            // before the pack: start one below, as if a head came first.
            if (!bigPcluster) {
                blkaddr--;
                dummyHead = true;
            }
        }

        /** One pack of {@code slots} (2 or 16) lclusters from index {@code first}; {@code real} of them exist. */
        void pack(int first, int real, int unit) {
            int slots = unit == 4 ? 2 : 16;
            int encodeBits = (slots * unit * 8 - 32) / slots;
            int loBits = Math.max(blockBits, 12);
            long stored = blkaddr;
            long running = blkaddr;
            boolean updateStored = bigPcluster;
            int pos = 0;
            for (int s = 0; s < slots; s++) {
                int t = s < real ? type[first + s] : LclusterIndex.TYPE_PLAIN;
                int ofs = s < real ? clusterOfs[first + s] : 0;
                long w = s < real ? word[first + s] : 0;
                int lo;
                if (t == LclusterIndex.TYPE_NONHEAD) {
                    int d0 = (int) (w & 0xFFFF);
                    if ((d0 & CBLKCNT) != 0) {
                        lo = d0;
                        running += d0 & ~CBLKCNT;
                        dummyHead = false;
                    } else if (s + 1 == slots) {
                        lo = (int) Math.min((w >>> 16) & 0xFFFF, CBLKCNT - 1);
                    } else {
                        lo = d0;
                    }
                } else {
                    lo = ofs;
                    if (dummyHead) {
                        running++;
                        if (updateStored) {
                            stored = running;
                        }
                    }
                    dummyHead = true;
                    updateStored = false;
                }
                int v = (t << loBits) | lo;
                int byteAt = at + pos / 8;
                int rem = pos & 7;
                out[byteAt] = (byte) ((out[byteAt] & ((1 << rem) - 1)) | (v << rem));
                out[byteAt + 1] = (byte) (v >>> (8 - rem));
                out[byteAt + 2] = (byte) (v >>> (16 - rem));
                pos += encodeBits;
            }
            putU32(out, at + slots * unit - 4, stored);
            blkaddr = running;
            at += slots * unit;
        }
    }

    private static void header(byte[] out, int advise, int algorithm, int idataSize) {
        putU16(out, 2, idataSize);
        putU16(out, 4, advise);
        out[6] = (byte) algorithm;
        out[7] = 0; // lcluster = block
    }

    private static void putU16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int p, long v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }
}
