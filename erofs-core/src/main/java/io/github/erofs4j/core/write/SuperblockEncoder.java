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
    private SuperblockEncoder() {}

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
        if (prefixOffset >= 0) {
            incompat |= Feature.INCOMPAT_XATTR_PREFIXES;
            compat |= Feature.COMPAT_PLAIN_XATTR_PFX;
        }
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putLong(opt.uuid().getMostSignificantBits()).putLong(opt.uuid().getLeastSignificantBits());
        SuperBlock sb = new SuperBlock(Erofs.MAGIC & 0xFFFFFFFFL, 0, compat, opt.blockBits(), 0, (int) rootNid,
                inodeCount, opt.buildTime(), 0, totalBlocks, 0, 0, u.array(),
                opt.volumeLabel().getBytes(StandardCharsets.UTF_8), incompat, 0, 0, 0, 0,
                longPrefixes, prefixOffset >= 0 ? prefixOffset / 4 : 0, 0, 0, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(SuperBlock.SIZE);
        sb.encode(b, 0);
        return Arrays.copyOf(b.array(), SuperBlock.BASE_SIZE);
    }
}
