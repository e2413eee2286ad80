package io.github.erofs4j.core.read;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.Decompressors;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What reading compressed inodes needs from an open image: positional reads, the superblock, decompressors, the
 * packed inode and the decoded-pcluster cache. One per image; thread-safe.
 */
final class ZImageContext {

    /** Reads image bytes at absolute offsets, failing with ErofsFormatException.truncated past the end. */
    interface PositionalReader {
        /** Small metadata reads (map headers, indexes, config records); may be served from a block cache. */
        void readFully(long offset, byte[] dst, int off, int len, String structure) throws IOException;

        /** Data reads: fills the remaining bytes of {@code dst}. */
        void readData(long offset, ByteBuffer dst, String structure) throws IOException;

        /**
         * Reads of an inline pcluster, which sits among the inode's metadata: fills the remaining bytes of
         * {@code dst}. The same as {@link #readData} unless the inode's metadata lives in the metabox.
         */
        default void readInline(long offset, ByteBuffer dst, String structure) throws IOException {
            readData(offset, dst, structure);
        }
    }

    /** Reads the packed inode's (uncompressed) content into the remaining bytes of {@code dst}. */
    @FunctionalInterface
    interface PackedSource {
        void readFully(long pos, ByteBuffer dst) throws IOException;
    }

    final SuperBlock sb;
    final int blockSize;
    final int blkszbits;
    final PositionalReader io;
    private final Decompressors decompressors;
    private final Lz4Decoder lz4Decoder;
    private final PackedSource packed;
    private final PclusterCache cache;
    private final AtomicReferenceArray<Decompressor> codecs = new AtomicReferenceArray<>(4);
    private volatile ZConfig config;
    /** Per-thread buffer for compressed input, see {@link #takeScratch}. */
    private final ThreadLocal<byte[]> scratch = new ThreadLocal<>();
    /** A block of zeros, to find the end of a pcluster's zero padding with a vectorized compare. */
    private final byte[] zeros;

    private final int maxExtentBytes;
    private final long maxDecompressedBytes;
    private final java.util.concurrent.atomic.AtomicLong decompressed = new java.util.concurrent.atomic.AtomicLong();

    ZImageContext(SuperBlock sb, PositionalReader io, Decompressors decompressors, ReadOptions options,
            PackedSource packed) {
        this.maxExtentBytes = options.maxExtentBytes();
        this.maxDecompressedBytes = options.maxDecompressedBytes();
        Lz4Decoder lz4Decoder = options.lz4Decoder();
        long cacheBytes = options.cacheBytes();
        this.sb = sb;
        this.blockSize = sb.blockSize();
        this.blkszbits = sb.blkszbits();
        this.io = io;
        this.decompressors = decompressors;
        this.lz4Decoder = lz4Decoder;
        this.packed = packed;
        this.cache = new PclusterCache(cacheBytes);
        this.zeros = new byte[blockSize];
    }

    /**
     * Accounts for decoding extent {@code e} of inode {@code nid}, before its output is allocated: refuses an extent
     * over {@link ReadOptions#maxExtentBytes()} and decoding beyond {@link ReadOptions#maxDecompressedBytes()} in all.
     */
    void chargeDecode(ZExtent e, long nid) throws ErofsFormatException {
        long llen = e.llen();
        if (llen > maxExtentBytes) {
            throw ErofsFormatException.limit(e.pa(), what(e, nid), "maxExtentBytes", maxExtentBytes, llen);
        }
        if (maxDecompressedBytes != Long.MAX_VALUE) {
            long total = decompressed.addAndGet(llen);
            if (total > maxDecompressedBytes) {
                throw ErofsFormatException.limit(e.pa(), what(e, nid), "maxDecompressedBytes", maxDecompressedBytes,
                        total);
            }
        }
    }

    private static String what(ZExtent e, long nid) {
        return "pcluster of nid " + nid + " (extent at file offset " + e.la() + ")";
    }

    /** Largest compressed-input buffer kept per thread; bigger pclusters get a fresh array each time. */
    static final int SCRATCH_KEPT = 256 << 10;

    /**
     * A buffer of at least {@code len} bytes for the calling thread's compressed input, to be handed back with
     * {@link #returnScratch}. While taken it is not handed out again, so a nested read cannot overwrite it.
     *
     * @param len at most {@link ZConfig#MAX_PCLUSTER} (checked when the extent was mapped)
     */
    byte[] takeScratch(int len) {
        byte[] b = scratch.get();
        if (b != null && b.length >= len) {
            scratch.set(null);
            return b;
        }
        return new byte[len <= SCRATCH_KEPT ? Math.max(len, 64 << 10) : len];
    }

    /** Hands back a buffer from {@link #takeScratch}. */
    void returnScratch(byte[] b) {
        if (b.length <= SCRATCH_KEPT) {
            byte[] kept = scratch.get();
            if (kept == null || kept.length < b.length) {
                scratch.set(b);
            }
        }
    }

    /** Number of leading zero bytes in {@code b[0, limit)}, {@code limit <= blockSize}. */
    int leadingZeros(byte[] b, int limit) {
        int i = java.util.Arrays.mismatch(b, 0, limit, zeros, 0, limit);
        return i < 0 ? limit : i;
    }

    PclusterCache cache() {
        return cache;
    }

    PackedSource packed() {
        return packed;
    }

    /** The compression settings, parsed on first use (a broken record fails every compressed read). */
    ZConfig config() throws IOException {
        ZConfig c = config;
        if (c == null) {
            c = ZConfig.load(sb, io);
            config = c;
        }
        return c;
    }

    /** The decompressor of an algorithm the image enables. */
    Decompressor decompressor(int alg, long offset, String structure) throws IOException {
        if (alg < 0 || alg >= 4) {
            throw ErofsFormatException.unsupported(offset, structure, "compression algorithm id " + alg, null);
        }
        Decompressor d = codecs.get(alg);
        if (d == null) {
            CodecConfig cc = config().codec(alg);
            if (cc == null) {
                throw ErofsFormatException.corrupt(offset, structure, "uses " + Erofs.algorithmName(alg)
                        + ", which the superblock does not enable");
            }
            d = decompressors.create(cc.withLz4Decoder(lz4Decoder));
            codecs.compareAndSet(alg, null, d);
        }
        return d;
    }
}
