package io.github.erofs4j.compress;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.spi.Lz4Decoder;
import io.github.erofs4j.core.testing.Fixtures;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixture lookup (erofs-core's shared {@link Fixtures} plus this module's extra images), and the manifest lines of
 * {@code testdata/tools/manifest.py} through erofs-core's shared test helper {@link Manifests}.
 */
final class TestImages {
    private TestImages() {}

    /**
     * Options for the reading tests: the defaults, with the LZ4 decoder the {@code erofs4j.test.lz4Decoder} property
     * names when it is set (a {@link Lz4Decoder} constant; the build runs the reading tests a second time with
     * {@code LZ4_JAVA}).
     */
    static ReadOptions.Builder readOptions() {
        ReadOptions.Builder b = ReadOptions.builder();
        String name = System.getProperty("erofs4j.test.lz4Decoder");
        if (name != null) {
            b.lz4Decoder(Lz4Decoder.valueOf(name));
        }
        return b;
    }

    /** The fixtures directory, {@code testdata/fixtures} of the repository. */
    static Path fixtures() {
        return Fixtures.dir();
    }

    /** Extra images of this module (src/test/resources/images, made by make-images.sh there). */
    static final List<String> EXTRA = List.of("dedupe", "lzma-dedupe-frag", "zdirs", "zstd48", "multi-cfg");

    private static Path dirOf(String name) {
        if (name.startsWith("extra:")) {
            try {
                return Path.of(TestImages.class.getResource("/images/tree.py").toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return fixtures();
    }

    private static String base(String name) {
        return name.startsWith("extra:") ? name.substring(6) : name;
    }

    /** The image of a fixture, or of an extra image when the name starts with {@code extra:}. */
    static Path image(String name) {
        return dirOf(name).resolve(base(name) + ".erofs");
    }

    static List<String> manifest(String name) throws IOException {
        return Files.readAllLines(dirOf(name).resolve(base(name) + ".manifest"));
    }

    /** The extra images, as names for {@link #image}. */
    static List<String> extra() {
        return EXTRA.stream().map(n -> "extra:" + n).toList();
    }

    /** Every fixture with an image and a manifest, sorted. */
    static List<String> all() throws IOException {
        return Fixtures.all();
    }

    /** The fixtures that hold compressed data (their OPTIONS.tsv line has {@code -z}), then the extra images. */
    static List<String> compressed() throws IOException {
        List<String> out = new ArrayList<>();
        out.addAll(extra());
        for (String line : Files.readAllLines(fixtures().resolve("OPTIONS.tsv"))) {
            String[] f = line.split("\t");
            if (f.length >= 3 && f[2].contains("-z")) {
                out.add(f[0]);
            }
        }
        return out;
    }

    /** The manifest of an image, in manifest.py's format and order (compressed data hashed too). */
    static List<String> manifestOf(ErofsImage image) throws IOException {
        return Manifests.of(image, true);
    }

    static void assertLinesEqual(List<String> expected, List<String> actual, String name) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected.get(i), actual.get(i), name + " line " + (i + 1));
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected.size(), actual.size(), name + ": number of entries");
    }
}
