package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.MapHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * One regular file stored compressed: its extents, where its pclusters wait in the spool, its inline tail, and
 * its map. Made by {@link CompressionStage}; the layout stages read its sizes, the emission stage its bytes.
 */
final class ZFile {
    final long size;
    final List<ZSegmentEncoder.Extent> extents;
    /** Offset of the file's pclusters in the spool, and their length (a whole number of blocks). */
    final long spoolOffset;
    final long dataBytes;
    /** The inline tail pcluster (ztailpacking), or null. */
    final byte[] inline;
    final boolean inlineRaw;
    /** The raw bytes of a compressed inline tail (to store it as a plain block instead), or null. */
    final byte[] inlineTailRaw;
    final int algorithm;
    final boolean compact;
    final boolean bigPcluster;
    final int blockBits;
    /** Whether the tail is stored in a block of its own instead of inline (set by the layout stage). */
    boolean tailInBlock;

    ZFile(long size, List<ZSegmentEncoder.Extent> extents, long spoolOffset, long dataBytes, byte[] inline,
            boolean inlineRaw, byte[] inlineTailRaw, int algorithm, boolean compact, boolean bigPcluster,
            int blockBits) {
        this.size = size;
        this.extents = extents;
        this.spoolOffset = spoolOffset;
        this.dataBytes = dataBytes;
        this.inline = inline;
        this.inlineRaw = inlineRaw;
        this.inlineTailRaw = inlineTailRaw;
        this.algorithm = algorithm;
        this.compact = compact;
        this.bigPcluster = bigPcluster;
        this.blockBits = blockBits;
    }

    /** The inode's data layout. */
    int layout() {
        return compact ? Erofs.LAYOUT_COMPRESSED_COMPACT : Erofs.LAYOUT_COMPRESSED_FULL;
    }

    /** Bytes of the inline tail that follow the map in the inode, 0 when none or stored in a block. */
    int inlineSize() {
        return inline == null || tailInBlock ? 0 : inline.length;
    }

    /** The compressed blocks of the file ({@code i_u}): its pclusters, plus the tail's block when not inline. */
    long blocks() {
        return (dataBytes >> blockBits) + (inline != null && tailInBlock ? 1 : 0);
    }

    /** The {@code h_advise} bits. */
    int advise() {
        int a = 0;
        if (compact && blockBits <= 12) {
            a |= MapHeader.ADVISE_COMPACTED_2B;
        }
        if (bigPcluster) {
            a |= MapHeader.ADVISE_BIG_PCLUSTER_1;
            if (compact) {
                a |= MapHeader.ADVISE_BIG_PCLUSTER_2;
            }
        }
        if (inlineSize() > 0) {
            a |= MapHeader.ADVISE_INLINE_PCLUSTER;
        }
        return a;
    }

    /**
     * The extents as the map records them: when the tail cannot be inline and its raw bytes are at hand, it
     * becomes a plain pcluster.
     */
    private List<ZSegmentEncoder.Extent> mapped() {
        if (!tailInBlock || inline == null || inlineRaw || inlineTailRaw == null) {
            return extents;
        }
        List<ZSegmentEncoder.Extent> l = new ArrayList<>(extents);
        ZSegmentEncoder.Extent t = l.get(l.size() - 1);
        l.set(l.size() - 1, new ZSegmentEncoder.Extent(t.length, t.plen, true, false));
        return l;
    }

    /** The bytes of the tail block when the tail is not inline: raw bytes first, compressed ones 0-padded. */
    byte[] tailBlock() {
        int bs = 1 << blockBits;
        byte[] b = new byte[bs];
        if (inlineRaw || inlineTailRaw != null) {
            byte[] raw = inlineRaw ? inline : inlineTailRaw;
            System.arraycopy(raw, 0, b, 0, raw.length);
        } else {
            System.arraycopy(inline, 0, b, bs - inline.length, inline.length);
        }
        return b;
    }

    /**
     * The map header and indexes, as stored after the inode core and xattrs (aligned to 8).
     *
     * @param coreAndXattrs the bytes of the inode core and its xattr body
     * @param dataStartBlock the block of the file's first pcluster (its tail block follows the pclusters)
     */
    byte[] map(int coreAndXattrs, long dataStartBlock) {
        ZMapEncoder enc = new ZMapEncoder(mapped(), size, blockBits, bigPcluster, dataStartBlock);
        int idata = inlineSize();
        return compact
                ? enc.compact(advise(), algorithm, idata, ((coreAndXattrs + 7) & ~7) + MapHeader.SIZE, dataStartBlock)
                : enc.full(advise(), algorithm, idata);
    }

    /** The size of {@link #map}. */
    int mapSize(int coreAndXattrs) {
        return map(coreAndXattrs, 0).length;
    }
}
