package io.github.erofs4j.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of docs/user-guide.md that checks and extracts an image: taken from the guide as it stands,
 * compiled against the library and run on a fixture, so the guide cannot drift from the API.
 */
class UserGuideExampleTest {
    private static final String MARKER = "compiled and run by UserGuideExampleTest";

    @TempDir
    Path tmp;

    /** The guide, found from the module directory upwards. */
    static Path guide() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path g = d.resolve("docs/user-guide.md");
            if (Files.isRegularFile(g)) {
                return g;
            }
        }
        throw new IllegalStateException("docs/user-guide.md not found above " + Path.of("").toAbsolutePath());
    }

    /** The java block that follows the marker comment. */
    static String example() throws IOException {
        String text = Files.readString(guide(), StandardCharsets.UTF_8);
        int m = text.indexOf(MARKER);
        assertTrue(m >= 0, "the guide has no example marked '" + MARKER + "'");
        int start = text.indexOf("```java\n", m);
        int end = text.indexOf("\n```", start + 8);
        assertTrue(start > m && end > start, "no java block after the marker");
        return text.substring(start + 8, end + 1);
    }

    @Test
    void guideExampleCompilesAndExtracts() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src.resolve("CheckAndExtract.java"), example(), StandardCharsets.UTF_8);
        // java.util.spi.ToolProvider is in java.base: the test module need not read java.compiler.
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("no javac"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter w = new PrintWriter(diagnostics);
        int status = javac.run(w, w, "-d", classes.toString(), "-cp", cp, "-Xlint:all", "-Werror",
                src.resolve("CheckAndExtract.java").toString());
        w.flush();
        assertEquals(0, status, diagnostics.toString());

        Path target = tmp.resolve("out");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("CheckAndExtract").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {Fixtures.image("plain").toString(), target.toString()});
        }
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            assertSameTree(img, img.root(), target);
        }
    }

    /** Every regular file, symlink and directory of the image is in the target with the same content. */
    static void assertSameTree(ErofsImage img, ErofsInode dir, Path target) throws IOException {
        List<io.github.erofs4j.core.read.DirEntry> children = dir.children();
        try (var s = Files.list(target)) {
            assertEquals(children.size(), s.count(), target.toString());
        }
        for (var e : children) {
            ErofsInode in = img.inode(e.nid());
            Path p = target.resolve(e.name());
            switch (in.type()) {
                case DIRECTORY -> {
                    assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), p.toString());
                    assertSameTree(img, in, p);
                }
                case REGULAR -> assertArrayEquals(in.readAllBytes(), Files.readAllBytes(p), p.toString());
                case SYMLINK -> assertEquals(new String(in.readSymlink(), StandardCharsets.UTF_8),
                        Files.readSymbolicLink(p).toString(), p.toString());
                default -> assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p.toString());
            }
        }
    }
}
