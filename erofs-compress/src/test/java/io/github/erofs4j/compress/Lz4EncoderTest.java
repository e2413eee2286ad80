package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.CompressorProvider;
import io.github.erofs4j.core.spi.Compressors;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The LZ4 encoders' contract, for every level: a destSize stream fits its capacity, decodes (with lz4-java's safe
 * decoder and with {@link Lz4Block}) to exactly the prefix it claims, keeps the block format's end rules, consumes
 * input whenever a minimal block fits, and depends on nothing but its arguments.
 */
class Lz4EncoderTest {
    private static final LZ4SafeDecompressor LIB = LZ4Factory.safeInstance().safeDecompressor();
    /** lz4 (level 0) and lz4hc levels 0 to 12. */
    private static final List<String> SPECS = List.of("lz4:0", "lz4hc:0", "lz4hc:1", "lz4hc:2", "lz4hc:3",
            "lz4hc:4", "lz4hc:5", "lz4hc:6", "lz4hc:7", "lz4hc:8", "lz4hc:9", "lz4hc:10", "lz4hc:11", "lz4hc:12");
    private static final byte[] REAL = realData();

    static Compressor create(String spec) {
        String[] p = spec.split(":");
        return Compressors.installed().create(p[0], Integer.parseInt(p[1]), CompressorOptions.defaults());
    }

    /** The test images: file systems with text, directories and already-compressed data. */
    private static byte[] realData() {
        try (InputStream a = Lz4EncoderTest.class.getResourceAsStream("/images/zdirs.erofs");
                InputStream b = Lz4EncoderTest.class.getResourceAsStream("/images/dedupe.erofs");
                InputStream c = Lz4EncoderTest.class.getResourceAsStream("/images/zstd48.erofs")) {
            byte[] x = a.readAllBytes();
            byte[] y = b.readAllBytes();
            byte[] z = c.readAllBytes();
            byte[] all = Arrays.copyOf(x, x.length + y.length + z.length);
            System.arraycopy(y, 0, all, x.length, y.length);
            System.arraycopy(z, 0, all, x.length + y.length, z.length);
            return all;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Inputs of every kind: random, text-like, runs, periodic, real, tiny and empty. */
    static byte[] input(int kind, long seed, int len) {
        Random r = new Random(seed);
        byte[] b = new byte[len];
        switch (kind) {
            case 0 -> r.nextBytes(b);
            case 1 -> {
                // Words from a small vocabulary: many short and medium matches.
                String[] words = {"erofs ", "block ", "cluster ", "the ", "of ", "lz4 ", "\n", "compress ", "0123 "};
                int i = 0;
                while (i < len) {
                    byte[] w = words[r.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    int n = Math.min(w.length, len - i);
                    System.arraycopy(w, 0, b, i, n);
                    i += n;
                }
            }
            case 2 -> {
                // Long runs of one byte, with noise between them.
                int i = 0;
                while (i < len) {
                    int n = Math.min(len - i, 1 + r.nextInt(5000));
                    byte v = r.nextInt(3) == 0 ? (byte) r.nextInt() : 0;
                    Arrays.fill(b, i, i + n, v);
                    i += n;
                    if (i < len) {
                        b[i++] = (byte) r.nextInt();
                    }
                }
            }
            case 3 -> {
                // Periodic patterns of 1 to 8 bytes, sometimes broken.
                int period = 1 + r.nextInt(8);
                byte[] pat = new byte[period];
                r.nextBytes(pat);
                for (int i = 0; i < len; i++) {
                    b[i] = r.nextInt(1000) == 0 ? (byte) r.nextInt() : pat[i % period];
                }
            }
            case 4 -> {
                if (REAL.length > 0) {
                    int from = r.nextInt(Math.max(1, REAL.length - len));
                    System.arraycopy(REAL, from, b, 0, Math.min(len, REAL.length - from));
                }
            }
            default -> {
                // Mixed: copies of earlier data at every distance, some noise.
                int i = 0;
                while (i < len) {
                    int n = Math.min(len - i, 1 + r.nextInt(200));
                    if (i > 4 && r.nextBoolean()) {
                        int from = Math.max(0, i - 1 - r.nextInt(Math.min(i, 70000)));
                        for (int k = 0; k < n; k++) {
                            b[i + k] = b[from + k];
                        }
                    } else {
                        for (int k = 0; k < n; k++) {
                            b[i + k] = (byte) r.nextInt(r.nextBoolean() ? 4 : 256);
                        }
                    }
                    i += n;
                }
            }
        }
        return b;
    }

    @Provide
    Arbitrary<String> specs() {
        return Arbitraries.of(SPECS);
    }

    /**
     * Checks one destSize result: size within capacity, decodes with both decoders to exactly the claimed prefix,
     * and keeps the end-of-block rules.
     */
    static void checkStream(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int cap, int n,
            int consumed) throws IOException {
        assertTrue(n >= 0 && n <= cap, "stream of " + n + " bytes for capacity " + cap);
        assertTrue(consumed >= 0 && consumed <= srcLen, "consumed " + consumed + " of " + srcLen);
        if (cap == 0) {
            assertEquals(0, n);
            assertEquals(0, consumed);
            return;
        }
        assertTrue(n >= 1, "an empty stream for capacity " + cap);
        if (srcLen > 0 && cap >= 2) {
            assertTrue(consumed > 0, "nothing consumed with capacity " + cap);
        }
        byte[] expect = Arrays.copyOfRange(src, srcOff, srcOff + consumed);
        byte[] viaLib = new byte[consumed + 64];
        int got = LIB.decompress(dst, dstOff, n, viaLib, 0, viaLib.length);
        assertEquals(consumed, got, "lz4-java decodes a different length");
        assertArrayEquals(expect, Arrays.copyOf(viaLib, got));
        byte[] viaOurs = new byte[consumed];
        Lz4Block.decode(dst, dstOff, n, viaOurs, 0, consumed, 65535, false);
        assertArrayEquals(expect, viaOurs);
        checkEndRules(dst, dstOff, n);
    }

    /** The last match starts at least 12 bytes before the end of the block, and the last 5 bytes are literals. */
    static void checkEndRules(byte[] b, int off, int len) {
        int ip = off;
        int end = off + len;
        long out = 0;
        long lastMatchStart = -1;
        long lastMatchEnd = -1;
        while (true) {
            int token = b[ip++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int x;
                do {
                    x = b[ip++] & 0xFF;
                    lit += x;
                } while (x == 255);
            }
            ip += lit;
            out += lit;
            if (ip == end) {
                break;
            }
            ip += 2;
            int ml = token & 15;
            if (ml == 15) {
                int x;
                do {
                    x = b[ip++] & 0xFF;
                    ml += x;
                } while (x == 255);
            }
            lastMatchStart = out;
            out += ml + 4;
            lastMatchEnd = out;
        }
        if (lastMatchStart >= 0) {
            assertTrue(out - lastMatchStart >= 12, "last match starts " + (out - lastMatchStart) + " bytes from the end");
            assertTrue(out - lastMatchEnd >= 5, "only " + (out - lastMatchEnd) + " literals at the end");
        }
    }

    @Property(tries = 400)
    void destSizeStreamsDecodeToTheClaimedPrefix(@ForAll("specs") String spec, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 70000) int len, @ForAll @IntRange(max = 20000) int cap,
            @ForAll @IntRange(max = 7) int offset) throws IOException {
        // Short inputs and small capacities are where the edge cases are: favour them half of the time.
        if ((seed & 1) == 0) {
            len %= 300;
            cap %= 64;
        }
        byte[] data = input(kind, seed, len);
        byte[] src = new byte[offset + len + 3];
        System.arraycopy(data, 0, src, offset, len);
        byte[] dst = new byte[offset + cap + 5];
        Arrays.fill(dst, (byte) 0x5A);
        int[] consumed = {-1};
        Compressor c = create(spec);
        int n = c.compressDestSize(src, offset, len, dst, offset, cap, consumed);
        checkStream(src, offset, len, dst, offset, cap, n, consumed[0]);
        for (int i = 0; i < offset; i++) {
            assertEquals((byte) 0x5A, dst[i], "written before the output range");
        }
        for (int i = offset + cap; i < dst.length; i++) {
            assertEquals((byte) 0x5A, dst[i], "written after the output range");
        }
    }

    @Property(tries = 300)
    void pclustersFilledOneAfterAnotherCoverTheWholeInput(@ForAll("specs") String spec,
            @ForAll @IntRange(max = 5) int kind, @ForAll long seed, @ForAll @IntRange(max = 200000) int len,
            @ForAll @IntRange(min = 0, max = 4) int capShift) throws IOException {
        int cap = 4096 << capShift;
        byte[] src = input(kind, seed, len);
        byte[] dst = new byte[cap];
        int[] consumed = new int[1];
        Compressor c = create(spec);
        int pos = 0;
        while (pos < len) {
            int n = c.compressDestSize(src, pos, len - pos, dst, 0, cap, consumed);
            checkStream(src, pos, len - pos, dst, 0, cap, n, consumed[0]);
            pos += consumed[0];
        }
    }

    @Property(tries = 150)
    void everyCapacityFromOneByteUp(@ForAll("specs") String spec, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 2000) int len) throws IOException {
        byte[] src = input(kind, seed, len);
        Compressor c = create(spec);
        int[] consumed = new int[1];
        int last = -1;
        for (int cap = 0; cap <= 48; cap++) {
            byte[] dst = new byte[cap];
            int n = c.compressDestSize(src, 0, len, dst, 0, cap, consumed);
            checkStream(src, 0, len, dst, 0, cap, n, consumed[0]);
            last = consumed[0];
        }
        assertTrue(last >= Math.min(len, 30), "48 bytes hold at least 30 literals");
    }

    @Property(tries = 200)
    void sameInputSameBytesAcrossInstancesAndReuse(@ForAll("specs") String spec, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 100000) int len, @ForAll @IntRange(min = 1, max = 70000) int cap) {
        byte[] src = input(kind, seed, len);
        byte[] other = input((kind + 1) % 6, seed ^ 0x55, 90000);
        Compressor fresh = create(spec);
        Compressor used = create(spec);
        byte[] scratch = new byte[70000];
        int[] consumed = new int[1];
        for (int i = 0; i < 3; i++) {
            used.compressDestSize(other, i * 1000, other.length - i * 1000, scratch, 0, 4096 << i, consumed);
        }
        byte[] a = new byte[cap];
        byte[] b = new byte[cap + 9];
        int na = fresh.compressDestSize(src, 0, len, a, 0, cap, consumed);
        int ca = consumed[0];
        // Also at other offsets in both arrays: positions inside the arrays must not matter.
        byte[] shifted = new byte[len + 17];
        System.arraycopy(src, 0, shifted, 17, len);
        int nb = used.compressDestSize(shifted, 17, len, b, 9, cap, consumed);
        assertEquals(na, nb);
        assertEquals(ca, consumed[0]);
        assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOfRange(b, 9, 9 + nb));
        int nc = fresh.compressDestSize(src, 0, len, a, 0, cap, consumed);
        assertEquals(na, nc);
        assertEquals(ca, consumed[0]);
    }

    @Property(tries = 200)
    void damagedAndTruncatedInputsStillEncode(@ForAll("specs") String spec, @ForAll long seed,
            @ForAll @IntRange(max = 30000) int len, @ForAll @IntRange(min = 1, max = 20000) int cap)
            throws IOException {
        Random r = new Random(seed);
        byte[] src = input(4, seed, len);
        for (int i = 0; i < 1 + len / 100; i++) {
            if (len > 0) {
                src[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
            }
        }
        int cut = len == 0 ? 0 : r.nextInt(len + 1);
        byte[] dst = new byte[cap];
        int[] consumed = new int[1];
        Compressor c = create(spec);
        int n = c.compressDestSize(src, 0, cut, dst, 0, cap, consumed);
        checkStream(src, 0, cut, dst, 0, cap, n, consumed[0]);
    }

    @Property(tries = 200)
    void compressTakesTheWholeInputOrSaysItDoesNotFit(@ForAll("specs") String spec, @ForAll @IntRange(max = 5) int kind,
            @ForAll long seed, @ForAll @IntRange(max = 40000) int len) throws IOException {
        byte[] src = input(kind, seed, len);
        Compressor c = create(spec);
        byte[] dst = new byte[c.maxCompressedLength(len)];
        int n = c.compress(src, 0, len, dst, 0, dst.length);
        assertTrue(n > 0, "the bound did not hold the input");
        checkStream(src, 0, len, dst, 0, dst.length, n, len);
        // One byte less: either it does not fit, or a (different) whole stream that fits.
        byte[] less = new byte[Math.max(0, n - 1)];
        int m = c.compress(src, 0, len, less, 0, less.length);
        if (m != -1) {
            checkStream(src, 0, len, less, 0, less.length, m, len);
        }
    }

    @Test
    void emptyInputAndTinyCapacities() throws IOException {
        for (String spec : SPECS) {
            Compressor c = create(spec);
            int[] consumed = {-1};
            byte[] dst = new byte[8];
            assertEquals(1, c.compressDestSize(new byte[0], 0, 0, dst, 0, 8, consumed), spec);
            assertEquals(0, consumed[0]);
            assertEquals(0, dst[0]);
            assertEquals(0, c.compressDestSize(new byte[10], 0, 10, dst, 0, 0, consumed), spec);
            assertEquals(0, consumed[0]);
            assertEquals(1, c.compressDestSize(new byte[10], 0, 10, dst, 0, 1, consumed), spec);
            assertEquals(0, consumed[0]);
            assertEquals(2, c.compressDestSize(new byte[10], 0, 10, dst, 0, 2, consumed), spec);
            assertEquals(1, consumed[0]);
            assertEquals(1, c.compress(new byte[0], 0, 0, dst, 0, 1), spec);
            assertEquals(-1, c.compress(new byte[0], 0, 0, dst, 0, 0), spec);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> c.compressDestSize(new byte[4], 2, 3, dst, 0, 8, new int[1]));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> c.compressDestSize(new byte[4], 0, 4, dst, 4, 5, new int[1]));
        }
    }

    @Test
    void zerosFillAPclusterWithAboutTwoHundredFiftyFiveTimesItsSize() throws IOException {
        byte[] zeros = new byte[3 << 20];
        for (String spec : SPECS) {
            Compressor c = create(spec);
            byte[] dst = new byte[4096];
            int[] consumed = new int[1];
            int n = c.compressDestSize(zeros, 0, zeros.length, dst, 0, 4096, consumed);
            checkStream(zeros, 0, zeros.length, dst, 0, 4096, n, consumed[0]);
            assertTrue(consumed[0] > 250 * 4000, spec + " consumed only " + consumed[0]);
        }
    }

    @Test
    void providersAreFoundWithTheirLevels() {
        Compressors installed = Compressors.installed();
        assertTrue(installed.names().containsAll(List.of("lz4", "lz4hc")), installed.names().toString());
        CompressorProvider lz4 = installed.provider("lz4").orElseThrow();
        CompressorProvider hc = installed.provider("lz4hc").orElseThrow();
        assertEquals(Erofs.ALG_LZ4, lz4.algorithmId());
        assertEquals(Erofs.ALG_LZ4, hc.algorithmId());
        assertEquals(List.of(0, 0, 0), List.of(lz4.minLevel(), lz4.maxLevel(), lz4.defaultLevel()));
        assertEquals(List.of(0, 12, 9), List.of(hc.minLevel(), hc.maxLevel(), hc.defaultLevel()));
        assertThrows(IllegalArgumentException.class, () -> hc.create(13, CompressorOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> hc.create(-1, CompressorOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> lz4.create(1, CompressorOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> hc.create(9, new CompressorOptions(65536)));
        assertThrows(IllegalArgumentException.class,
                () -> installed.create("lz5", 0, CompressorOptions.defaults()));
        IntStream.rangeClosed(0, 12).forEach(l -> assertEquals(l, hc.create(l, CompressorOptions.defaults()).level()));
        // Level 0 is mkfs.erofs's way of asking for the default, 9; levels 1 and 2 search alike.
        byte[] src = input(5, 42, 50000);
        assertArrayEquals(encoded(hc.create(9, CompressorOptions.defaults()), src),
                encoded(hc.create(0, CompressorOptions.defaults()), src));
        assertArrayEquals(encoded(hc.create(1, CompressorOptions.defaults()), src),
                encoded(hc.create(2, CompressorOptions.defaults()), src));
        assertTrue(encoded(hc.create(12, CompressorOptions.defaults()), src).length
                < encoded(lz4.create(0, CompressorOptions.defaults()), src).length);
    }

    private static byte[] encoded(Compressor c, byte[] src) {
        byte[] dst = new byte[c.maxCompressedLength(src.length)];
        return Arrays.copyOf(dst, c.compress(src, 0, src.length, dst, 0, dst.length));
    }

    @Property(tries = 100)
    void aSmallerWindowKeepsEveryOffsetWithinIt(@ForAll("specs") String spec, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5000) int window) throws IOException {
        String[] p = spec.split(":");
        Compressor c = Compressors.installed().create(p[0], Integer.parseInt(p[1]), new CompressorOptions(window));
        byte[] src = input(5, seed, 60000);
        byte[] dst = new byte[c.maxCompressedLength(src.length)];
        int n = c.compress(src, 0, src.length, dst, 0, dst.length);
        byte[] out = new byte[src.length];
        Lz4Block.decode(dst, 0, n, out, 0, out.length, window, false);
        assertArrayEquals(src, out);
    }
}
