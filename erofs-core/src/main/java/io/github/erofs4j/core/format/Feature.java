package io.github.erofs4j.core.format;

import java.util.ArrayList;
import java.util.List;

/** Superblock feature bits and their names. */
public final class Feature {
    private Feature() {}

    // feature_compat
    public static final int COMPAT_SB_CHKSUM = 0x01;
    public static final int COMPAT_MTIME = 0x02;
    public static final int COMPAT_XATTR_FILTER = 0x04;
    public static final int COMPAT_SHARED_EA_IN_METABOX = 0x08;
    public static final int COMPAT_PLAIN_XATTR_PFX = 0x10;
    public static final int COMPAT_ISHARE_XATTRS = 0x20;

    // feature_incompat
    public static final int INCOMPAT_ZERO_PADDING = 0x001;
    public static final int INCOMPAT_COMPR_CFGS = 0x002;
    public static final int INCOMPAT_BIG_PCLUSTER = 0x002;
    public static final int INCOMPAT_CHUNKED_FILE = 0x004;
    public static final int INCOMPAT_DEVICE_TABLE = 0x008;
    public static final int INCOMPAT_COMPR_HEAD2 = 0x008;
    public static final int INCOMPAT_ZTAILPACKING = 0x010;
    public static final int INCOMPAT_FRAGMENTS = 0x020;
    public static final int INCOMPAT_DEDUPE = 0x020;
    public static final int INCOMPAT_XATTR_PREFIXES = 0x040;
    public static final int INCOMPAT_48BIT = 0x080;
    public static final int INCOMPAT_METABOX = 0x100;
    /** Every incompat bit defined by the format today. */
    public static final int INCOMPAT_ALL = 0x1FF;

    private static final String[] COMPAT_NAMES = {
        "sb_csum", "mtime", "xattr_filter", "shared_ea_in_metabox", "plain_xattr_pfx", "ishare_xattrs"
    };
    private static final String[] INCOMPAT_NAMES = {
        "0padding", "compr_cfgs", "chunked_file", "device_table", "ztailpacking", "fragments", "xattr_prefixes",
        "48bit", "metabox"
    };

    /** Names of the set compat bits, in bit order; unknown bits appear as hex. */
    public static List<String> compatNames(long bits) {
        return names(bits, COMPAT_NAMES);
    }

    /** Names of the set incompat bits, in bit order; unknown bits appear as hex. */
    public static List<String> incompatNames(long bits) {
        return names(bits, INCOMPAT_NAMES);
    }

    /** Name of one incompat bit, or null if unknown. */
    public static String incompatName(int bit) {
        int i = Integer.numberOfTrailingZeros(bit);
        return Integer.bitCount(bit) == 1 && i < INCOMPAT_NAMES.length ? INCOMPAT_NAMES[i] : null;
    }

    private static List<String> names(long bits, String[] table) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            long bit = 1L << i;
            if ((bits & bit) != 0) {
                out.add(i < table.length ? table[i] : "0x" + Long.toHexString(bit));
            }
        }
        return out;
    }
}
