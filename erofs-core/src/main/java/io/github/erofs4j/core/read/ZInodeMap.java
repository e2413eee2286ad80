package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.LclusterIndex;
import io.github.erofs4j.core.format.MapHeader;
import java.io.IOException;
import java.util.Arrays;

/**
 * Maps file offsets of one compressed inode to extents (§7 of the format notes): full and compact lcluster
 * indexes, big pclusters, ztailpacking, fragments, dedupe partial references and 48-bit encoded extents.
 * Immutable after construction apart from memoised lookups; thread-safe.
 */
final class ZInodeMap {

    private static final int D0_CBLKCNT = LclusterIndex.D0_CBLKCNT;

    private final ZImageContext ctx;
    private final ZImageContext.PositionalReader io;
    private final String what;
    private final long size;
    private final int layout;
    private final long hdrPos;

    private boolean wholeFragment;
    private long fragmentOff;
    private int advise;
    private int alg1;
    private int alg2;
    private int lbits;
    private long totalIdx;
    // compact indexes
    private long ebase;
    private long initial4;
    private long compacted2b;
    // tail handling
    private int idataSize;
    private long idataOff = -1;
    private long tailHeadLcn = -1;
    // encoded extents
    private boolean extentsMode;
    private int recsz;
    private long extentCount;
    private long extentsPos;
    private long[] paSums = new long[0];
    private int paSumsLen;

    private volatile ZExtent last;

    /** One lcluster index entry, decoded. {@code cblkcnt} is -1 unless the entry carries a CBLKCNT. */
    private record Lc(long lcn, int type, int clusterofs, long pblk, int delta0, int delta1, int cblkcnt,
            boolean partialRef, long nextPackOff) {
        boolean head() {
            return type != LclusterIndex.TYPE_NONHEAD;
        }
    }

    /**
     * @param io reads the inode's metadata space (the primary device, or the metabox for an inode kept there)
     * @param inodeOffset byte address of the inode core in that space
     * @param inodeIsize 32 or 64
     * @param xattrIsize byte size of the xattr body after the core
     */
    ZInodeMap(ZImageContext ctx, ZImageContext.PositionalReader io, long nid, long inodeOffset, int inodeIsize,
            int xattrIsize, int layout, long size) throws IOException {
        this.ctx = ctx;
        this.io = io;
        this.what = "compressed index of nid " + nid;
        this.size = size;
        this.layout = layout;
        this.hdrPos = (inodeOffset + inodeIsize + xattrIsize + 7) & ~7L;
        if (size < 0) {
            throw ErofsFormatException.corrupt(inodeOffset, "inode nid " + nid, "negative size " + size);
        }
        if (size > 0) {
            init();
        }
    }

    private void init() throws IOException {
        byte[] h = new byte[MapHeader.SIZE];
        io.readFully(hdrPos, h, 0, h.length, "map header of " + what);
        MapHeader mh = MapHeader.decode(java.nio.ByteBuffer.wrap(h), 0);
        if (mh.wholeFileFragment()) {
            wholeFragment = true;
            fragmentOff = mh.wholeFragmentOffset();
            return;
        }
        advise = mh.advise();
        alg1 = mh.algorithmType() & 15;
        alg2 = mh.algorithmType() >>> 4;
        if (layout == Erofs.LAYOUT_COMPRESSED_FULL && (advise & MapHeader.ADVISE_EXTENTS) != 0) {
            initExtents(mh);
            return;
        }
        if (alg1 >= 4 || alg2 >= 4) {
            throw ErofsFormatException.unsupported(hdrPos, "map header of " + what,
                    "compression algorithm ids " + alg1 + "/" + alg2, null);
        }
        lbits = ctx.blkszbits + (mh.clusterBits() & 15);
        int big = advise & (MapHeader.ADVISE_BIG_PCLUSTER_1 | MapHeader.ADVISE_BIG_PCLUSTER_2);
        ZConfig cfg = ctx.config();
        if (big != 0 && !cfg.bigPcluster) {
            throw ErofsFormatException.corrupt(hdrPos, "map header of " + what,
                    "big pclusters without the superblock's big-pcluster feature");
        }
        if (lbits > 30) {
            throw ErofsFormatException.unsupported(hdrPos, "map header of " + what, "lcluster bits " + lbits, null);
        }
        totalIdx = ((size - 1) >>> lbits) + 1;
        if (layout == Erofs.LAYOUT_COMPRESSED_COMPACT) {
            if (big != 0 && big != (MapHeader.ADVISE_BIG_PCLUSTER_1 | MapHeader.ADVISE_BIG_PCLUSTER_2)) {
                throw ErofsFormatException.corrupt(hdrPos, "map header of " + what,
                        "compact indexes need both big-pcluster advise bits or neither");
            }
            if (lbits > 14 || ((advise & MapHeader.ADVISE_COMPACTED_2B) != 0 && lbits > 12)) {
                throw ErofsFormatException.unsupported(hdrPos, "map header of " + what,
                        "compact indexes with lcluster bits " + lbits, null);
            }
            ebase = hdrPos + MapHeader.SIZE;
            initial4 = ((32 - ebase % 32) / 4) & 7;
            if ((advise & MapHeader.ADVISE_COMPACTED_2B) != 0 && initial4 < totalIdx) {
                compacted2b = (totalIdx - initial4) / 16 * 16;
            }
        }
        boolean inline = (advise & MapHeader.ADVISE_INLINE_PCLUSTER) != 0;
        boolean fragment = (advise & MapHeader.ADVISE_FRAGMENT_PCLUSTER) != 0;
        if (inline) {
            idataSize = mh.idataSize();
        }
        if (fragment) {
            fragmentOff = mh.fragmentOffset();
        }
        if (idataSize != 0 || fragment) {
            Lc first = load((size - 1) >>> lbits, false);
            if (idataSize != 0) {
                idataOff = first.nextPackOff();
                if ((idataOff & (ctx.blockSize - 1)) + idataSize > ctx.blockSize) {
                    throw ErofsFormatException.corrupt(idataOff, "inline pcluster of " + what,
                            idataSize + " bytes cross a block boundary");
                }
            }
            Lc head = findHead(size - 1, first);
            tailHeadLcn = head.lcn();
            if (fragment && layout == Erofs.LAYOUT_COMPRESSED_FULL) {
                fragmentOff |= head.pblk() << 32;
            }
        }
    }

    private void initExtents(MapHeader mh) throws IOException {
        extentsMode = true;
        recsz = 4 << ((advise >>> 1) & 3);
        extentsPos = (hdrPos + MapHeader.SIZE + recsz - 1) & -(long) recsz;
        if (recsz <= 8) {
            lbits = ctx.blkszbits + (mh.clusterBits() & 15);
            if (lbits > 40) {
                throw ErofsFormatException.unsupported(hdrPos, "map header of " + what, "extent bits " + lbits, null);
            }
            extentCount = ((size - 1) >>> lbits) + 1;
        } else {
            extentCount = mh.extentCount();
            if (extentCount == 0) {
                throw ErofsFormatException.corrupt(hdrPos, "map header of " + what,
                        "no extents for " + size + " bytes");
            }
        }
    }

    /** The extent holding byte {@code ofs} (0 &lt;= ofs &lt; size). */
    ZExtent map(long ofs) throws IOException {
        ZExtent e = last;
        if (e != null && ofs >= e.la() && ofs < e.end()) {
            return e;
        }
        if (ofs < 0 || ofs >= size) {
            throw new IllegalArgumentException("offset " + ofs + " outside [0, " + size + ")");
        }
        if (wholeFragment) {
            e = new ZExtent(0, size, fragmentOff, 0, ZExtent.FRAGMENT, false);
        } else if (extentsMode) {
            e = mapEncoded(ofs);
        } else {
            e = mapLcluster(ofs);
        }
        if (ofs < e.la() || ofs >= e.end()) {
            throw ErofsFormatException.corrupt(hdrPos, what, "offset " + ofs + " maps to extent [" + e.la() + ", "
                    + e.end() + ")");
        }
        last = e;
        return e;
    }

    // ---- lcluster indexes ----

    private ZExtent mapLcluster(long ofs) throws IOException {
        Lc head = findHead(ofs, null);
        long la = (head.lcn() << lbits) | head.clusterofs();
        long end = extentEnd(head, la);
        long llen = end - la;
        if (head.lcn() == tailHeadLcn && idataSize != 0) {
            return physical(head, la, llen, idataOff, idataSize, true);
        }
        if (head.lcn() == tailHeadLcn && (advise & MapHeader.ADVISE_FRAGMENT_PCLUSTER) != 0) {
            return new ZExtent(la, llen, fragmentOff, 0, ZExtent.FRAGMENT, false);
        }
        long blocks = compressedBlocks(head);
        return physical(head, la, llen, head.pblk() << ctx.blkszbits, blocks << ctx.blkszbits, false);
    }

    private ZExtent physical(Lc head, long la, long llen, long pa, long plen, boolean inline)
            throws ErofsFormatException {
        long at = indexPos(head.lcn());
        if (plen > ZConfig.MAX_PCLUSTER || plen <= 0) {
            throw ErofsFormatException.corrupt(at, what, "pcluster of " + plen + " bytes for lcluster "
                    + head.lcn());
        }
        int format;
        switch (head.type()) {
            case LclusterIndex.TYPE_PLAIN:
                if (llen > plen) {
                    throw ErofsFormatException.corrupt(at, what, "uncompressed extent of " + llen
                            + " bytes in a pcluster of " + plen);
                }
                format = (advise & MapHeader.ADVISE_INTERLACED_PCLUSTER) != 0 ? ZExtent.INTERLACED
                        : ZExtent.SHIFTED;
                break;
            case LclusterIndex.TYPE_HEAD1:
                format = alg1;
                break;
            default:
                format = alg2;
                break;
        }
        if (format >= 0 && llen > ZConfig.MAX_DECODED_EXTENT) {
            throw ErofsFormatException.corrupt(at, what, "compressed extent of " + llen
                    + " bytes exceeds the 12 MiB limit");
        }
        return new ZExtent(la, llen, pa, (int) plen, format, head.partialRef(), inline);
    }

    /** Walks back from the lcluster of {@code ofs} to the head of the extent holding it. */
    private Lc findHead(long ofs, Lc firstLoaded) throws IOException {
        long lcn = ofs >>> lbits;
        long endoff = ofs & ((1L << lbits) - 1);
        Lc m = firstLoaded != null ? firstLoaded : load(lcn, false);
        if (m.head() && endoff >= m.clusterofs()) {
            return m;
        }
        long cur = lcn;
        long dist = m.head() ? 1 : m.delta0();
        while (true) {
            if (dist == 0) {
                throw ErofsFormatException.corrupt(indexPos(cur), what, "zero lookback distance at lcluster "
                        + cur);
            }
            if (dist > cur) {
                throw ErofsFormatException.corrupt(indexPos(cur), what, "lookback distance " + dist
                        + " from lcluster " + cur + " passes the start of the file");
            }
            cur -= dist;
            Lc x = load(cur, false);
            if (x.head()) {
                return x;
            }
            dist = x.delta0();
        }
    }

    /** The end of the extent whose head is {@code head}: the next head lcluster, or the end of the file. */
    private long extentEnd(Lc head, long la) throws IOException {
        long lcn = head.lcn();
        while (true) {
            if (lcn >= totalIdx) {
                return size;
            }
            Lc x = load(lcn, true);
            long d1;
            if (!x.head()) {
                d1 = x.delta1() == 0 ? 1 : x.delta1();
            } else {
                if (lcn != head.lcn()) {
                    long end = (lcn << lbits) + x.clusterofs();
                    if (end <= la) {
                        throw ErofsFormatException.corrupt(indexPos(lcn), what, "extent at " + la
                                + " ends at " + end);
                    }
                    return Math.min(end, size);
                }
                d1 = 1;
            }
            lcn += d1;
        }
    }

    private long compressedBlocks(Lc head) throws IOException {
        boolean big1 = (advise & MapHeader.ADVISE_BIG_PCLUSTER_1) != 0;
        boolean big2 = (advise & MapHeader.ADVISE_BIG_PCLUSTER_2) != 0;
        long next = head.lcn() + 1;
        if ((head.type() == LclusterIndex.TYPE_HEAD1 && !big1) || (head.type() != LclusterIndex.TYPE_HEAD1 && !big2)
                || next >= totalIdx) {
            return 1;
        }
        Lc x = load(next, false);
        if (x.head()) {
            return 1;
        }
        if (x.cblkcnt() <= 0) {
            throw ErofsFormatException.corrupt(indexPos(next), what, "missing or zero CBLKCNT after the head at"
                    + " lcluster " + head.lcn());
        }
        return x.cblkcnt();
    }

    private long indexPos(long lcn) {
        if (layout == Erofs.LAYOUT_COMPRESSED_FULL) {
            return hdrPos + 16 + lcn * LclusterIndex.SIZE;
        }
        return ebase;
    }

    private Lc load(long lcn, boolean lookahead) throws IOException {
        if (lcn < 0 || lcn >= totalIdx) {
            throw ErofsFormatException.corrupt(hdrPos, what, "lcluster " + lcn + " outside the " + totalIdx
                    + " of the file");
        }
        return layout == Erofs.LAYOUT_COMPRESSED_FULL ? loadFull(lcn) : loadCompact(lcn);
    }

    private Lc loadFull(long lcn) throws IOException {
        long pos = hdrPos + 16 + lcn * LclusterIndex.SIZE;
        byte[] b = new byte[LclusterIndex.SIZE];
        io.readFully(pos, b, 0, b.length, what);
        int adv = u16(b, 0);
        int type = adv & 3;
        if (type == LclusterIndex.TYPE_NONHEAD) {
            int d0 = u16(b, 4);
            int d1 = u16(b, 6);
            int cblk = -1;
            if ((d0 & D0_CBLKCNT) != 0) {
                if ((advise & (MapHeader.ADVISE_BIG_PCLUSTER_1 | MapHeader.ADVISE_BIG_PCLUSTER_2)) == 0) {
                    throw ErofsFormatException.corrupt(pos, what, "CBLKCNT without big pclusters");
                }
                cblk = d0 & ~D0_CBLKCNT;
                d0 = 1;
            }
            return new Lc(lcn, type, 1 << lbits, 0, d0, d1, cblk, false, pos + LclusterIndex.SIZE);
        }
        int clusterofs = u16(b, 2);
        if (clusterofs >= 1 << lbits) {
            throw ErofsFormatException.corrupt(pos, what, "cluster offset " + clusterofs + " of lcluster " + lcn);
        }
        long blk = u32(b, 4);
        return new Lc(lcn, type, clusterofs, blk, 0, 0, -1, (adv & LclusterIndex.PARTIAL_REF) != 0,
                pos + LclusterIndex.SIZE);
    }

    private Lc loadCompact(long lcn) throws IOException {
        long pos = ebase;
        int amort = 2;
        long l = lcn;
        if (l >= initial4) {
            pos += initial4 * 4;
            l -= initial4;
            if (l < compacted2b) {
                amort = 1;
            } else {
                pos += compacted2b * 2;
                l -= compacted2b;
            }
        }
        pos += l << amort;
        int vcnt = amort == 1 ? 16 : 2;
        int packBytes = vcnt << amort;
        long pack = pos & -(long) packBytes;
        int i = (int) ((pos - pack) >>> amort);
        byte[] in = new byte[packBytes];
        io.readFully(pack, in, 0, packBytes, what);
        int encodebits = (packBytes - 4) * 8 / vcnt;
        int lobits = Math.max(lbits, 12);
        long packBlk = u32(in, packBytes - 4);
        boolean big = (advise & MapHeader.ADVISE_BIG_PCLUSTER_1) != 0;
        long next = pack + packBytes;

        int v = slot(in, i, encodebits);
        int lo = v & ((1 << lobits) - 1);
        int type = (v >>> lobits) & 3;
        if (type == LclusterIndex.TYPE_NONHEAD) {
            int d1 = lookaheadDistance(in, i, vcnt, encodebits, lobits);
            if ((lo & D0_CBLKCNT) != 0) {
                if (!big) {
                    throw ErofsFormatException.corrupt(pack, what, "CBLKCNT without big pclusters at lcluster "
                            + lcn);
                }
                return new Lc(lcn, type, 1 << lbits, 0, 1, d1, lo & ~D0_CBLKCNT, false, next);
            }
            if (i + 1 != vcnt) {
                return new Lc(lcn, type, 1 << lbits, 0, lo, d1, -1, false, next);
            }
            // The last slot of a pack stores delta[1]; delta[0] follows from the slot before it.
            int pv = slot(in, i - 1, encodebits);
            int plo = pv & ((1 << lobits) - 1);
            int ptype = (pv >>> lobits) & 3;
            int d0 = ptype != LclusterIndex.TYPE_NONHEAD ? 1 : (plo & D0_CBLKCNT) != 0 ? 2 : plo + 1;
            return new Lc(lcn, type, 1 << lbits, 0, d0, d1, -1, false, next);
        }
        if (lo >= 1 << lbits) {
            throw ErofsFormatException.corrupt(pack, what, "cluster offset " + lo + " of lcluster " + lcn);
        }
        long nblk;
        int j = i;
        if (!big) {
            nblk = 1;
            while (j > 0) {
                j--;
                int w = slot(in, j, encodebits);
                if (((w >>> lobits) & 3) == LclusterIndex.TYPE_NONHEAD) {
                    j -= w & ((1 << lobits) - 1);
                }
                if (j >= 0) {
                    nblk++;
                }
            }
        } else {
            nblk = 0;
            while (j > 0) {
                j--;
                int w = slot(in, j, encodebits);
                int wlo = w & ((1 << lobits) - 1);
                if (((w >>> lobits) & 3) == LclusterIndex.TYPE_NONHEAD) {
                    if ((wlo & D0_CBLKCNT) != 0) {
                        j--;
                        nblk += wlo & ~D0_CBLKCNT;
                        continue;
                    }
                    if (wlo <= 1) {
                        throw ErofsFormatException.corrupt(pack, what, "delta " + wlo
                                + " in a big-pcluster pack at lcluster " + lcn);
                    }
                    j -= wlo - 2;
                    continue;
                }
                nblk++;
            }
        }
        return new Lc(lcn, type, lo, packBlk + nblk, 0, 0, -1, false, next);
    }

    private static int slot(byte[] in, int i, int encodebits) {
        int bit = i * encodebits;
        int off = bit >>> 3;
        int v = 0;
        for (int k = 0; k < 4 && off + k < in.length; k++) {
            v |= (in[off + k] & 0xFF) << (8 * k);
        }
        return v >>> (bit & 7);
    }

    private static int lookaheadDistance(byte[] in, int i, int vcnt, int encodebits, int lobits) {
        int d1 = 0;
        int lo = 0;
        for (int j = i; j < vcnt; j++) {
            int v = slot(in, j, encodebits);
            if (((v >>> lobits) & 3) != LclusterIndex.TYPE_NONHEAD) {
                return d1;
            }
            lo = v & ((1 << lobits) - 1);
            d1++;
        }
        if ((lo & D0_CBLKCNT) == 0) {
            d1 += lo - 1;
        }
        return Math.max(d1, 0);
    }

    // ---- encoded extents (48-bit layout) ----

    private ZExtent mapEncoded(long ofs) throws IOException {
        long la;
        long end;
        long rawPlen;
        long pa;
        long pstartLo = 0;
        boolean lastExtent;
        if (recsz <= 8) {
            long k = ofs >>> lbits;
            la = k << lbits;
            end = Math.min(size, la + (1L << lbits));
            lastExtent = end == size;
            byte[] r = new byte[recsz];
            if (recsz == 4) {
                io.readFully(extentsPos + 8 + k * 4, r, 0, 4, what);
                pa = paPrefix(k);
            } else {
                io.readFully(extentsPos + k * 8, r, 0, 8, what);
                pstartLo = u32(r, 4);
                pa = pstartLo;
            }
            rawPlen = u32(r, 0);
        } else {
            long lo = 0;
            long hi = extentCount; // first record with lstart > ofs lies in [lo, hi]
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (recordLstart(mid) > ofs) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            long idx = lo - 1;
            long nextLa = lo < extentCount ? recordLstart(lo) : size;
            if (nextLa <= ofs) {
                throw ErofsFormatException.corrupt(extentsPos, what, "extent records out of order near " + ofs);
            }
            end = Math.min(nextLa, size);
            if (idx < 0) {
                return new ZExtent(0, end, -1, 0, ZExtent.HOLE, false);
            }
            byte[] r = new byte[recsz];
            io.readFully(extentsPos + idx * recsz, r, 0, recsz, what);
            rawPlen = u32(r, 0);
            pstartLo = u32(r, 4);
            pa = pstartLo | u32(r, 8) << 32;
            la = u32(r, 12) | (recsz > 16 ? u32(r, 16) << 32 : 0);
            lastExtent = lo >= extentCount;
        }
        long llen = end - la;
        if (lastExtent && (advise & MapHeader.ADVISE_FRAGMENT_PCLUSTER) != 0) {
            long off = rawPlen | (recsz > 4 ? pstartLo << 32 : 0);
            return new ZExtent(la, llen, off, 0, ZExtent.FRAGMENT, false);
        }
        int plen = (int) (rawPlen & 0x1FFFFF);
        if (plen == 0) {
            return new ZExtent(la, llen, -1, 0, ZExtent.HOLE, false);
        }
        int fmt = (int) (rawPlen >>> 28);
        boolean partial = (rawPlen & (1L << 27)) != 0;
        if (plen > ZConfig.MAX_PCLUSTER) {
            throw ErofsFormatException.corrupt(extentsPos, what, "pcluster of " + plen + " bytes");
        }
        int format;
        if (fmt == 0) {
            if (llen > plen) {
                throw ErofsFormatException.corrupt(extentsPos, what, "uncompressed extent of " + llen
                        + " bytes in a pcluster of " + plen);
            }
            boolean aligned = ((pa | plen) & (ctx.blockSize - 1)) == 0;
            format = (advise & MapHeader.ADVISE_INTERLACED_PCLUSTER) != 0 && aligned ? ZExtent.INTERLACED
                    : ZExtent.SHIFTED;
        } else {
            format = fmt - 1;
            if (llen > ZConfig.MAX_DECODED_EXTENT) {
                throw ErofsFormatException.corrupt(extentsPos, what, "compressed extent of " + llen
                        + " bytes exceeds the 12 MiB limit");
            }
        }
        return new ZExtent(la, llen, pa, plen, format, partial);
    }

    private long recordLstart(long idx) throws IOException {
        byte[] r = new byte[recsz > 16 ? 8 : 4];
        io.readFully(extentsPos + idx * recsz + 12, r, 0, r.length, what);
        return u32(r, 0) | (r.length > 4 ? u32(r, 4) << 32 : 0);
    }

    /** For 4-byte records: base address plus the lengths of all earlier records (memoised). */
    private synchronized long paPrefix(long k) throws IOException {
        if (k >= 1 << 28) {
            throw ErofsFormatException.unsupported(extentsPos, what, "more than 2^28 four-byte extent records", null);
        }
        if (paSumsLen == 0) {
            byte[] b = new byte[8];
            io.readFully(extentsPos, b, 0, 8, what);
            paSums = new long[64];
            paSums[0] = u32(b, 0) | u32(b, 4) << 32;
            paSumsLen = 1;
        }
        while (paSumsLen <= k) {
            int batch = (int) Math.min(1024, k + 1 - paSumsLen);
            byte[] r = new byte[batch * 4];
            io.readFully(extentsPos + 8 + (long) (paSumsLen - 1) * 4, r, 0, r.length, what);
            if (paSumsLen + batch > paSums.length) {
                paSums = Arrays.copyOf(paSums, Math.max(paSums.length * 2, paSumsLen + batch));
            }
            for (int i = 0; i < batch; i++) {
                paSums[paSumsLen] = paSums[paSumsLen - 1] + (u32(r, i * 4) & 0x1FFFFF);
                paSumsLen++;
            }
        }
        return paSums[(int) k];
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xFFFFFFFFL;
    }
}
