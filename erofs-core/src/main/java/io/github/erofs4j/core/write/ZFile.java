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
    /** Where the file's fragment starts in the packed inode, or -1 when it has none. */
    long fragmentOffset = -1;
    /** Whether the whole file is a fragment (no extents then). */
    boolean wholeFragment;
    /** Whether the map is the 8-byte header alone (a compressed directory), not followed by 8 zero bytes. */
    private boolean headerOnly;
    /** Whether some extent refers to a pcluster shared with other extents (full indexes then). */
    boolean shared;
    /** Whether plain pclusters are stored rotated ({@code Z_EROFS_ADVISE_INTERLACED_PCLUSTER}). */
    boolean interlaced;
    /** The block of a shared pcluster from its spool offset; set when {@link #shared}. */
    java.util.function.LongUnaryOperator refBlock;
    /** The first block of the file's own pclusters, once given. */
    long startBlk = -1;

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

    /**
     * A compressed directory of {@code size} bytes: its whole content a fragment of the packed inode, whose offset
     * is set once the directory's bytes are known, and a map of the 8-byte header alone, as mkfs.erofs 1.9.3
     * writes it.
     */
    static ZFile directory(long size, int blockBits) {
        ZFile f = new ZFile(size, List.of(), 0, 0, null, false, null, 0, false, false, blockBits);
        f.wholeFragment = true;
        f.headerOnly = true;
        f.fragmentOffset = 0;
        return f;
    }

    /** The inode's data layout. */
    int layout() {
        return compact() ? Erofs.LAYOUT_COMPRESSED_COMPACT : Erofs.LAYOUT_COMPRESSED_FULL;
    }

    /**
     * Whether the indexes are compact: as asked, unless a pcluster is shared, the fragment lies beyond 4 GiB of the
     * packed inode (only the full form records the high bits), or the whole file is a fragment.
     */
    boolean compact() {
        return compact && !shared && !wholeFragment && (fragmentOffset < 0 || fragmentOffset >>> 32 == 0);
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
        if (compact() && blockBits <= 12) {
            a |= MapHeader.ADVISE_COMPACTED_2B;
        }
        if (bigPcluster) {
            a |= MapHeader.ADVISE_BIG_PCLUSTER_1;
            if (compact()) {
                a |= MapHeader.ADVISE_BIG_PCLUSTER_2;
            }
        }
        if (interlaced) {
            a |= MapHeader.ADVISE_INTERLACED_PCLUSTER;
        }
        if (fragmentOffset >= 0) {
            a |= MapHeader.ADVISE_FRAGMENT_PCLUSTER;
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
            // Interlaced plain pclusters keep each byte at its offset within the block.
            int rot = interlaced ? (int) ((size - raw.length) & (bs - 1)) : 0;
            int right = Math.min(bs - rot, raw.length);
            System.arraycopy(raw, 0, b, rot, right);
            System.arraycopy(raw, right, b, 0, raw.length - right);
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
        if (wholeFragment) {
            // The whole file in the packed inode: one u64, the offset with bit 63 set, then (for a regular file) 8
            // zero bytes.
            byte[] m = new byte[headerOnly ? MapHeader.SIZE : 2 * MapHeader.SIZE];
            java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0,
                    fragmentOffset | 1L << 63);
            return m;
        }
        ZMapEncoder enc = new ZMapEncoder(mapped(), size, blockBits, bigPcluster, dataStartBlock,
                refBlock, fragmentOffset >>> 32);
        int idata = inlineSize();
        byte[] m = compact()
                ? enc.compact(advise(), algorithm, idata, ((coreAndXattrs + 7) & ~7) + MapHeader.SIZE, dataStartBlock)
                : enc.full(advise(), algorithm, idata);
        if (fragmentOffset >= 0) {
            // h_fragmentoff (low 32 bits) in place of h_reserved1 and h_idata_size
            java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, (int) fragmentOffset);
        }
        return m;
    }

    /** The size of {@link #map}. */
    int mapSize(int coreAndXattrs) {
        if (shared) {
            return new ZMapEncoder(mapped(), size, blockBits, bigPcluster, 0).fullSize();
        }
        return map(coreAndXattrs, 0).length;
    }
}
