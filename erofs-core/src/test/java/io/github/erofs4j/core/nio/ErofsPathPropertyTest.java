package io.github.erofs4j.core.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Syntactic path operations behave like the JDK's own Unix paths. */
class ErofsPathPropertyTest {
    static FileSystem fs;

    @BeforeContainer
    static void open() throws IOException {
        fs = FileSystems.newFileSystem(Fixtures.image("aufs"));
    }

    @AfterContainer
    static void close() throws IOException {
        fs.close();
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> part = Arbitraries.of("a", "b", "cc", ".", "..", "", "é");
        return Arbitraries.integers().between(0, 1).flatMap(abs -> part.list().ofMaxSize(6)
                .map(l -> (abs == 1 ? "/" : "") + String.join("/", l)));
    }

    private static String str(Path p) {
        return Objects.toString(p);
    }

    @Property(tries = 300)
    void sameAsUnixPaths(@ForAll("paths") String a, @ForAll("paths") String b) {
        Path ea = fs.getPath(a);
        Path ua = Path.of(a);
        Path eb = fs.getPath(b);
        Path ub = Path.of(b);
        assertEquals(ua.toString(), ea.toString(), "toString");
        assertEquals(ua.isAbsolute(), ea.isAbsolute());
        assertEquals(str(ua.getRoot()), str(ea.getRoot()), "root");
        assertEquals(str(ua.getFileName()), str(ea.getFileName()), "fileName");
        assertEquals(str(ua.getParent()), str(ea.getParent()), "parent of " + a);
        assertEquals(ua.getNameCount(), ea.getNameCount(), "nameCount of " + a);
        assertEquals(ua.normalize().toString(), ea.normalize().toString(), "normalize " + a);
        assertEquals(ua.resolve(ub).toString(), ea.resolve(eb).toString(), "resolve");
        assertEquals(ua.startsWith(ub), ea.startsWith(eb), "startsWith " + a + " " + b);
        assertEquals(ua.endsWith(ub), ea.endsWith(eb), "endsWith " + a + " " + b);
        if (ua.getNameCount() >= 2 && !a.isEmpty()) {
            assertEquals(ua.subpath(1, ua.getNameCount()).toString(), ea.subpath(1, ea.getNameCount()).toString());
            assertEquals(ua.getName(0).toString(), ea.getName(0).toString());
        }
        assertEquals(toStrings(ua), toStrings(ea), "iterator");
        Path na = ua.normalize();
        Path nb = ub.normalize();
        if (na.isAbsolute() == nb.isAbsolute() && !na.toString().contains("..") && !nb.toString().contains("..")) {
            assertEquals(na.relativize(nb).toString(), ea.normalize().relativize(eb.normalize()).toString(),
                    "relativize " + na + " " + nb);
        }
    }

    private static List<String> toStrings(Path p) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        p.forEach(x -> out.add(x.toString()));
        return out;
    }
}
