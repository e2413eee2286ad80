package io.github.erofs4j.compress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Coverage-guided differential fuzzing of erofs4j's LZ4 block decoder ({@link Lz4Block}) against lz4-java's safe
 * decoder: for every block and expected length both give the same verdict, and where both decode, the same bytes.
 * The one known difference is a match offset of 0, which the format calls invalid and lz4-java accepts. A prefix
 * decode of a block that decodes whole must give the first bytes of that output. Seeds: blocks from lz4-java's fast
 * and high-compression encoders ({@code Lz4DifferentialFuzzTestInputs/decode}). An input is the expected length
 * (3 bytes, little-endian), the prefix length (3 bytes) and the block.
 */
class Lz4DifferentialFuzzTest {
    private static final LZ4SafeDecompressor LIB = LZ4Factory.safeInstance().safeDecompressor();

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        if (input.length < 6) {
            return;
        }
        int outLen = u24(input, 0) % 70_001;
        int prefixLen = u24(input, 3) % (outLen + 1);
        byte[] z = Arrays.copyOfRange(input, 6, input.length);
        byte[] lib = new byte[outLen];
        boolean libOk;
        try {
            libOk = LIB.decompress(z, 0, z.length, lib, 0, outLen) == outLen;
        } catch (RuntimeException e) {
            libOk = false;
        }
        byte[] own = new byte[outLen];
        String error = null;
        try {
            Lz4Block.decode(z, 0, z.length, own, 0, outLen, 65535, false);
        } catch (IOException e) {
            error = e.getMessage();
        }
        if (!libOk && error == null) {
            throw new AssertionError("lz4-java rejects the block, erofs4j decodes it to " + outLen + " bytes");
        }
        if (libOk && error != null && !error.contains("match offset 0 ")) {
            throw new AssertionError("lz4-java decodes the block, erofs4j: " + error);
        }
        if (libOk && error == null && !Arrays.equals(lib, own)) {
            throw new AssertionError("different bytes from a block both decode");
        }
        byte[] part = new byte[prefixLen];
        try {
            Lz4Block.decode(z, 0, z.length, part, 0, prefixLen, 65535, true);
            if (error == null && !Arrays.equals(part, 0, prefixLen, own, 0, prefixLen)) {
                throw new AssertionError("a prefix of " + prefixLen + " bytes differs from the whole block's output");
            }
        } catch (IOException e) {
            if (error == null) {
                throw new AssertionError("the block decodes whole, but its prefix of " + prefixLen + " fails: " + e);
            }
        }
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
