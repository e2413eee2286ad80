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
    /** The lz4 match distance limit recorded when the encoder reports none (that of every lz4 encoder). */
    private static final int LZ4_MAX_DISTANCE = 65535;

    private SuperblockEncoder() {}

    /**
     * Whether the image carries configuration records after the superblock (and the bitmap of algorithms in
     * {@code u1}): as mkfs.erofs, for any algorithm but lz4, and for lz4 with pclusters larger than a block (the
     * big-pcluster feature shares the bit with the records).
     */
    private static boolean configRecords(WriteOptions opt, ZCodec codec) {
        return codec != null && (codec.algorithmId() != Erofs.ALG_LZ4 || codec.pclusterSize() > opt.blockSize());
    }

    /**
     * The configuration records that follow the superblock, in algorithm id order (one per algorithm the image
     * uses): a little-endian u16 size, then the record. Empty when none are needed.
     */
    static byte[] compressionConfigs(WriteOptions opt, ZCodec codec) {
        if (!configRecords(opt, codec)) {
            return new byte[0];
        }
        byte[] body = configRecord(codec.algorithmId(), codec.window(), codec.pclusterSize() / opt.blockSize());
        byte[] r = new byte[2 + body.length];
        r[0] = (byte) body.length;
        r[1] = (byte) (body.length >>> 8);
        System.arraycopy(body, 0, r, 2, body.length);
        return r;
    }

    /**
     * One algorithm's configuration record (without its size), as the kernel's {@code z_erofs_*_cfgs}.
     *
     * @param window the encoder's history window in bytes, or 0 for the algorithm's default
     */
    static byte[] configRecord(int algorithm, int window, int pclusterBlocks) {
        switch (algorithm) {
            case Erofs.ALG_LZ4 -> {
                // max_distance (u16), max_pclusterblks (u16), 10 reserved bytes
                int distance = window == 0 ? LZ4_MAX_DISTANCE : window;
                return new byte[] {(byte) distance, (byte) (distance >>> 8), (byte) pclusterBlocks,
                    (byte) (pclusterBlocks >>> 8), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            }
            case Erofs.ALG_DEFLATE -> {
                // windowbits (u8, 8 to 15), 5 reserved bytes
                return new byte[] {(byte) log2(window == 0 ? 1 << 15 : window), 0, 0, 0, 0, 0};
            }
            case Erofs.ALG_LZMA -> {
                // dict_size (u32), format (u16, 0), 8 reserved bytes
                return new byte[] {(byte) window, (byte) (window >>> 8), (byte) (window >>> 16),
                    (byte) (window >>> 24), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            }
            case Erofs.ALG_ZSTD -> {
                // format (u8, 0), windowlog - 10 (u8), 4 reserved bytes
                int log = log2(window == 0 ? 1 << 15 : window);
                return new byte[] {0, (byte) (log - 10), 0, 0, 0, 0};
            }
            default -> throw new IllegalArgumentException("no configuration record for algorithm " + algorithm);
        }
    }

    private static int log2(int v) {
        return 31 - Integer.numberOfLeadingZeros(v);
    }

    /**
     * @param dataFeatures incompatible features the data plans need
     * @param anyXattrBody whether some inode has an xattr body (the name filter feature is set only then)
     * @param prefixOffset offset of the long-prefix table, or -1
     * @param packedNid the nid of the packed inode, or 0 for none
     */
    static byte[] encode(WriteOptions opt, ZCodec codec, long rootNid, long inodeCount, long totalBlocks,
            int dataFeatures, boolean anyXattrBody, int longPrefixes, long prefixOffset, long packedNid) {
        int compat = Feature.COMPAT_MTIME;
        if (opt.superblockChecksum()) {
            compat |= Feature.COMPAT_SB_CHKSUM;
        }
        if (opt.xattrNameFilter() && anyXattrBody) {
            compat |= Feature.COMPAT_XATTR_FILTER;
        }
        int incompat = dataFeatures;
        int u1 = 0;
        if (codec != null) {
            // As mkfs.erofs: 0-padding whenever compression is on; config records (and with them big pclusters:
            // one bit) for any algorithm but lz4, and for lz4 when the largest pcluster is more than a block,
            // whether or not a file uses one. u1 holds the bitmap of algorithms then, else lz4's max distance.
            incompat |= Feature.INCOMPAT_ZERO_PADDING;
            if (configRecords(opt, codec)) {
                incompat |= Feature.INCOMPAT_BIG_PCLUSTER | Feature.INCOMPAT_COMPR_CFGS;
                u1 = 1 << codec.algorithmId();
            } else {
                u1 = codec.window() == 0 ? LZ4_MAX_DISTANCE : codec.window();
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
                longPrefixes, prefixOffset >= 0 ? prefixOffset / 4 : 0, packedNid, 0, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(SuperBlock.SIZE);
        sb.encode(b, 0);
        return Arrays.copyOf(b.array(), SuperBlock.BASE_SIZE);
    }
}
