package io.github.erofs4j.compress;

import io.github.erofs4j.core.read.ErofsImage;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden image (all 22, compressed or not), read with this module's decompressors, against the kernel's
 * manifest: metadata and the SHA-256 of every file's content.
 */
class FixtureManifestTest {

    static Stream<String> all() throws IOException {
        return TestImages.all().stream();
    }

    static Stream<String> extra() {
        return TestImages.extra().stream();
    }

    /** Layouts the shared fixtures lack: PARTIAL_REF dedupe, compressed directories, byte-granular extents. */
    @ParameterizedTest
    @MethodSource("extra")
    void extraImageMatchesKernelManifest(String name) throws IOException {
        fixtureMatchesKernelManifest(name);
    }

    @ParameterizedTest
    @MethodSource("all")
    void fixtureMatchesKernelManifest(String name) throws IOException {
        try (ErofsImage img = ErofsImage.open(TestImages.image(name), TestImages.readOptions().build())) {
            TestImages.assertLinesEqual(TestImages.manifest(name), TestImages.manifestOf(img), name);
        }
    }
}
