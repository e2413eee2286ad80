package io.github.erofs4j.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the test data of the repository ({@code testdata/} at its root): the golden images and manifests of
 * {@code testdata/fixtures} and the tools of {@code testdata/tools}. The build passes the folder to the tests as
 * the system property {@code erofs4j.testdata}.
 */
public final class Fixtures {
    /** The fixtures that hold no compressed inode. */
    public static final List<String> UNCOMPRESSED = List.of("plain", "compact", "noinline", "extended", "b1024",
            "chunk-map", "chunk-index", "xattr-prefix", "tar", "aufs", "metabox",
            "metabox-chunk");

    private Fixtures() {}

    /** The repository's {@code testdata} folder, from the {@code erofs4j.testdata} property the build sets. */
    public static Path testdata() {
        String prop = System.getProperty("erofs4j.testdata");
        if (prop == null || !Files.isDirectory(Path.of(prop))) {
            throw new IllegalStateException("system property erofs4j.testdata must name the repository's testdata "
                    + "folder (the Maven build sets it), not " + prop);
        }
        return Path.of(prop);
    }

    /** The fixtures directory, {@code testdata/fixtures}. */
    public static Path dir() {
        return testdata().resolve("fixtures");
    }

    /** A tool of {@code testdata/tools}, such as {@code manifest.py}. */
    public static Path tool(String name) {
        return testdata().resolve("tools").resolve(name);
    }

    /** The image of a fixture. */
    public static Path image(String name) {
        return dir().resolve(name + ".erofs");
    }

    /** The manifest lines of a fixture. */
    public static List<String> manifest(String name) throws IOException {
        return Files.readAllLines(dir().resolve(name + ".manifest"));
    }

    /** Names of every fixture that has an image and a manifest, sorted. */
    public static List<String> all() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".erofs"))
                    .map(n -> n.substring(0, n.length() - ".erofs".length()))
                    .filter(n -> Files.exists(dir().resolve(n + ".manifest"))).sorted().toList();
        }
    }
}
