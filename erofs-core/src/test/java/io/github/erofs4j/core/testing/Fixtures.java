package io.github.erofs4j.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the golden images of {@code ../shared/fixtures}. */
public final class Fixtures {
    /** The fixtures that hold no compressed inode. */
    public static final List<String> UNCOMPRESSED = List.of("plain", "compact", "noinline", "extended", "b1024",
            "chunk-map", "chunk-index", "xattr-prefix", "tar", "aufs");

    private Fixtures() {}

    /** The fixtures directory: the {@code erofs4j.fixtures} property if it exists, else /work/shared/fixtures. */
    public static Path dir() {
        String prop = System.getProperty("erofs4j.fixtures");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        return Path.of("/work/shared/fixtures");
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
