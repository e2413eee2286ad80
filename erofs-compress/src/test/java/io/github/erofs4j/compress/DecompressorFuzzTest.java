package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.erofs4j.core.spi.Decompressor;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Garbage and damaged streams: each decode ends in output or an {@link IOException}, never another exception or
 * a hang. Fixed seeds.
 */
class DecompressorFuzzTest {

    private static void decodeOnce(Decompressor d, byte[] src, int outLen, boolean partial) {
        byte[] out = new byte[outLen];
        try {
            d.decompress(src, 0, src.length, out, 0, outLen, partial);
        } catch (IOException expected) {
            // a clean failure
        }
    }

    @Test
    void garbageAndBitFlips() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int alg = 0; alg <= 3; alg++) {
                Decompressor d = DecompressorRoundTripTest.decompressor(alg);
                Random r = new Random(4242 + alg);
                for (int i = 0; i < 300; i++) {
                    byte[] g = new byte[1 + r.nextInt(4096)];
                    r.nextBytes(g);
                    decodeOnce(d, g, 1 + r.nextInt(1 << 17), r.nextBoolean());
                }
                byte[] in = DecompressorRoundTripTest.data(alg, 65536);
                byte[] c = DecompressorRoundTripTest.compress(alg, in);
                for (int i = 0; i < 400; i++) {
                    byte[] m = c.clone();
                    int flips = 1 + r.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        int pos = r.nextInt(m.length);
                        m[pos] ^= (byte) (1 << r.nextInt(8));
                    }
                    decodeOnce(d, m, in.length, r.nextBoolean());
                }
                for (int cut = 0; cut < c.length; cut += Math.max(1, c.length / 64)) {
                    decodeOnce(d, java.util.Arrays.copyOf(c, cut), in.length, false);
                }
            }
        });
    }
}
