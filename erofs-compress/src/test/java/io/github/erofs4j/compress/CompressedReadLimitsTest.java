package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The limits on decompression: {@link ReadOptions#maxExtentBytes()} refuses an extent that decodes to more before
 * allocating it, {@link ReadOptions#maxDecompressedBytes()} stops an image once that much was decoded in all.
 */
class CompressedReadLimitsTest {

    @Test
    void extentBytes() throws IOException {
        String path = null;
        long largest = 0;
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4hc-big"))) {
            for (String line : Manifests.of(img, false)) {
                String p = line.split("\t")[0];
                for (DataExtent e : img.resolve(p).dataExtents()) {
                    if (e.compressed() && e.length() > largest) {
                        largest = e.length();
                        path = p;
                    }
                }
            }
        }
        assertTrue(largest > 4096, "a multi-block extent: " + largest);
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4hc-big"),
                ReadOptions.builder().maxExtentBytes((int) largest).build())) {
            assertEquals(img.resolve(path).size(), img.resolve(path).readAllBytes().length);
        }
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4hc-big"),
                ReadOptions.builder().maxExtentBytes((int) largest - 1).build())) {
            ErofsInode n = img.resolve(path);
            ErofsFormatException e = assertThrows(ErofsFormatException.class, n::readAllBytes);
            assertEquals(ErofsFormatException.Kind.LIMIT, e.kind());
            assertEquals("maxExtentBytes", e.limit().orElseThrow());
        }
    }

    @Test
    void decompressedBytesInAll() throws IOException {
        long total = 0;
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4"), ReadOptions.builder().cacheBytes(0).build())) {
            for (String line : Manifests.of(img, false)) {
                ErofsInode n = img.resolve(line.split("\t")[0]);
                if (n.compressed()) {
                    total += n.size();
                }
            }
        }
        assertTrue(total > 100_000, "compressed bytes in the fixture: " + total);
        ReadOptions limited = ReadOptions.builder().maxDecompressedBytes(total / 2).build();
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4"), limited)) {
            ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> Manifests.of(img, true));
            assertEquals(ErofsFormatException.Kind.LIMIT, e.kind());
            assertEquals("maxDecompressedBytes", e.limit().orElseThrow());
        }
        // Enough for everything: reads as without a limit.
        ReadOptions enough = ReadOptions.builder().maxDecompressedBytes(4 * total + (1 << 20)).build();
        try (ErofsImage img = ErofsImage.open(TestImages.image("lz4"), enough);
             ErofsImage free = ErofsImage.open(TestImages.image("lz4"))) {
            assertEquals(Manifests.of(free, true), Manifests.of(img, true));
        }
    }
}
