package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The segment encoder's output is a valid cut of its input: extents cover it exactly, in order; each pcluster
 * (0-padded compressed, or plain) gives back exactly its extent's bytes; every extent but the last reaches past
 * the next lcluster boundary, as lcluster indexes require; an inline tail only ends a file.
 */
class ZSegmentEncoderPropertyTest {
    private static final LZ4Compressor LZ4 = LZ4Factory.safeInstance().fastCompressor();
    private static final LZ4SafeDecompressor UNLZ4 = LZ4Factory.safeInstance().safeDecompressor();

    /** Fits a prefix by bisection over lz4-java's block compressor: slow, but enough to exercise the cutting. */
    static final ZSegmentEncoder.DestSizeCompressor BISECT = (src, off, len, dst, dstOff, cap, consumed, expected) -> {
        int lo = 0;
        int hi = (int) Math.min(len, 300L * cap);
        int best = 0;
        byte[] tmp = new byte[LZ4.maxCompressedLength(len)];
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            int n = LZ4.compress(src, off, mid, tmp, 0, tmp.length);
            if (n <= cap) {
                lo = mid;
                best = n;
                System.arraycopy(tmp, 0, dst, dstOff, n);
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0) {
            return 0;
        }
        consumed[0] = lo;
        return best;
    };

    @Property(tries = 60)
    void extentsCoverTheInputAndDecodeToIt(@ForAll @IntRange(min = 0, max = 300_000) int size,
            @ForAll @IntRange(min = 0, max = 3) int kind, @ForAll @IntRange(min = 0, max = 2) int pclusterShift,
            @ForAll boolean ztail, @ForAll long seed) {
        int bs = 4096;
        int pcluster = bs << (pclusterShift * 2);
        byte[] in = data(size, kind, new Random(seed));
        ZSegmentEncoder enc = new ZSegmentEncoder(BISECT, bs, pcluster, Long.MAX_VALUE);
        ZSegmentEncoder.Segment seg = enc.encode(in, 0, in.length, true, ztail);
        long at = 0;
        int dataAt = 0;
        for (int i = 0; i < seg.extents.size(); i++) {
            ZSegmentEncoder.Extent e = seg.extents.get(i);
            boolean last = i == seg.extents.size() - 1;
            assertTrue(e.length > 0, "empty extent");
            if (!last) {
                assertTrue((at % bs) + e.length >= bs, "extent " + i + " ends inside its lcluster");
                assertTrue(!e.inlined, "inline extent before the end");
            }
            byte[] want = Arrays.copyOfRange(in, (int) at, (int) at + e.length);
            if (e.inlined) {
                assertTrue(ztail && (!e.raw || e.length < bs), "inline tail of " + e.length);
                byte[] got = e.raw ? seg.inline : decode(seg.inline, 0, seg.inline.length, e.length);
                assertArrayEquals(want, got);
            } else {
                assertEquals(0, e.plen % bs);
                assertTrue(e.plen <= pcluster);
                if (e.raw) {
                    assertTrue(e.length <= e.plen);
                    assertArrayEquals(want, Arrays.copyOfRange(seg.data, dataAt, dataAt + e.length));
                } else {
                    assertTrue(e.plen < e.length, "a compressed pcluster must save a block");
                    int z = dataAt;
                    while (seg.data[z] == 0) {
                        z++;
                    }
                    assertTrue(z - dataAt < bs, "more than a block of 0-padding");
                    assertArrayEquals(want, decode(seg.data, z, dataAt + e.plen - z, e.length));
                }
                dataAt += e.plen;
            }
            at += e.length;
        }
        assertEquals(in.length, at);
        assertEquals(seg.dataLength, dataAt);
    }

    @Property(tries = 20)
    void sameInputSameBytes(@ForAll @IntRange(min = 0, max = 100_000) int size, @ForAll long seed) {
        byte[] in = data(size, 3, new Random(seed));
        ZSegmentEncoder.Segment a = new ZSegmentEncoder(BISECT, 4096, 16384, Long.MAX_VALUE)
                .encode(in, 0, in.length, true, true);
        ZSegmentEncoder enc = new ZSegmentEncoder(BISECT, 4096, 16384, Long.MAX_VALUE);
        enc.encode(data(size, 1, new Random(seed + 1)), 0, size, true, true);
        ZSegmentEncoder.Segment b = enc.encode(in, 0, in.length, true, true);
        assertArrayEquals(Arrays.copyOf(a.data, a.dataLength), Arrays.copyOf(b.data, b.dataLength));
        assertEquals(a.extents.toString(), b.extents.toString());
    }

    private static byte[] decode(byte[] src, int off, int len, int out) {
        byte[] dst = new byte[out];
        int n = UNLZ4.decompress(src, off, len, dst, 0);
        assertEquals(out, n);
        return dst;
    }

    /** 0: random, 1: zeros, 2: text-like, 3: a mix of runs. */
    static byte[] data(int size, int kind, Random r) {
        byte[] b = new byte[size];
        switch (kind) {
            case 0 -> r.nextBytes(b);
            case 1 -> { }
            case 2 -> {
                String words = "the quick brown fox jumps over a lazy dog erofs lz4 block cluster ";
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) words.charAt((i * 7 + r.nextInt(3)) % words.length());
                }
            }
            default -> {
                int i = 0;
                while (i < size) {
                    int run = Math.min(size - i, 1 + r.nextInt(20_000));
                    int mode = r.nextInt(3);
                    for (int j = 0; j < run; j++) {
                        b[i + j] = mode == 0 ? (byte) r.nextInt() : mode == 1 ? 0 : (byte) ('a' + j % 13);
                    }
                    i += run;
                }
            }
        }
        return b;
    }
}
