package io.github.erofs4j.core.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Directory data: blocks of dirents followed by their names, a dirent and its name never crossing a block. The
 * size is known from the names alone (before layout); the bytes need the targets' nids (after placement).
 */
final class DirectoryEncoder {
    private DirectoryEncoder() {}

    /** Size in bytes of a directory with these entry names, in this order. */
    static long size(byte[][] names, int bs) {
        long full = 0;
        int used = 0;
        for (byte[] n : names) {
            int need = 12 + n.length;
            if (used + need > bs) {
                full++;
                used = 0;
            }
            used += need;
        }
        return full * bs + used;
    }

    /** The directory's data, exactly {@code d.size} bytes; every target must be placed. */
    static byte[] encode(InodePlan d, int bs) {
        byte[] out = new byte[(int) d.size];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        long blockStart = 0;
        byte[][] names = d.dirNames;
        while (i < names.length) {
            int used = 0;
            int j = i;
            while (j < names.length && used + 12 + names[j].length <= bs) {
                used += 12 + names[j].length;
                j++;
            }
            int count = j - i;
            int nameOff = 12 * count;
            for (int k = 0; k < count; k++) {
                int pos = (int) blockStart + 12 * k;
                InodePlan t = d.dirTargets[i + k];
                b.putLong(pos, t.nid());
                b.putShort(pos + 8, (short) nameOff);
                b.put(pos + 10, (byte) t.type.direntType());
                System.arraycopy(names[i + k], 0, out, (int) blockStart + nameOff, names[i + k].length);
                nameOff += names[i + k].length;
            }
            i = j;
            blockStart += bs;
        }
        return out;
    }
}
