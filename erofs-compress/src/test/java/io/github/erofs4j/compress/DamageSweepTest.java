package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The damage sweep over the compressed fixtures: truncations at 512-byte steps and bit flips (fixed seeds). Every
 * case ends in the right data or an {@link ErofsFormatException}: never another exception, a hang or an
 * OutOfMemoryError (this module's tests run with -Xmx256m). A truncated image that still reads completely must
 * read exactly as the intact one; a bit flip may change file bytes the format does not protect, so only the
 * outcome type is checked there.
 */
class DamageSweepTest {

    private static final int FLIPS = Integer.getInteger("erofs4j.damage.flips", 250);
    private static final int TRUNCATION_STEP = 512;

    static Stream<String> compressed() throws IOException {
        return TestImages.compressed().stream();
    }

    /** Reads everything; returns the manifest, or null if the image was reported as damaged. */
    private static List<String> readAll(byte[] data, int length, String what) {
        ReadOptions opts = TestImages.readOptions().cacheBytes(1 << 20).build();
        try (ByteArrayChannel ch = new ByteArrayChannel(data, length); ErofsImage img = ErofsImage.open(ch, opts)) {
            return TestImages.manifestOf(img);
        } catch (ErofsFormatException | Manifests.CycleException expected) {
            return null;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
    }

    @ParameterizedTest
    @MethodSource("compressed")
    void truncations(String name) throws IOException {
        byte[] img = Files.readAllBytes(TestImages.image(name));
        List<String> expected = TestImages.manifest(name);
        assertEquals(expected, readAll(img, img.length, name + " intact"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int len = 0; len < img.length; len += TRUNCATION_STEP) {
            List<String> got = readAll(img, len, name + " truncated to " + len);
            if (got != null) {
                assertEquals(expected, got, name + " truncated to " + len + " reads without error but differs");
            }
            if (System.nanoTime() > deadline) {
                fail(name + ": truncation sweep too slow (a hang?) at " + len);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("compressed")
    void bitFlips(String name) throws IOException {
        byte[] orig = Files.readAllBytes(TestImages.image(name));
        Random r = new Random(name.hashCode() * 31L + 7);
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < FLIPS; i++) {
            byte[] img = orig.clone();
            int flips = 1 + r.nextInt(3);
            StringBuilder what = new StringBuilder(name).append(" flips");
            for (int f = 0; f < flips; f++) {
                // A third anywhere, a third in the first 8 KiB (superblock, early inodes), a third in the last
                // 64 KiB (where mkfs 1.9 puts most inodes, indexes and inline tails).
                int zone = r.nextInt(3);
                int pos = zone == 0 ? r.nextInt(img.length) : zone == 1 ? r.nextInt(Math.min(img.length, 8192))
                        : img.length - 1 - r.nextInt(Math.min(img.length, 65536));
                int bit = r.nextInt(8);
                img[pos] ^= (byte) (1 << bit);
                what.append(' ').append(pos).append('.').append(bit);
            }
            readAll(img, img.length, what.toString());
            if (System.nanoTime() > deadline) {
                fail(name + ": bit-flip sweep too slow (a hang?) at case " + i);
            }
        }
    }
}
