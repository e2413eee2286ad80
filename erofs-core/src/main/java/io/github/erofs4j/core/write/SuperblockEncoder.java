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
     * The configuration records that follow the superblock, in algorithm id order (one per algorithm id the image
     * has, lz4 and lz4hc sharing one): a little-endian u16 size, then the record, each starting 4-byte aligned.
     * Empty when none are needed.
     */
    static byte[] compressionConfigs(WriteOptions opt, ZCodecs codecs) {
        if (codecs == null || !codecs.configRecords()) {
            return new byte[0];
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int bitmap = codecs.algorithmBitmap();
        for (int id = 0; id < 16; id++) {
            if ((bitmap & (1 << id)) == 0) {
                continue;
            }
            byte[] body = configRecord(id, codecs.window(id), codecs.maxPcluster() / opt.blockSize());
            out.write(body.length);
            out.write(body.length >>> 8);
            out.write(body, 0, body.length);
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }
        return out.toByteArray();
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
     * @param metaboxNid the nid of the metabox inode, or -1 for none (then the root nid has bit 63 and the
     *     superblock is the 48-bit one with an extension slot)
     * @param sharedInMetabox whether the shared xattr area is in the metabox
     */
    static byte[] encode(WriteOptions opt, ZCodecs codecs, long rootNid, long inodeCount, long totalBlocks,
            int dataFeatures, boolean anyXattrBody, int longPrefixes, long prefixOffset, long packedNid,
            long metaboxNid, boolean sharedInMetabox) {
        int compat = Feature.COMPAT_MTIME;
        if (opt.superblockChecksum()) {
            compat |= Feature.COMPAT_SB_CHKSUM;
        }
        if (opt.xattrNameFilter() && anyXattrBody) {
            compat |= Feature.COMPAT_XATTR_FILTER;
        }
        int incompat = dataFeatures;
        int u1 = 0;
        if (codecs != null) {
            // As mkfs.erofs: 0-padding whenever compression is on; config records (and with them big pclusters:
            // one bit) for any algorithm but lz4, and for lz4 when the largest pcluster is more than a block,
            // whether or not a file uses one. u1 holds the bitmap of algorithms then, else lz4's max distance.
            incompat |= Feature.INCOMPAT_ZERO_PADDING;
            if (codecs.configRecords()) {
                incompat |= Feature.INCOMPAT_BIG_PCLUSTER | Feature.INCOMPAT_COMPR_CFGS;
                u1 = codecs.algorithmBitmap();
            } else {
                int w = codecs.window(Erofs.ALG_LZ4);
                u1 = w == 0 ? LZ4_MAX_DISTANCE : w;
            }
        }
        if (sharedInMetabox) {
            compat |= Feature.COMPAT_SHARED_EA_IN_METABOX;
        }
        if (prefixOffset >= 0) {
            incompat |= Feature.INCOMPAT_XATTR_PREFIXES;
            compat |= Feature.COMPAT_PLAIN_XATTR_PFX;
        }
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putLong(opt.uuid().getMostSignificantBits()).putLong(opt.uuid().getLeastSignificantBits());
        boolean metabox = metaboxNid >= 0;
        if (metabox) {
            // The root lives in the metabox, so its nid (bit 63 set) needs the 64-bit root field of the 48-bit
            // layout, whose time base is the epoch with the build time relative to it.
            incompat |= Feature.INCOMPAT_48BIT | Feature.INCOMPAT_METABOX;
        }
        long epoch = epoch(opt, metabox);
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0, compat, opt.blockBits(), metabox ? 1 : 0,
                metabox ? 0 : (int) rootNid, inodeCount, epoch, 0, totalBlocks, 0, 0, u.array(),
                opt.volumeLabel().getBytes(StandardCharsets.UTF_8), incompat, u1, 0, 0, 0,
                longPrefixes, prefixOffset >= 0 ? prefixOffset / 4 : 0, packedNid, 0, 0,
                metabox ? opt.buildTime() - epoch : 0, metabox ? rootNid : 0, metabox ? metaboxNid : 0);
        ByteBuffer b = ByteBuffer.allocate(SuperBlock.SIZE);
        sb.encode(b, 0);
        return Arrays.copyOf(b.array(), size(metabox));
    }

    /** The superblock's size: with an extension slot for the metabox nid. */
    static int size(boolean metabox) {
        return metabox ? SuperBlock.SIZE : SuperBlock.BASE_SIZE;
    }

    /**
     * The time base of compact inodes: the build time, or with the 48-bit layout (metabox) the build time less
     * 2^32 - 1 but not below 0, as mkfs.erofs.
     */
    static long epoch(WriteOptions opt, boolean metabox) {
        return metabox ? Math.max(0, opt.buildTime() - 0xFFFFFFFFL) : opt.buildTime();
    }
}
