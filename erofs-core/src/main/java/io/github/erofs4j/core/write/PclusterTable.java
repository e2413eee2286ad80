package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Identical pclusters stored once: with {@code -E fragments} (and without {@code -E dedupe}), mkfs.erofs compares
 * each pcluster it is about to write with those written before (same stored bytes, same size, both plain or both
 * compressed) and refers to the earlier one instead. Entries point into the spool, where candidates are compared
 * byte for byte. Not thread-safe: used in file order by one thread.
 */
final class PclusterTable {
    private final FileChannel spool;
    private final Map<Long, List<long[]>> byHash = new HashMap<>();
    /** Entries of the file being committed, dropped if it is stored uncompressed after all. */
    private final List<Long> fileKeys = new ArrayList<>();

    PclusterTable(FileChannel spool) {
        this.spool = spool;
    }

    /** Starts a file: its entries may be dropped with {@link #dropFile()}. */
    void startFile() {
        fileKeys.clear();
    }

    /** Forgets the entries made for the current file. */
    void dropFile() {
        for (Long k : fileKeys) {
            List<long[]> l = byHash.get(k);
            l.remove(l.size() - 1);
            if (l.isEmpty()) {
                byHash.remove(k);
            }
        }
        fileKeys.clear();
    }

    /** The spool offset of an earlier pcluster equal to {@code data[off, off+len)}, or -1. */
    long find(byte[] data, int off, int len, boolean raw) throws IOException {
        List<long[]> l = byHash.get(hash(data, off, len, raw));
        if (l == null) {
            return -1;
        }
        byte[] b = null;
        for (long[] e : l) {
            if (e[1] != len) {
                continue;
            }
            if (b == null) {
                b = new byte[len];
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) {
                if (spool.read(bb, e[0] + bb.position()) < 0) {
                    throw new IOException("spool ends before byte " + (e[0] + len));
                }
            }
            if (Arrays.equals(b, 0, len, data, off, off + len)) {
                return e[0];
            }
        }
        return -1;
    }

    /** Enters a pcluster written at {@code spoolOffset}. */
    void add(byte[] data, int off, int len, boolean raw, long spoolOffset) {
        long k = hash(data, off, len, raw);
        byHash.computeIfAbsent(k, x -> new ArrayList<>(1)).add(new long[] {spoolOffset, len});
        fileKeys.add(k);
    }

    private static long hash(byte[] b, int off, int len, boolean raw) {
        long h = raw ? 0x51ED27A1L : 0x2545F4914F6CDD1DL;
        h ^= len;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        }
        return h ^ (h >>> 29);
    }
}
