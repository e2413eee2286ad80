package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.spi.Decompressor;
import java.io.IOException;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads the content of one compressed inode: maps each requested range to its extents and copies from decoded
 * pclusters (through the image's {@link PclusterCache}), from uncompressed pclusters, or from the packed inode.
 * Reading {@code [a, b)} decodes only the pclusters of the extents that overlap it. Thread-safe.
 */
final class ZDataReader {

    private final ZImageContext ctx;
    private final ZImageContext.PositionalReader io;
    private final ZInodeMap map;
    private final long nid;
    private final long size;
    private final boolean packedInode;

    /**
     * @param io reads the inode's indexes, its inline pcluster and its pclusters
     * @param packedInode whether this is the packed inode itself, which may not refer to fragments
     */
    ZDataReader(ZImageContext ctx, ZImageContext.PositionalReader io, long nid, long inodeOffset, int inodeIsize,
            int xattrIsize, int layout, long size, boolean packedInode) throws IOException {
        this.ctx = ctx;
        this.io = io;
        this.nid = nid;
        this.size = size;
        this.packedInode = packedInode;
        this.map = new ZInodeMap(ctx, io, nid, inodeOffset, inodeIsize, xattrIsize, layout, size);
    }

    long size() {
        return size;
    }

    /**
     * Fills the remaining bytes of {@code dst} from file position {@code pos}, or as many as the file has.
     *
     * @return the number of bytes read; -1 at or past the end of the file
     */
    int read(long pos, ByteBuffer dst) throws IOException {
        if (pos < 0) {
            throw new IllegalArgumentException("negative position " + pos);
        }
        int len = dst.remaining();
        if (pos >= size) {
            return len == 0 ? 0 : -1;
        }
        int total = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < total) {
            long p = pos + done;
            ZExtent e = map.map(p);
            long within = p - e.la();
            int n = (int) Math.min(total - done, e.end() - p);
            copy(e, within, dst, n);
            done += n;
        }
        return total;
    }

    /** Reads into {@code dst[off, off + len)}; -1 at or past the end of the file. */
    int read(long pos, byte[] dst, int off, int len) throws IOException {
        return read(pos, ByteBuffer.wrap(dst, off, len));
    }

    /** All extents, in logical order, covering {@code [0, size)}. */
    List<ZExtent> extents() throws IOException {
        List<ZExtent> out = new ArrayList<>();
        long p = 0;
        while (p < size) {
            ZExtent e = map.map(p);
            out.add(e);
            p = e.end();
        }
        return out;
    }

    /** Copies {@code n} bytes of extent {@code e} from {@code within} into {@code dst}, advancing it. */
    private void copy(ZExtent e, long within, ByteBuffer dst, int n) throws IOException {
        switch (e.format()) {
            case ZExtent.HOLE:
                DataSources.zeros(dst, n);
                return;
            case ZExtent.FRAGMENT:
                if (packedInode) {
                    throw ErofsFormatException.corrupt(-1, "packed inode nid " + nid,
                            "the packed inode refers to a fragment of itself");
                }
                if (e.pa() + within < 0) {
                    throw ErofsFormatException.corrupt(-1, "fragment of nid " + nid, "offset overflows");
                }
                ctx.packed().readFully(e.pa() + within, window(dst, n));
                advance(dst, n);
                return;
            case ZExtent.SHIFTED:
                readPhysical(e, e.pa() + within, window(dst, n), "uncompressed pcluster of nid " + nid);
                advance(dst, n);
                return;
            case ZExtent.INTERLACED:
                copyInterlaced(e, within, dst, n);
                return;
            default:
                // An inline pcluster's address is in the inode's metadata space, which for the metabox is not the
                // image's: complemented, it cannot meet the address of a pcluster on the device.
                PclusterCache.Key key = new PclusterCache.Key(e.inline() ? ~e.pa() : e.pa(), e.plen(), e.format(),
                        e.llen(), e.partialRef());
                if (within == 0 && n == e.llen() && dst.hasArray() && !dst.isReadOnly()) {
                    // The whole extent into the caller's array (as extract reads): decode in place, sparing the
                    // cache's array and a copy. Nobody else needs it again unless it is shared, and a shared
                    // extent already in the cache is still copied from there.
                    byte[] hit = ctx.cache().peek(key);
                    if (hit != null) {
                        dst.put(hit, 0, n);
                        return;
                    }
                    ctx.chargeDecode(e, nid);
                    ctx.cache().countDecode();
                    decode(e, dst.array(), dst.arrayOffset() + dst.position());
                    advance(dst, n);
                    return;
                }
                byte[] data = ctx.cache().get(key, () -> {
                    ctx.chargeDecode(e, nid);
                    byte[] out = new byte[(int) e.llen()];
                    decode(e, out, 0);
                    return out;
                });
                dst.put(data, (int) within, n);
        }
    }

    /** Reads stored bytes of extent {@code e}: inline ones from the inode's metadata space. */
    private void readPhysical(ZExtent e, long at, ByteBuffer dst, String what) throws IOException {
        if (e.inline()) {
            io.readInline(at, dst, what);
        } else {
            io.readData(at, dst, what);
        }
    }

    /** A view of the next {@code n} bytes of {@code dst}. */
    private static ByteBuffer window(ByteBuffer dst, int n) {
        return dst.slice(dst.position(), n);
    }

    private static void advance(ByteBuffer dst, int n) {
        dst.position(dst.position() + n);
    }

    /**
     * An interlaced pcluster stores the extent rotated: its first {@code cur = blksz - la % blksz} bytes sit at
     * the end of the pcluster and the rest from its start, so in-block offsets match the file's.
     */
    private void copyInterlaced(ZExtent e, long within, ByteBuffer dst, int n) throws IOException {
        int bs = ctx.blockSize;
        long cur = bs - (e.la() & (bs - 1));
        if (cur > e.plen()) {
            throw ErofsFormatException.corrupt(e.pa(), "interlaced pcluster of nid " + nid,
                    "rotation " + cur + " exceeds the pcluster size " + e.plen());
        }
        String what = "interlaced pcluster of nid " + nid;
        long a = within;
        long b = within + n;
        if (a < cur) {
            long stop = Math.min(b, cur);
            int k = (int) (stop - a);
            readPhysical(e, e.pa() + e.plen() - cur + a, window(dst, k), what);
            advance(dst, k);
            a = stop;
        }
        if (a < b) {
            int k = (int) (b - a);
            readPhysical(e, e.pa() + a - cur, window(dst, k), what);
            advance(dst, k);
        }
    }

    /** Decodes extent {@code e} into {@code out[off, off + e.llen())}. */
    private void decode(ZExtent e, byte[] out, int off) throws IOException {
        String what = "pcluster of nid " + nid + " (extent at file offset " + e.la() + ")";
        int plen = e.plen();
        // The compressed bytes only live until the decoder returns: a per-thread buffer saves allocating (and
        // zeroing, and collecting) the whole compressed size of everything read.
        byte[] raw = ctx.takeScratch(plen);
        try {
            readPhysical(e, e.pa(), ByteBuffer.wrap(raw, 0, plen), what);
            ZConfig cfg = ctx.config();
            boolean lz4 = e.format() == Erofs.ALG_LZ4;
            int start = 0;
            if (!lz4 || cfg.zeroPadding) {
                int bs = ctx.blockSize;
                int limit = (int) Math.min(plen, bs - (e.pa() & (bs - 1)));
                start = ctx.leadingZeros(raw, limit);
                if (start == limit) {
                    throw ErofsFormatException.corrupt(e.pa(), what, "no compressed stream after the zero padding");
                }
            }
            boolean partial = e.partialRef() || (lz4 && !cfg.zeroPadding);
            Decompressor d = ctx.decompressor(e.format(), e.pa(), what);
            try {
                d.decompress(raw, start, plen - start, out, off, (int) e.llen(), partial);
            } catch (ErofsFormatException ex) {
                throw ex;
            } catch (IOException | RuntimeException ex) {
                throw ErofsFormatException.corrupt(e.pa(), what, d.name() + " data does not decode to "
                        + e.llen() + " bytes: " + ex.getMessage(), ex);
            }
        } finally {
            ctx.returnScratch(raw);
        }
    }
}
