package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.spi.CodecConfig;
import java.io.IOException;

/**
 * The image-wide compression settings: which algorithms the superblock enables and the configuration record of
 * each (§2.7 of the format notes). Immutable.
 */
final class ZConfig {

    /** Largest physical cluster the format allows (1 MiB). */
    static final int MAX_PCLUSTER = 1 << 20;
    /** Largest decoded extent the kernel accepts (12 MiB). */
    static final int MAX_DECODED_EXTENT = 12 << 20;
    private static final int LZMA_MAX_DICT = 8 << 20;

    final boolean zeroPadding;
    final boolean bigPcluster;
    final int availableAlgorithms;
    private final CodecConfig[] configs = new CodecConfig[4];

    private ZConfig(boolean zeroPadding, boolean bigPcluster, int available) {
        this.zeroPadding = zeroPadding;
        this.bigPcluster = bigPcluster;
        this.availableAlgorithms = available;
    }

    /** The settings of an enabled algorithm, or null when the superblock does not enable it. */
    CodecConfig codec(int algorithm) {
        return algorithm >= 0 && algorithm < configs.length ? configs[algorithm] : null;
    }

    static ZConfig load(SuperBlock sb, ZImageContext.PositionalReader io) throws IOException {
        int bs = sb.blockSize();
        boolean cfgs = sb.hasIncompat(Feature.INCOMPAT_COMPR_CFGS);
        ZConfig c;
        if (!cfgs) {
            c = new ZConfig(sb.hasIncompat(Feature.INCOMPAT_ZERO_PADDING), false, 1 << Erofs.ALG_LZ4);
            int distance = sb.u1() == 0 ? 65536 : sb.u1();
            c.configs[Erofs.ALG_LZ4] = new CodecConfig(Erofs.ALG_LZ4, distance, bs, bs);
            return c;
        }
        int avail = sb.u1();
        if ((avail & ~0xF) != 0) {
            throw ErofsFormatException.unsupported(Erofs.SUPERBLOCK_OFFSET + 84, "superblock available_compr_algs",
                    "compression algorithms 0x" + Integer.toHexString(avail), "unknown algorithm bits");
        }
        c = new ZConfig(sb.hasIncompat(Feature.INCOMPAT_ZERO_PADDING), true, avail);
        long pos = Erofs.SUPERBLOCK_OFFSET + (long) sb.declaredSize();
        for (int alg = 0; alg < 4; alg++) {
            if ((avail & (1 << alg)) == 0) {
                continue;
            }
            String what = "compression config record of " + Erofs.algorithmName(alg);
            byte[] hdr = new byte[2];
            io.readFully(pos, hdr, 0, 2, what);
            int len = (hdr[0] & 0xFF) | (hdr[1] & 0xFF) << 8;
            if (len == 0) {
                len = 65536;
            }
            byte[] p = new byte[Math.min(len, 16)];
            io.readFully(pos + 2, p, 0, p.length, what);
            c.configs[alg] = parse(alg, p, len, pos, bs, what);
            pos = (pos + 2 + len + 3) & ~3L;
        }
        return c;
    }

    private static CodecConfig parse(int alg, byte[] p, int len, long pos, int bs, String what)
            throws ErofsFormatException {
        switch (alg) {
            case Erofs.ALG_LZ4: {
                need(len, 14, pos, what);
                int distance = u16(p, 0);
                int blocks = u16(p, 2);
                if (blocks == 0) {
                    blocks = 1;
                }
                if ((long) blocks * bs > MAX_PCLUSTER) {
                    throw ErofsFormatException.corrupt(pos, what, "max_pclusterblks " + blocks
                            + " exceeds the 1 MiB pcluster limit");
                }
                return new CodecConfig(alg, distance == 0 ? 65536 : distance, bs, blocks * bs);
            }
            case Erofs.ALG_LZMA: {
                need(len, 14, pos, what);
                long dict = u16(p, 0) | (long) u16(p, 2) << 16;
                int format = u16(p, 4);
                if (format != 0) {
                    throw ErofsFormatException.unsupported(pos, what, "LZMA format " + format, null);
                }
                if (dict > LZMA_MAX_DICT) {
                    throw ErofsFormatException.corrupt(pos, what, "LZMA dictionary of " + dict
                            + " bytes exceeds 8 MiB");
                }
                return new CodecConfig(alg, (int) Math.max(4096, dict), bs, MAX_PCLUSTER);
            }
            case Erofs.ALG_DEFLATE: {
                need(len, 6, pos, what);
                int bits = p[0] & 0xFF;
                if (bits > 15) {
                    throw ErofsFormatException.corrupt(pos, what, "deflate windowbits " + bits + " exceeds 15");
                }
                return new CodecConfig(alg, 1 << Math.max(8, bits), bs, MAX_PCLUSTER);
            }
            default: {
                need(len, 6, pos, what);
                int format = p[0] & 0xFF;
                int log = p[1] & 0xFF;
                if (format != 0) {
                    throw ErofsFormatException.unsupported(pos, what, "zstd format " + format, null);
                }
                if (log > 10) {
                    throw ErofsFormatException.corrupt(pos, what, "zstd windowlog " + (log + 10)
                            + " exceeds the 1 MiB window limit");
                }
                return new CodecConfig(alg, 1 << (log + 10), bs, MAX_PCLUSTER);
            }
        }
    }

    private static void need(int len, int min, long pos, String what) throws ErofsFormatException {
        if (len < min) {
            throw ErofsFormatException.corrupt(pos, what, "record of " + len + " bytes, needs " + min);
        }
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }
}
