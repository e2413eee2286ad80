package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The superblock's bytes, with the checksum field zero ({@link ImageOutput} fills it in once block 0 is whole).
 * Feature bits come from the options and from what the other stages produced.
 */
final class SuperblockEncoder {
    /** The lz4 match distance limit recorded in the image (that of every lz4 encoder). */
    private static final int LZ4_MAX_DISTANCE = 65535;

    private SuperblockEncoder() {}

    private static boolean bigPclusters(WriteOptions opt) {
        return opt.compression().pclusterSize() > opt.blockSize();
    }

    /**
     * The compression config records that follow the superblock (with big pclusters): for lz4, its size (14),
     * the match distance limit and the largest pcluster in blocks. Empty when none are needed.
     */
    static byte[] compressionConfigs(WriteOptions opt) {
        if (lzma(opt)) {
            return lzmaConfig(opt);
        }
        if (!opt.compression().enabled() || !bigPclusters(opt)) {
            return new byte[0];
        }
        byte[] r = new byte[16];
        r[0] = 14;
        r[2] = (byte) LZ4_MAX_DISTANCE;
        r[3] = (byte) (LZ4_MAX_DISTANCE >>> 8);
        int blocks = opt.compression().pclusterSize() / opt.blockSize();
        r[4] = (byte) blocks;
        r[5] = (byte) (blocks >>> 8);
        return r;
    }

    /** Whether the image's algorithm is lzma (which always has a configuration record). */
    private static boolean lzma(WriteOptions opt) {
        return "lzma".equals(opt.compression().algorithm());
    }

    /**
     * The lzma dictionary size: the one asked for, or mkfs.erofs's default of four times the largest pcluster,
     * from 32 KiB to 8 MiB.
     */
    static int lzmaDictSize(WriteOptions opt) {
        Compression z = opt.compression();
        if (z.dictSize() != 0) {
            return z.dictSize();
        }
        long pcluster = z.pclusterSize() == 0 ? opt.blockSize() : z.pclusterSize();
        return (int) Math.max(32 << 10, Math.min(8 << 20, pcluster * 4));
    }

    /** The lzma configuration record: its size (14), the dictionary size, format 0. */
    private static byte[] lzmaConfig(WriteOptions opt) {
        byte[] r = new byte[16];
        ByteBuffer.wrap(r).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 14)
                .putInt(2, lzmaDictSize(opt));
        return r;
    }

    /**
     * @param dataFeatures incompatible features the data plans need
     * @param anyXattrBody whether some inode has an xattr body (the name filter feature is set only then)
     * @param prefixOffset offset of the long-prefix table, or -1
     */
    static byte[] encode(WriteOptions opt, long rootNid, long inodeCount, long totalBlocks, int dataFeatures,
            boolean anyXattrBody, int longPrefixes, long prefixOffset) {
        int compat = Feature.COMPAT_MTIME;
        if (opt.superblockChecksum()) {
            compat |= Feature.COMPAT_SB_CHKSUM;
        }
        if (opt.xattrNameFilter() && anyXattrBody) {
            compat |= Feature.COMPAT_XATTR_FILTER;
        }
        int incompat = dataFeatures;
        int u1 = 0;
        Compression z = opt.compression();
        if (z.enabled()) {
            // As mkfs.erofs: 0-padding whenever compression is on; big pclusters (with config records) when the
            // largest pcluster is more than a block, whether or not a file uses one.
            incompat |= Feature.INCOMPAT_ZERO_PADDING;
            if (lzma(opt)) {
                incompat |= Feature.INCOMPAT_COMPR_CFGS | (bigPclusters(opt) ? Feature.INCOMPAT_BIG_PCLUSTER : 0);
                u1 = 1 << Erofs.ALG_LZMA;
            } else if (bigPclusters(opt)) {
                incompat |= Feature.INCOMPAT_BIG_PCLUSTER | Feature.INCOMPAT_COMPR_CFGS;
                u1 = 1 << Erofs.ALG_LZ4;
            } else {
                u1 = LZ4_MAX_DISTANCE;
            }
        }
        if (prefixOffset >= 0) {
            incompat |= Feature.INCOMPAT_XATTR_PREFIXES;
            compat |= Feature.COMPAT_PLAIN_XATTR_PFX;
        }
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putLong(opt.uuid().getMostSignificantBits()).putLong(opt.uuid().getLeastSignificantBits());
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0, compat, opt.blockBits(), 0, (int) rootNid,
                inodeCount, opt.buildTime(), 0, totalBlocks, 0, 0, u.array(),
                opt.volumeLabel().getBytes(StandardCharsets.UTF_8), incompat, u1, 0, 0, 0,
                longPrefixes, prefixOffset >= 0 ? prefixOffset / 4 : 0, 0, 0, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(SuperBlock.SIZE);
        sb.encode(b, 0);
        return Arrays.copyOf(b.array(), SuperBlock.BASE_SIZE);
    }
}
