package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;
import io.github.erofs4j.core.spi.Compressors;
import io.github.erofs4j.core.spi.Decompressor;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The MicroLZMA encoder's contract at fast, normal and extreme levels: a destSize stream fits its capacity, decodes
 * with {@link LzmaDecompressor} (which insists on the exact output length and on every stream byte being used) to
 * exactly the prefix it claims, fills the capacity nearly to the byte, and depends on nothing but its arguments.
 */
class LzmaEncoderTest {
    private static final int DICT = 1 << 20;

    static Compressor create(int level, int dict) {
        return Compressors.installed().create("lzma", level, new CompressorOptions(dict));
    }

    @Provide
    Arbitrary<Integer> levels() {
        return Arbitraries.of(0, 1, 3, 4, 6, 9, 100, 103, 106);
    }

    /** Decodes the stream as an image's reader does and compares it with the prefix it claims. */
    static void checkStream(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int cap, int n, int consumed,
            int dict) throws IOException {
        assertTrue(n <= cap, "stream of " + n + " bytes in a capacity of " + cap);
        assertTrue(consumed >= 0 && consumed <= srcLen, "consumed " + consumed + " of " + srcLen);
        if (cap < 5) {
            assertEquals(0, n);
            assertEquals(0, consumed);
            return;
        }
        assertTrue(n >= 5, "a stream is at least 5 bytes: " + n);
        assertEquals((byte) ~0x5D, dst[dstOff], "first byte: the NOT of lc=3 lp=0 pb=2");
        Decompressor d = new LzmaDecompressor().create(new CodecConfig(Erofs.ALG_LZMA, dict, 4096, 1 << 20));
        byte[] out = new byte[consumed];
        d.decompress(dst, dstOff, n, out, 0, consumed, false);
        assertArrayEquals(Arrays.copyOfRange(src, srcOff, srcOff + consumed), out);
    }

    @Property(tries = 120)
    void destSizeStreamsDecodeToTheClaimedPrefix(@ForAll("levels") int level, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 150000) int len, @ForAll @IntRange(max = 40000) int cap,
            @ForAll @IntRange(max = 7) int offset) throws IOException {
        if ((seed & 1) == 0) {
            len %= 400;
            cap %= 80;
        }
        byte[] data = Lz4EncoderTest.input(kind, seed, len);
        byte[] src = new byte[offset + len + 3];
        System.arraycopy(data, 0, src, offset, len);
        byte[] dst = new byte[offset + cap + 5];
        Arrays.fill(dst, (byte) 0x5A);
        int[] consumed = {-1};
        int n = create(level, DICT).compressDestSize(src, offset, len, dst, offset, cap, consumed);
        checkStream(src, offset, len, dst, offset, cap, n, consumed[0], DICT);
        for (int i = 0; i < offset; i++) {
            assertEquals((byte) 0x5A, dst[i], "written before the output range");
        }
        for (int i = offset + cap; i < dst.length; i++) {
            assertEquals((byte) 0x5A, dst[i], "written after the output range");
        }
        if (consumed[0] < len && cap >= 64) {
            // Stopped for lack of room: the stream fills the capacity but for the last symbol's few bytes.
            assertTrue(n >= cap - 48, "stopped at " + n + " of " + cap + " bytes with input left");
        }
    }

    @Property(tries = 60)
    void pclustersFilledOneAfterAnotherCoverTheWholeInput(@ForAll("levels") int level,
            @ForAll @IntRange(max = 5) int kind, @ForAll long seed, @ForAll @IntRange(max = 300000) int len,
            @ForAll @IntRange(min = 0, max = 4) int capShift) throws IOException {
        int cap = 4096 << capShift;
        byte[] src = Lz4EncoderTest.input(kind, seed, len);
        byte[] dst = new byte[cap];
        int[] consumed = new int[1];
        Compressor c = create(level, 32768);
        int pos = 0;
        while (pos < len) {
            int n = c.compressDestSize(src, pos, len - pos, dst, 0, cap, consumed);
            checkStream(src, pos, len - pos, dst, 0, cap, n, consumed[0], 32768);
            assertTrue(consumed[0] > 0, "no progress at " + pos);
            pos += consumed[0];
        }
    }

    @Property(tries = 30)
    void everyCapacityFromZeroUp(@ForAll("levels") int level, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 2000) int len) throws IOException {
        byte[] src = Lz4EncoderTest.input(kind, seed, len);
        Compressor c = create(level, DICT);
        int[] consumed = new int[1];
        for (int cap = 0; cap <= 40; cap++) {
            byte[] dst = new byte[cap];
            int n = c.compressDestSize(src, 0, len, dst, 0, cap, consumed);
            checkStream(src, 0, len, dst, 0, cap, n, consumed[0], DICT);
            if (cap >= 7 && len > 0) {
                assertTrue(consumed[0] > 0, "7 bytes hold a literal");
            }
        }
    }

    @Property(tries = 40)
    void sameInputSameBytesAcrossInstancesAndReuse(@ForAll("levels") int level, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 100000) int len,
            @ForAll @IntRange(min = 5, max = 20000) int cap) {
        byte[] src = Lz4EncoderTest.input(kind, seed, len);
        Compressor used = create(level, DICT);
        byte[] other = Lz4EncoderTest.input((kind + 1) % 6, ~seed, 70000);
        used.compressDestSize(other, 0, other.length, new byte[9000], 0, 9000, new int[1]);
        byte[] a = new byte[cap];
        byte[] b = new byte[cap];
        int[] ca = new int[1];
        int[] cb = new int[1];
        int na = used.compressDestSize(src, 0, len, a, 0, cap, ca);
        int nb = create(level, DICT).compressDestSize(src, 0, len, b, 0, cap, cb);
        assertEquals(na, nb);
        assertEquals(ca[0], cb[0]);
        assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOf(b, nb));
    }

    @Property(tries = 40)
    void compressTakesTheWholeInputOrSaysItDoesNotFit(@ForAll("levels") int level,
            @ForAll @IntRange(max = 5) int kind, @ForAll long seed, @ForAll @IntRange(max = 60000) int len,
            @ForAll @IntRange(max = 30000) int cap) throws IOException {
        byte[] src = Lz4EncoderTest.input(kind, seed, len);
        Compressor c = create(level, DICT);
        byte[] dst = new byte[cap];
        int n = c.compress(src, 0, len, dst, 0, cap);
        int[] consumed = new int[1];
        byte[] whole = new byte[c.maxCompressedLength(len)];
        int m = c.compressDestSize(src, 0, len, whole, 0, whole.length, consumed);
        assertEquals(len, consumed[0], "the bound holds the whole input");
        checkStream(src, 0, len, whole, 0, whole.length, m, len, DICT);
        if (n < 0) {
            assertTrue(m > cap, "refused although " + m + " bytes fit " + cap);
        } else {
            assertEquals(m, n);
            checkStream(src, 0, len, dst, 0, cap, n, len, DICT);
        }
    }

    @Test
    void incompressibleInputStaysWithinTheBoundAndFillsEveryCapacity() throws IOException {
        byte[] src = new byte[320 << 10];
        new Random(7).nextBytes(src);
        for (int level : new int[] {0, 6, 109}) {
            Compressor c = create(level, 8 << 20);
            byte[] whole = new byte[c.maxCompressedLength(src.length)];
            int n = c.compress(src, 0, src.length, whole, 0, whole.length);
            assertTrue(n > src.length && n < src.length + src.length / 50, "random data: " + n);
            for (int cap : new int[] {4096, 65536, 256 << 10}) {
                byte[] dst = new byte[cap];
                int[] consumed = new int[1];
                int m = c.compressDestSize(src, 0, src.length, dst, 0, cap, consumed);
                checkStream(src, 0, src.length, dst, 0, cap, m, consumed[0], 8 << 20);
                assertTrue(m >= cap - 16 && consumed[0] > cap * 98L / 100, m + " bytes for " + consumed[0]);
            }
        }
    }

    @Test
    void zerosFillAPclusterWithMegabytes() throws IOException {
        byte[] src = new byte[24 << 20];
        Compressor c = create(6, 8 << 20);
        byte[] dst = new byte[4096];
        int[] consumed = new int[1];
        int n = c.compressDestSize(src, 0, src.length, dst, 0, dst.length, consumed);
        checkStream(src, 0, src.length, dst, 0, dst.length, n, consumed[0], 8 << 20);
        assertEquals(src.length, consumed[0], "24 MiB of zeros take a few hundred bytes");
    }

    @Test
    void levelsAndDictionarySizesAsMkfsTakesThem() {
        CompressorProvider p = Compressors.installed().provider("lzma").orElseThrow();
        assertEquals(Erofs.ALG_LZMA, p.algorithmId());
        assertEquals(6, p.defaultLevel());
        assertEquals(0, p.minLevel());
        assertEquals(109, p.maxLevel());
        for (int bad : new int[] {-1, 10, 42, 99, 110}) {
            assertThrows(IllegalArgumentException.class, () -> p.create(bad, CompressorOptions.defaults()));
        }
        for (int badDict : new int[] {1, 4095, (8 << 20) + 1}) {
            assertThrows(IllegalArgumentException.class, () -> p.create(6, new CompressorOptions(badDict)));
        }
        assertEquals(105, p.create(105, new CompressorOptions(4096)).level());
    }
}
