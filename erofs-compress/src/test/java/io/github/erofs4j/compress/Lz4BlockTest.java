package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import io.github.erofs4j.core.spi.Decompressors;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** erofs4j's LZ4 decoder against lz4-java: the same bytes from good blocks, the same verdict on damaged ones. */
class Lz4BlockTest {
    private static final LZ4SafeDecompressor LIB = LZ4Factory.safeInstance().safeDecompressor();
    private static final LZ4Compressor FAST = LZ4Factory.safeInstance().fastCompressor();
    private static final LZ4Compressor HC = LZ4Factory.safeInstance().highCompressor(12);

    /** Data with matches of every kind: short periods (overlapping copies), long repeats, words, noise. */
    static byte[] mixed(long seed, int len) {
        Random r = new Random(seed);
        byte[] out = new byte[len];
        int i = 0;
        while (i < len) {
            int kind = r.nextInt(5);
            int n = Math.min(len - i, 1 + r.nextInt(kind == 4 ? 3000 : 300));
            switch (kind) {
                case 0 -> { // a run with a short period: overlapping matches with offsets 1..20
                    int period = 1 + r.nextInt(20);
                    for (int k = 0; k < n; k++) {
                        out[i + k] = k < period ? (byte) r.nextInt() : out[i + k - period];
                    }
                }
                case 1 -> { // noise: literal runs
                    for (int k = 0; k < n; k++) {
                        out[i + k] = (byte) r.nextInt();
                    }
                }
                case 2, 4 -> { // a copy of earlier data: distant matches
                    if (i > 0) {
                        int from = r.nextInt(i);
                        for (int k = 0; k < n; k++) {
                            out[i + k] = out[from + (k % (i - from))];
                        }
                    }
                }
                default -> { // text-like words
                    byte[] w = ("w" + r.nextInt(50) + " ").getBytes();
                    for (int k = 0; k < n; k++) {
                        out[i + k] = w[k % w.length];
                    }
                }
            }
            i += n;
        }
        return out;
    }

    @Test
    void decodesWhatLz4JavaCompressed() throws IOException {
        for (int seed = 0; seed < 120; seed++) {
            byte[] in = mixed(seed, seed < 20 ? seed : 1 + new Random(seed).nextInt(seed % 3 == 0 ? 300_000 : 20_000));
            for (LZ4Compressor c : new LZ4Compressor[] {FAST, HC}) {
                byte[] z = c.compress(in);
                byte[] out = new byte[in.length];
                Lz4Block.decode(z, 0, z.length, out, 0, out.length, 65535, false);
                assertArrayEquals(in, out, "seed " + seed);
                // At an offset inside larger arrays, and as prefixes of every length class.
                byte[] src = new byte[z.length + 40];
                System.arraycopy(z, 0, src, 17, z.length);
                byte[] dst = new byte[in.length + 50];
                Arrays.fill(dst, (byte) 0x5A);
                Lz4Block.decode(src, 17, z.length, dst, 23, in.length, 65535, false);
                assertArrayEquals(in, Arrays.copyOfRange(dst, 23, 23 + in.length));
                assertTrue(allEqual(dst, 0, 23, (byte) 0x5A) && allEqual(dst, 23 + in.length, dst.length, (byte) 0x5A),
                        "bytes outside the output range were written");
                int prefix = in.length == 0 ? 0 : new Random(seed).nextInt(in.length + 1);
                byte[] part = new byte[prefix + 30];
                Arrays.fill(part, (byte) 0x5A);
                Lz4Block.decode(src, 17, z.length + 23, part, 0, prefix, 65535, true); // trailing bytes not read
                assertArrayEquals(Arrays.copyOf(in, prefix), Arrays.copyOf(part, prefix), "prefix " + prefix);
                assertTrue(allEqual(part, prefix, part.length, (byte) 0x5A), "prefix overran its output");
            }
        }
    }

    private static boolean allEqual(byte[] a, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (a[i] != v) {
                return false;
            }
        }
        return true;
    }

    /** What lz4-java makes of a block: the decoded bytes, or null when it rejects it. */
    private static byte[] library(byte[] z, int outLen) {
        byte[] out = new byte[outLen];
        try {
            int n = LIB.decompress(z, 0, z.length, out, 0, outLen);
            return n == outLen ? out : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    void damagedBlocksGetLz4JavasVerdict() {
        Random r = new Random(77);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] in = mixed(i, 1 + r.nextInt(5000));
            byte[] z = (i % 2 == 0 ? FAST : HC).compress(in);
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
                z[r.nextInt(z.length)] ^= (byte) (1 << r.nextInt(8));
            }
            int outLen = Math.max(0, r.nextInt(4) == 0 ? in.length + r.nextInt(9) - 4 : in.length);
            byte[] lib = library(z, outLen);
            byte[] own = new byte[outLen];
            String error = null;
            try {
                Lz4Block.decode(z, 0, z.length, own, 0, outLen, 65535, false);
            } catch (IOException e) {
                error = e.getMessage();
            }
            if (lib == null) {
                assertTrue(error != null, "case " + i + ": lz4-java rejects it, erofs4j decoded it");
                rejected++;
            } else if (error != null) {
                // Stricter than lz4-java in one respect: offset 0, which the format calls invalid (lz4-java copies
                // output not yet written).
                assertTrue(error.contains("match offset 0 "), "case " + i + ": lz4-java decoded it, erofs4j: " + error);
            } else {
                assertArrayEquals(lib, own, "case " + i + ": different bytes");
                decoded++;
            }
        }
        assertTrue(decoded > 300 && rejected > 300, "too few cases of a kind: " + decoded + " decoded, " + rejected
                + " rejected");
    }

    @Property(tries = 400)
    void garbageEndsInOutputOrIOException(@ForAll("blocks") byte[] z, @ForAll @IntRange(max = 70_000) int outLen,
            @ForAll boolean prefix) {
        byte[] out = new byte[outLen];
        try {
            Lz4Block.decode(z, 0, z.length, out, 0, outLen, 65535, prefix);
        } catch (IOException expected) {
            // a clean failure
        }
    }

    @Provide
    Arbitrary<byte[]> blocks() {
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> damaged = Arbitraries.longs().flatMap(seed -> Arbitraries.integers().between(0, 50)
                .map(pos -> {
                    byte[] z = HC.compress(mixed(seed, 1 + (int) Math.floorMod(seed, 20_000)));
                    z[pos % z.length] ^= (byte) (seed | 1);
                    return z;
                }));
        return Arbitraries.oneOf(garbage, damaged);
    }

    @Test
    void errorsNameWhatIsWrong() {
        byte[] in = mixed(3, 10_000);
        byte[] z = HC.compress(in);
        IOException shorter = assertThrows(IOException.class,
                () -> Lz4Block.decode(z, 0, z.length, new byte[9_999], 0, 9_999, 65535, false));
        // Either the output overflows, or the last match already runs into the 5 bytes only literals may write.
        assertTrue(shorter.getMessage().contains("more than the expected 9999")
                || shorter.getMessage().contains("inside its last 5 literal bytes"), shorter.getMessage());
        IOException longer = assertThrows(IOException.class,
                () -> Lz4Block.decode(z, 0, z.length, new byte[10_001], 0, 10_001, 65535, false));
        assertEquals("lz4 block decodes to 10000 bytes, expected 10001", longer.getMessage());
        assertThrows(IOException.class, () -> Lz4Block.decode(z, 0, z.length / 2, new byte[10_000], 0, 10_000,
                65535, false));
        // Only the single token 0 decodes to nothing (as in liblz4 and lz4-java); a prefix of 0 bytes reads nothing.
        assertDoesNotThrow(() -> Lz4Block.decode(new byte[] {0}, 0, 1, new byte[0], 0, 0, 65535, false));
        assertThrows(IOException.class, () -> Lz4Block.decode(new byte[] {4}, 0, 1, new byte[0], 0, 0, 65535, false));
        assertDoesNotThrow(() -> Lz4Block.decode(new byte[] {4}, 0, 1, new byte[0], 0, 0, 65535, true));
        // A match further back than max_distance allows.
        byte[] far = new byte[70_000];
        new Random(5).nextBytes(far);
        System.arraycopy(far, 0, far, 60_000, 10_000);
        byte[] fz = HC.compress(far);
        IOException window = assertThrows(IOException.class,
                () -> Lz4Block.decode(fz, 0, fz.length, new byte[far.length], 0, far.length, 4096, false));
        assertTrue(window.getMessage().contains("match offset 60000"), window.getMessage());
    }

    /** Match offset 0 tells the decoders apart: lz4-java copies output not yet written, Lz4Block rejects it. */
    private static final byte[] OFFSET_ZERO =
            {0x10, 'a', 0, 0, (byte) 0xC0, 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'};

    @Test
    void codecConfigChoosesTheDecoder() throws IOException {
        // (lz4-java also wants a match to end 12 bytes before the block's end: 12 literals follow.)
        CodecConfig builtin = new CodecConfig(Erofs.ALG_LZ4, 65535, 4096, 65536);
        assertEquals(Lz4Decoder.BUILTIN, builtin.lz4Decoder(), "the default");
        CodecConfig lz4Java = builtin.withLz4Decoder(Lz4Decoder.LZ4_JAVA);
        Decompressors installed = Decompressors.installed();
        installed.create(lz4Java).decompress(OFFSET_ZERO, 0, OFFSET_ZERO.length, new byte[17], 0, 17, false);
        IOException e = assertThrows(IOException.class, () -> installed.create(builtin)
                .decompress(OFFSET_ZERO, 0, OFFSET_ZERO.length, new byte[17], 0, 17, false));
        assertTrue(e.getMessage().contains("match offset 0"), e.getMessage());
        // Both decode good blocks alike.
        byte[] in = mixed(9, 50_000);
        byte[] z = HC.compress(in);
        for (CodecConfig cfg : List.of(builtin, lz4Java)) {
            byte[] out = new byte[in.length];
            installed.create(cfg).decompress(z, 0, z.length, out, 0, out.length, false);
            assertArrayEquals(in, out, cfg.lz4Decoder().name());
        }
    }

    @Test
    void readOptionsChoiceReachesTheDecoder() throws IOException {
        Path image = TestImages.image("lz4");
        for (Lz4Decoder which : new Lz4Decoder[] {null, Lz4Decoder.BUILTIN, Lz4Decoder.LZ4_JAVA}) {
            List<Lz4Decoder> asked = new CopyOnWriteArrayList<>();
            Decompressors installed = Decompressors.installed();
            DecompressorProvider lz4 = new Lz4Decompressor();
            Decompressors recording = installed.with(new DecompressorProvider() {
                @Override
                public int algorithmId() {
                    return lz4.algorithmId();
                }

                @Override
                public String name() {
                    return lz4.name();
                }

                @Override
                public Decompressor create(CodecConfig config) throws IOException {
                    asked.add(config.lz4Decoder());
                    return lz4.create(config);
                }
            });
            ReadOptions.Builder b = ReadOptions.builder().decompressors(recording);
            if (which != null) {
                b.lz4Decoder(which);
            }
            try (ErofsImage img = ErofsImage.open(image, b.build())) {
                TestImages.assertLinesEqual(TestImages.manifest("lz4"), TestImages.manifestOf(img), "lz4");
            }
            assertEquals(List.of(which == null ? Lz4Decoder.BUILTIN : which), asked, String.valueOf(which));
        }
    }
}
