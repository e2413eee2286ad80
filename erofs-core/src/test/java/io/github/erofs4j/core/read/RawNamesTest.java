package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.extract.CheckReport;
import io.github.erofs4j.core.extract.ImageChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are not valid UTF-8, and symbolic links, in an image made by mkfs.erofs from a tree Python made (Java
 * paths cannot hold such names): the reader resolves them by bytes or in their {@code \xNN} text form, and the
 * NIO provider lists and opens them.
 */
class RawNamesTest {
    @TempDir
    static Path tmp;
    static Path image;

    private static final String TREE = String.join("\n",
            "import os, sys",
            "r = os.fsencode(sys.argv[1])",
            "os.makedirs(r + b'/dir\\xff')",
            "open(r + b'/dir\\xff/file\\xfe.txt', 'wb').write(b'raw content')",
            "open(r + b'/back\\\\x41slash', 'wb').write(b'backslash')",
            "os.symlink(b'dir\\xff', r + b'/link-to-dir')",
            "os.symlink(b'/dir\\xff/file\\xfe.txt', r + b'/abs\\xfa')",
            "os.symlink(b'../link-to-dir/file\\xfe.txt', r + b'/dir\\xff/up')",
            "os.symlink(b'loop-b', r + b'/loop-a')",
            "os.symlink(b'loop-a', r + b'/loop-b')",
            "");

    @BeforeAll
    static void makeImage() throws Exception {
        assumeTrue(run("command -v python3 && command -v mkfs.erofs"), "needs python3 and mkfs.erofs");
        Files.writeString(tmp.resolve("tree.py"), TREE);
        assertTrue(run("python3 tree.py src && mkfs.erofs --quiet raw.erofs src"));
        image = tmp.resolve("raw.erofs");
    }

    private static boolean run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void resolvesByBytesAndByEscapedText() throws IOException {
        try (ErofsImage img = ErofsImage.open(image)) {
            byte[] path = "/dir\u00ff/file\u00fe.txt".getBytes(StandardCharsets.ISO_8859_1);
            ErofsInode byBytes = img.resolve(path, false);
            assertArrayEquals("raw content".getBytes(StandardCharsets.US_ASCII), byBytes.readAllBytes());
            assertEquals(byBytes.nid(), img.resolve("/dir\\xff/file\\xfe.txt", false).nid());
            // A literal backslash in a name: its text form escapes it, and that form resolves.
            byte[] back = "back\\x41slash".getBytes(StandardCharsets.US_ASCII);
            assertEquals("back\\x5cx41slash", PathNames.toText(back));
            assertEquals(img.resolve(new byte[] {'/', 'b', 'a', 'c', 'k', '\\', 'x', '4', '1', 's', 'l', 'a', 's',
                'h'}, false).nid(), img.resolve("/back\\x5cx41slash", false).nid());
        }
    }

    @Test
    void followsLinksAsTheKernelDoes() throws IOException {
        try (ErofsImage img = ErofsImage.open(image)) {
            long file = img.resolve("/dir\\xff/file\\xfe.txt", false).nid();
            assertEquals(FileType.SYMLINK, img.resolve("/abs\\xfa", false).type());
            assertEquals(file, img.resolve("/abs\\xfa", true).nid());
            assertEquals(file, img.resolve("/link-to-dir/file\\xfe.txt", false).nid()); // inner links always
            assertEquals(file, img.resolve("/dir\\xff/up", true).nid());
            assertEquals(file, img.resolve("/link-to-dir/../dir\\xff/./file\\xfe.txt", false).nid());
            assertEquals("/dir\\xff/file\\xfe.txt", PathNames.toText(img.realPath(
                    PathNames.fromText("link-to-dir/up"), true)));
            assertEquals(FileType.SYMLINK, img.resolve("/loop-a", false).type());
            SymlinkLoopException loop = assertThrows(SymlinkLoopException.class, () -> img.resolve("/loop-a", true));
            assertEquals("/loop-a", loop.getFile());
            assertThrows(NoSuchFileException.class, () -> img.resolve("/dir\\xfe", true));
            assertThrows(NotDirectoryException.class, () -> img.resolve("/abs\\xfa/x", true));
        }
    }

    @Test
    void nioListsAndOpensSuchNames() throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(image)) {
            List<String> names;
            try (Stream<Path> s = Files.list(fs.getPath("/dir\\xff"))) {
                names = s.map(Path::toString).sorted().toList();
            }
            assertEquals(List.of("/dir\\xff/file\\xfe.txt", "/dir\\xff/up"), names);
            Path listed = fs.getPath(names.get(0));
            assertArrayEquals("raw content".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(listed));
            assertEquals("/dir\\xff/file\\xfe.txt", Files.readSymbolicLink(fs.getPath("/abs\\xfa")).toString());
            assertEquals("/dir\\xff/file\\xfe.txt", fs.getPath("/link-to-dir/up").toRealPath().toString());
            assertThrows(java.nio.file.FileSystemException.class,
                    () -> Files.readAllBytes(fs.getPath("/loop-b")));
        }
    }

    @Test
    void checkerAcceptsTheImage() throws IOException {
        try (ErofsImage img = ErofsImage.open(image)) {
            CheckReport r = ImageChecker.check(img, 2);
            assertTrue(r.isClean(), r.problems().toString());
        }
    }

    @Test
    void textFormRoundTripsAnyBytes() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int j = 0; j < b.length; j++) {
                // Mostly bytes that make escapes and UTF-8 sequences likely.
                b[j] = (byte) switch (random.nextInt(6)) {
                    case 0 -> '\\';
                    case 1 -> 'x';
                    case 2 -> "0aF9".charAt(random.nextInt(4));
                    case 3 -> 0xc0 + random.nextInt(0x40);
                    case 4 -> 0x80 + random.nextInt(0x40);
                    default -> random.nextInt(256);
                };
            }
            String text = PathNames.toText(b);
            assertArrayEquals(b, PathNames.fromText(text), text);
            assertEquals(PathNames.isUtf8(b) && text.indexOf('\\') < 0, text.equals(new String(b,
                    StandardCharsets.UTF_8)) && text.indexOf('\\') < 0, text);
        }
        assertEquals("plain/\u00e9", PathNames.toText("plain/\u00e9".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a\\xffb", PathNames.toText(new byte[] {'a', (byte) 0xff, 'b'}));
    }
}
