package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.testing.Fixtures;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our reader's view of every golden image against the kernel's manifest of it. */
class FixtureManifestTest {

    static Stream<String> uncompressed() {
        return Fixtures.UNCOMPRESSED.stream();
    }

    static Stream<String> all() throws IOException {
        return Fixtures.all().stream();
    }

    @ParameterizedTest
    @MethodSource("uncompressed")
    void uncompressedFixtureMatchesKernelManifest(String name) throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image(name))) {
            List<String> ours = Manifests.of(img, true);
            assertLinesEqual(Fixtures.manifest(name), ours, name);
        }
    }

    /**
     * Every fixture: identical to the manifest; where compressed data cannot be read (no compressed reader or no
     * decompressor on this module's class path), everything but the content of compressed files must match.
     */
    @ParameterizedTest
    @MethodSource("all")
    void metadataOfEveryFixtureMatches(String name) throws IOException {
        ErofsImage opened;
        try {
            opened = ErofsImage.open(Fixtures.image(name));
        } catch (io.github.erofs4j.core.ErofsFormatException e) {
            // A compressed metabox holds every inode: without a decompressor not even the root can be read.
            assertEquals(io.github.erofs4j.core.ErofsFormatException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
            assertFalse(Fixtures.UNCOMPRESSED.contains(name));
            return;
        }
        try (ErofsImage img = opened) {
            boolean dirsCompressed = false;
            List<String> ours;
            try {
                try {
                    // Full comparison whenever every file can be read (always, once compressed data is supported).
                    ours = Manifests.of(img, true);
                } catch (io.github.erofs4j.core.ErofsFormatException e) {
                    assertEquals(io.github.erofs4j.core.ErofsFormatException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
                    ours = Manifests.of(img, false);
                }
            } catch (io.github.erofs4j.core.ErofsFormatException e) {
                // Compressed directories (zdirs) cannot be listed without the compressed reader.
                assertEquals(io.github.erofs4j.core.ErofsFormatException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
                dirsCompressed = true;
                ours = List.of();
            }
            if (dirsCompressed) {
                assertFalse(Fixtures.UNCOMPRESSED.contains(name));
                return;
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < Fixtures.manifest(name).size(); i++) {
                String exp = Fixtures.manifest(name).get(i);
                String[] o = i < ours.size() ? ours.get(i).split("\t", -1) : null;
                if (o != null && o[9].equals("?")) {
                    String[] e = exp.split("\t", -1);
                    e[9] = "?";
                    exp = String.join("\t", e);
                }
                expected.add(exp);
            }
            assertLinesEqual(expected, ours, name);
        }
    }

    static void assertLinesEqual(List<String> expected, List<String> actual, String name) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), name + " line " + (i + 1));
        }
        assertEquals(expected.size(), actual.size(), name + ": number of entries");
    }
}
