package io.github.erofs4j.core.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The table of compressed extents that later extents may share ({@code -E dedupe}), as mkfs.erofs keeps it: every
 * pcluster written is entered under its first block of uncompressed data; while a file is compressed, each block
 * of its input that ends past the last extent's start is looked up (a rolling hash over one block, moving backwards
 * from the current position), and a hit whose data also continues past that position becomes an extent referring
 * to the earlier pcluster, possibly only to a prefix of its data (a partial reference).
 *
 * <p>The uncompressed data of an entry is not kept: a candidate is checked byte for byte against the source file it
 * came from, so memory stays at a few dozen bytes per extent. Not thread-safe: compression with dedupe runs on one
 * thread, in file order, so that what matches never depends on timing.
 */
final class ZDedupe {
    private static final long RADIX = 0x100000001B3L;

    /** A match: the extent starting at {@code at} (a position of the input) that refers to an earlier pcluster. */
    record Match(int at, int length, int plen, boolean raw, boolean partial, long spoolOffset) {}

    private final int window;
    /** RADIX^(window-1), for rolling the hash. */
    private final long rm;
    private final LongIntMap heads = new LongIntMap();
    private final List<Entry> entries = new ArrayList<>();
    /** Entries of the file being compressed start here (they are dropped if the file is stored uncompressed). */
    private int fileMark;

    private static final class Entry {
        final long hash;
        final long check;
        final FileContent content;
        final long fileOffset;
        final int length;
        final int plen;
        final boolean raw;
        final long spoolOffset;
        int next = -1;
        boolean dead;

        Entry(long hash, long check, FileContent content, long fileOffset, int length, int plen, boolean raw,
                long spoolOffset) {
            this.hash = hash;
            this.check = check;
            this.content = content;
            this.fileOffset = fileOffset;
            this.length = length;
            this.plen = plen;
            this.raw = raw;
            this.spoolOffset = spoolOffset;
        }
    }

    ZDedupe(int blockSize) {
        this.window = blockSize;
        long r = 1;
        for (int i = 0; i < blockSize - 1; i++) {
            r *= RADIX;
        }
        this.rm = r;
    }

    /** The window: one block. */
    int window() {
        return window;
    }

    /** Starts a file: its entries may be dropped with {@link #dropFile()}. */
    void startFile() {
        fileMark = entries.size();
    }

    /** Forgets the entries of the current file (it is stored uncompressed). */
    void dropFile() {
        for (int i = fileMark; i < entries.size(); i++) {
            entries.get(i).dead = true;
        }
    }

    /**
     * Enters a pcluster written for {@code length} bytes of input {@code src[at, ...)}, which are the bytes of
     * {@code content} from {@code fileOffset}; nothing when shorter than the window or when an entry with the same
     * first block exists.
     */
    void insert(byte[] src, int at, int length, FileContent content, long fileOffset, int plen, boolean raw,
            long spoolOffset) {
        if (length < window) {
            return;
        }
        long h = hash(src, at);
        long c = check(src, at);
        int i = heads.get(h);
        int last = -1;
        for (; i >= 0; i = entries.get(i).next) {
            Entry e = entries.get(i);
            if (!e.dead && e.check == c) {
                return;
            }
            last = i;
        }
        Entry e = new Entry(h, c, content, fileOffset, length, plen, raw, spoolOffset);
        entries.add(e);
        int id = entries.size() - 1;
        if (last < 0) {
            heads.put(h, id);
        } else {
            entries.get(last).next = id;
        }
    }

    /**
     * Looks for an extent to share, scanning input positions from {@code min(cur, end - window)} down to
     * {@code start}: the first position whose next block begins an entry and whose data agree with that entry past
     * {@code cur}. Null when none.
     */
    Match match(byte[] src, int start, int cur, int end) {
        int p = Math.min(cur, end - window);
        if (p < start) {
            return null;
        }
        long h = hash(src, p);
        for (;; p--) {
            Match m = probe(src, p, h, cur, end);
            if (m != null) {
                return m;
            }
            if (p == start) {
                return null;
            }
            h = (src[p - 1] & 0xFF) + RADIX * (h - (src[p + window - 1] & 0xFF) * rm);
        }
    }

    private Match probe(byte[] src, int p, long h, int cur, int end) {
        int i = heads.get(h);
        if (i < 0) {
            return null;
        }
        long c = 0;
        boolean haveCheck = false;
        for (; i >= 0; i = entries.get(i).next) {
            Entry e = entries.get(i);
            if (e.dead || e.hash != h) {
                continue;
            }
            if (!haveCheck) {
                c = check(src, p);
                haveCheck = true;
            }
            if (e.check != c) {
                continue;
            }
            int avail = Math.min(end - p, e.length);
            byte[] orig = read(e, avail);
            if (Arrays.mismatch(src, p, p + window, orig, 0, window) >= 0) {
                return null;
            }
            int mm = Arrays.mismatch(src, p + window, p + avail, orig, window, avail);
            int same = mm < 0 ? avail : window + mm;
            if (same <= cur - p) {
                return null;
            }
            return new Match(p, same, e.plen, e.raw, same < e.length, e.spoolOffset);
        }
        return null;
    }

    private static byte[] read(Entry e, int len) {
        byte[] b = new byte[len];
        try (ReadableByteChannel ch = e.content.open(e.fileOffset)) {
            ImageOutput.readFully(ch, ByteBuffer.wrap(b), e.content);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return b;
    }

    private long hash(byte[] src, int at) {
        long h = 0;
        for (int k = window - 1; k >= 0; k--) {
            h = h * RADIX + (src[at + k] & 0xFF);
        }
        return h;
    }

    private long check(byte[] src, int at) {
        long h = 0x27D4EB2F165667C5L;
        for (int k = 0; k < window; k++) {
            h = (h ^ (src[at + k] & 0xFF)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 31;
        }
        return h;
    }

    /** An open-addressing map from long keys to int values (-1 when absent). */
    private static final class LongIntMap {
        private long[] keys = new long[1 << 12];
        private int[] values = new int[1 << 12];
        private boolean[] used = new boolean[1 << 12];
        private int size;

        int get(long k) {
            int mask = keys.length - 1;
            for (int i = mix(k) & mask; used[i]; i = (i + 1) & mask) {
                if (keys[i] == k) {
                    return values[i];
                }
            }
            return -1;
        }

        void put(long k, int v) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = mix(k) & mask;
            for (; used[i]; i = (i + 1) & mask) {
                if (keys[i] == k) {
                    values[i] = v;
                    return;
                }
            }
            used[i] = true;
            keys[i] = k;
            values[i] = v;
            size++;
        }

        private void grow() {
            long[] ok = keys;
            int[] ov = values;
            boolean[] ou = used;
            keys = new long[ok.length * 2];
            values = new int[ok.length * 2];
            used = new boolean[ok.length * 2];
            size = 0;
            for (int i = 0; i < ok.length; i++) {
                if (ou[i]) {
                    put(ok[i], ov[i]);
                }
            }
        }

        private static int mix(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
