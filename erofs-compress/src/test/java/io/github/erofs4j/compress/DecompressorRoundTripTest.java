package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.Decompressors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import net.jpountz.lz4.LZ4Factory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;

/** Every decompressor against its library's compressor, full and partial. */
class DecompressorRoundTripTest {

    static Decompressor decompressor(int alg) throws IOException {
        return Decompressors.installed().create(new CodecConfig(alg, alg == Erofs.ALG_ZSTD ? 1 << 20
                : alg == Erofs.ALG_DEFLATE ? 32768 : alg == Erofs.ALG_LZ4 ? 65535 : 1 << 20, 4096, 1 << 20));
    }

    /** Compressible input: words from a small vocabulary plus some noise. */
    static byte[] data(long seed, int len) {
        Random r = new Random(seed);
        String[] words = {"erofs ", "block ", "pcluster ", "lz4 ", "\n", "zstd ", "0000", "abc"};
        byte[] out = new byte[len];
        int i = 0;
        while (i < len) {
            if (r.nextInt(10) == 0) {
                out[i++] = (byte) r.nextInt();
            } else {
                byte[] w = words[r.nextInt(words.length)].getBytes();
                for (int j = 0; j < w.length && i < len; j++) {
                    out[i++] = w[j];
                }
            }
        }
        return out;
    }

    static byte[] compress(int alg, byte[] in) throws IOException {
        switch (alg) {
            case Erofs.ALG_LZ4:
                return LZ4Factory.safeInstance().highCompressor(9).compress(in);
            case Erofs.ALG_LZMA: {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                LZMA2Options o = new LZMA2Options(6);
                o.setDictSize(1 << 20);
                try (LZMAOutputStream lz = new LZMAOutputStream(bos, o, false)) {
                    lz.write(in);
                }
                byte[] s = bos.toByteArray();
                assertEquals(0, s[0], "a raw LZMA1 stream starts with 0x00");
                int props = (o.getPb() * 5 + o.getLp()) * 9 + o.getLc();
                s[0] = (byte) ~props;
                return s;
            }
            case Erofs.ALG_DEFLATE: {
                Deflater d = new Deflater(9, true);
                d.setInput(in);
                d.finish();
                byte[] buf = new byte[in.length + 1024];
                int n = d.deflate(buf);
                assertTrue(d.finished());
                d.end();
                return Arrays.copyOf(buf, n);
            }
            case Erofs.ALG_ZSTD:
                return Zstd.compress(in, 3);
            default:
                throw new IllegalArgumentException();
        }
    }

    @Property(tries = 40)
    void roundTrip(@ForAll @IntRange(min = 0, max = 3) int alg, @ForAll @IntRange(min = 1, max = 200_000) int len,
            @ForAll long seed) throws IOException {
        byte[] in = data(seed, len);
        byte[] c = compress(alg, in);
        Decompressor d = decompressor(alg);
        byte[] out = new byte[len + 7];
        d.decompress(c, 0, c.length, out, 7, len, false);
        assertArrayEquals(in, Arrays.copyOfRange(out, 7, 7 + len));
        // Partial: any prefix, with trailing junk after the stream allowed.
        int prefix = 1 + new Random(seed).nextInt(len);
        byte[] padded = Arrays.copyOf(c, c.length + 100);
        byte[] part = new byte[prefix];
        d.decompress(alg == Erofs.ALG_LZ4 ? padded : c, 0, alg == Erofs.ALG_LZ4 ? padded.length : c.length, part, 0,
                prefix, true);
        assertArrayEquals(Arrays.copyOf(in, prefix), part);
    }

    @Test
    void wrongLengthsAreErrors() throws IOException {
        byte[] in = data(1, 10_000);
        for (int alg = 0; alg <= 3; alg++) {
            byte[] c = compress(alg, in);
            Decompressor d = decompressor(alg);
            int a = alg;
            assertThrows(IOException.class, () -> d.decompress(c, 0, c.length, new byte[9_999], 0, 9_999, false),
                    "too long output for " + a);
            assertThrows(IOException.class, () -> d.decompress(c, 0, c.length, new byte[10_001], 0, 10_001, false),
                    "too short output for " + a);
            assertThrows(IOException.class, () -> d.decompress(c, 0, c.length, new byte[10_001], 0, 10_001, true),
                    "too short partial output for " + a);
            assertThrows(IOException.class,
                    () -> d.decompress(c, 0, c.length / 2, new byte[10_000], 0, 10_000, false),
                    "truncated stream for " + a);
        }
    }

    @Test
    void lz4PrefixDecoderMatchesLibrary() throws IOException {
        for (int seed = 0; seed < 50; seed++) {
            byte[] in = data(seed, 1 + seed * 997);
            byte[] c = LZ4Factory.safeInstance().fastCompressor().compress(in);
            byte[] out = new byte[in.length];
            Lz4Block.decode(c, 0, c.length, out, 0, out.length, 65535, true);
            assertArrayEquals(in, out);
        }
    }

    @Test
    void missingAlgorithmNamesArtifact() {
        ErofsFormatException e = assertThrows(ErofsFormatException.class,
                () -> Decompressors.of(List.of()).create(new CodecConfig(Erofs.ALG_ZSTD, 1 << 20, 4096, 4096)));
        assertTrue(e.getMessage().contains("zstd") && e.getMessage().contains("io.github.erofs4j:erofs-compress"),
                e.getMessage());
    }

    @Test
    void allFourAreInstalled() {
        for (int alg = 0; alg <= 3; alg++) {
            assertTrue(Decompressors.installed().supports(alg), Erofs.algorithmName(alg));
        }
    }
}
