package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Compressor;
import io.github.erofs4j.core.spi.CompressorOptions;
import io.github.erofs4j.core.spi.Compressors;
import io.github.erofs4j.core.spi.Decompressor;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The deflate and zstd encoders' destination-size contract: the stream fits, decodes with our decoders (zlib's
 * inflate and libzstd, as the kernel's) to exactly the prefix it claims, takes input whenever a minimal stream
 * fits, gives the same bytes however it is guessed at and however often the instance was used, and never begins
 * with a zero byte (the kernel would take it for zero padding). Also the providers' levels and windows.
 */
class TrialFitEncoderTest {
    private static final List<String> SPECS = List.of("deflate:1", "deflate:6", "deflate:9", "zstd:-1", "zstd:1",
            "zstd:3", "zstd:12", "zstd:19");
    /** Larger than any stream of an empty input or of one byte (zstd: a frame header and one raw block). */
    private static final int MINIMAL_STREAM = 16;

    static Compressor create(String spec) {
        String[] p = spec.split(":");
        return Compressors.installed().create(p[0], Integer.parseInt(p[1]), new CompressorOptions(0, 131072));
    }

    static byte[] decode(Compressor c, byte[] stream, int len, int outLen) throws IOException {
        Decompressor d = c.algorithmId() == Erofs.ALG_ZSTD
                ? new ZstdDecompressor().create(new CodecConfig(Erofs.ALG_ZSTD, c.windowSize(), 4096, 1 << 20))
                : new DeflateDecompressor().create(new CodecConfig(Erofs.ALG_DEFLATE, 32768, 4096, 1 << 20));
        byte[] out = new byte[outLen];
        d.decompress(stream, 0, len, out, 0, outLen, false);
        return out;
    }

    @Provide
    Arbitrary<String> specs() {
        return Arbitraries.of(SPECS);
    }

    @Property(tries = 300)
    void streamFitsAndDecodesToThePrefixItClaims(@ForAll("specs") String spec,
            @ForAll @IntRange(min = 0, max = 5) int kind, @ForAll @IntRange(min = 0, max = 200_000) int len,
            @ForAll @IntRange(min = 0, max = 140_000) int capacity, @ForAll @IntRange(min = 0, max = 300_000) int guess,
            @ForAll long seed) throws IOException {
        byte[] in = Lz4EncoderTest.input(kind, seed, len);
        try (Compressor c = create(spec)) {
            // Some slack around the destination: the encoder must stay inside its range.
            byte[] dst = new byte[capacity + 20];
            Arrays.fill(dst, (byte) 0x5A);
            int[] consumed = {-1};
            int n = c.compressDestSize(in, 0, in.length, dst, 7, capacity, consumed, guess);
            assertTrue(n <= capacity, "stream of " + n + " bytes in " + capacity);
            for (int i = 0; i < 7; i++) {
                assertEquals(0x5A, dst[i]);
            }
            for (int i = 7 + Math.max(n, 0); i < dst.length; i++) {
                assertEquals(0x5A, dst[i], "byte " + i + " past the stream changed");
            }
            if (capacity == 0) {
                assertEquals(0, n);
                assertEquals(0, consumed[0]);
                return;
            }
            if (capacity >= MINIMAL_STREAM) {
                assertTrue(n > 0, "no stream in " + capacity + " bytes");
                if (len > 0) {
                    assertTrue(consumed[0] > 0, "took no input with " + capacity + " bytes");
                }
            }
            if (n <= 0) {
                assertEquals(0, consumed[0]);
                return;
            }
            assertTrue(consumed[0] >= 0 && consumed[0] <= len);
            assertNotEquals(0, dst[7], "a stream starting with a zero byte");
            byte[] stream = Arrays.copyOfRange(dst, 7, 7 + n);
            assertArrayEquals(Arrays.copyOf(in, consumed[0]), decode(c, stream, n, consumed[0]));
            // Not used again with other data in between, and used fresh: the same bytes.
            int[] again = new int[1];
            byte[] other = new byte[capacity];
            c.compressDestSize(Lz4EncoderTest.input(0, seed + 1, 5000), 0, 5000, other, 0, capacity, again, 0);
            byte[] dst2 = new byte[capacity];
            try (Compressor fresh = create(spec)) {
                int n2 = fresh.compressDestSize(in, 0, in.length, dst2, 0, capacity, again, guess);
                assertEquals(n, n2);
                assertEquals(consumed[0], again[0]);
                assertArrayEquals(stream, Arrays.copyOf(dst2, n2));
            }
            int n3 = c.compressDestSize(in, 0, in.length, dst2, 0, capacity, again, guess);
            assertEquals(consumed[0], again[0]);
            assertArrayEquals(stream, Arrays.copyOf(dst2, n3));
        }
    }

    @Property(tries = 100)
    void wholeInputCompressesOrSaysItDoesNotFit(@ForAll("specs") String spec,
            @ForAll @IntRange(min = 0, max = 5) int kind, @ForAll @IntRange(min = 0, max = 100_000) int len,
            @ForAll @IntRange(min = 0, max = 120_000) int capacity, @ForAll long seed) throws IOException {
        byte[] in = Lz4EncoderTest.input(kind, seed, len);
        try (Compressor c = create(spec)) {
            byte[] dst = new byte[Math.max(capacity, c.maxCompressedLength(len))];
            int n = c.compress(in, 0, len, dst, 0, capacity);
            int bound = c.compress(in, 0, len, dst, 0, c.maxCompressedLength(len));
            assertTrue(bound > 0 && bound <= c.maxCompressedLength(len));
            assertArrayEquals(in, decode(c, dst, bound, len));
            assertEquals(bound <= capacity ? bound : -1, n);
        }
    }

    @Test
    void fillsACapacityClosely() throws IOException {
        // Text-like data of about 3:1: a full 4 KiB pcluster ends within the search's slack of its capacity.
        byte[] in = Lz4EncoderTest.input(1, 42, 200_000);
        for (String spec : SPECS) {
            try (Compressor c = create(spec)) {
                byte[] dst = new byte[4096];
                int[] consumed = new int[1];
                int n = c.compressDestSize(in, 0, in.length, dst, 0, 4096, consumed);
                assertTrue(consumed[0] < in.length);
                assertTrue(n >= 4096 - 8 && n <= 4096, spec + ": " + n);
            }
        }
    }

    @Test
    void levelsAndWindows() {
        Compressors installed = Compressors.installed();
        CompressorOptions d = CompressorOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> installed.create("deflate", 0, d));
        assertThrows(IllegalArgumentException.class, () -> installed.create("deflate", 10, d));
        assertThrows(IllegalArgumentException.class, () -> installed.create("deflate", 1, new CompressorOptions(16384)));
        assertEquals(32768, installed.create("deflate", 1, new CompressorOptions(32768)).windowSize());
        assertThrows(IllegalArgumentException.class, () -> installed.create("zstd", 0, d));
        assertThrows(IllegalArgumentException.class, () -> installed.create("zstd", 23, d));
        assertThrows(IllegalArgumentException.class, () -> installed.create("zstd", 3, new CompressorOptions(3000)));
        assertThrows(IllegalArgumentException.class, () -> installed.create("zstd", 3, new CompressorOptions(512)));
        assertThrows(IllegalArgumentException.class, () -> installed.create("zstd", 3, new CompressorOptions(2 << 20)));
        // mkfs.erofs's default window: eight pclusters, a power of two, at most 1 MiB.
        assertEquals(32768, installed.create("zstd", 3, new CompressorOptions(0, 4096)).windowSize());
        assertEquals(1 << 19, installed.create("zstd", 3, new CompressorOptions(0, 65536)).windowSize());
        assertEquals(1 << 20, installed.create("zstd", 3, new CompressorOptions(0, 1 << 20)).windowSize());
        assertEquals(1 << 20, installed.create("zstd", 3, new CompressorOptions(0, 12288 * 16)).windowSize());
        assertEquals(4096, installed.create("zstd", 3, new CompressorOptions(4096, 65536)).windowSize());
        assertEquals(-1, installed.create("zstd", installed.provider("zstd").orElseThrow().defaultLevel(), d)
                .level());
    }
}
