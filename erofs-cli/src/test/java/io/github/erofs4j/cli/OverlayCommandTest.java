package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code erofs overlay}: ls, cat, flatten, diff and oci on small stacks, results read back with the reader. */
class OverlayCommandTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path image(String name, FsTree t) throws Exception {
        Path p = dir.resolve(name);
        ErofsWriter.write(t, p, WriteOptions.defaults());
        return p;
    }

    private Path upper() throws Exception {
        FsTree t = new FsTree();
        t.put("gone", Node.charDevice(0, 0));
        t.put("f", Node.file(b("upper")));
        return image("upper.erofs", t);
    }

    private Path lower() throws Exception {
        FsTree t = new FsTree();
        t.put("gone", Node.file(b("x")));
        t.put("f", Node.file(b("lower")));
        t.mkdirs("d").put("g", Node.file(b("g")));
        return image("lower.erofs", t);
    }

    @Test
    void lsCatAndFlatten() throws Exception {
        Path u = upper();
        Path l = lower();
        Cli.Result ls = Cli.run("overlay", "ls", "-R", u.toString(), l.toString());
        assertEquals(0, ls.status(), ls::toString);
        assertTrue(ls.out().contains(" L1 /d/g"), ls::toString);
        assertTrue(ls.out().contains(" L0 /f"), ls::toString);
        assertTrue(!ls.out().contains("gone"), ls::toString);

        Cli.Result cat = Cli.run("overlay", "cat", "/f", u.toString(), l.toString());
        assertEquals(0, cat.status(), cat::toString);
        assertArrayEquals(b("upper"), cat.outBytes());
        Cli.Result missing = Cli.run("overlay", "cat", "/gone", u.toString(), l.toString());
        assertEquals(Main.EXIT_FAILURE, missing.status(), missing::toString);

        Path flat = dir.resolve("flat.erofs");
        Cli.Result r = Cli.run("overlay", "flatten", flat.toString(), u.toString(), l.toString());
        assertEquals(0, r.status(), r::toString);
        try (ErofsImage img = ErofsImage.open(flat)) {
            assertArrayEquals(b("upper"), img.resolve("/f").readAllBytes());
            assertArrayEquals(b("g"), img.resolve("/d/g").readAllBytes());
            assertTrue(img.root().lookup("gone").isEmpty());
        }
    }

    @Test
    void diffWritesAnUpperLayer() throws Exception {
        Path l = lower();
        FsTree target = new FsTree();
        target.put("f", Node.file(b("lower")).permissions(0600));
        target.mkdirs("d").put("g", Node.file(b("g")));
        Path t = image("target.erofs", target);
        Path out = dir.resolve("upper.erofs");
        Cli.Result r = Cli.run("overlay", "diff", l.toString(), t.toString(), out.toString());
        assertEquals(0, r.status(), r::toString);
        try (ErofsImage img = ErofsImage.open(out)) {
            assertEquals(FileType.CHAR_DEVICE, img.resolve("/gone").type());
            assertEquals(0600, img.resolve("/f").permissions());
            assertTrue(img.root().lookup("d").isEmpty(), "unchanged directory copied");
        }
        Path flat = dir.resolve("check.erofs");
        assertEquals(0, Cli.run("overlay", "flatten", flat.toString(), out.toString(), l.toString()).status());
        try (ErofsImage img = ErofsImage.open(flat)) {
            assertTrue(img.root().lookup("gone").isEmpty());
            assertEquals(0600, img.resolve("/f").permissions());
        }
    }

    @Test
    void ociMergesTarballs() throws Exception {
        Path base = dir.resolve("base.tar");
        Path top = dir.resolve("top.tar");
        tar(base, "a", "keep", "b", "removed");
        tar(top, ".wh.b", "", "c", "new");
        Path out = dir.resolve("oci.erofs");
        Cli.Result r = Cli.run("overlay", "oci", "--base-first", out.toString(), base.toString(), top.toString());
        assertEquals(0, r.status(), r::toString);
        try (ErofsImage img = ErofsImage.open(out)) {
            assertArrayEquals(b("keep"), img.resolve("/a").readAllBytes());
            assertArrayEquals(b("new"), img.resolve("/c").readAllBytes());
            assertTrue(img.root().lookup("b").isEmpty());
        }
    }

    @Test
    void composefsNamesContentInTheStore() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        byte[] big = new byte[5000];
        java.util.Arrays.fill(big, (byte) 7);
        Files.write(src.resolve("big"), big);
        Files.write(src.resolve("copy"), big);
        Files.write(src.resolve("small"), b("tiny"));
        Path out = dir.resolve("cfs.erofs");
        Path store = dir.resolve("store");
        Cli.Result r = Cli.run("overlay", "composefs", "--store", store.toString(), src.toString(),
                out.toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("2 files name 1 objects (5000 bytes), 1 written"), r.out());
        try (ErofsImage img = ErofsImage.open(out)) {
            String redirect = new String(img.resolve("/big").xattr("trusted.overlay.redirect").orElseThrow(),
                    StandardCharsets.US_ASCII);
            assertArrayEquals(big, Files.readAllBytes(store.resolve(redirect.substring(1))));
            assertEquals(36, img.resolve("/copy").xattr("trusted.overlay.metacopy").orElseThrow().length);
            assertArrayEquals(b("tiny"), img.resolve("/small").readAllBytes());
            assertTrue(img.resolve("/small").xattr("trusted.overlay.metacopy").isEmpty());
            // The content is in the store only: the image holds no run of its bytes.
            byte[] run = new byte[64];
            java.util.Arrays.fill(run, (byte) 7);
            String image = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
            assertEquals(-1, image.indexOf(new String(run, StandardCharsets.ISO_8859_1)));
        }
    }

    private static void tar(Path p, String... nameContent) throws Exception {
        try (OutputStream os = Files.newOutputStream(p); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
            for (int i = 0; i < nameContent.length; i += 2) {
                byte[] data = b(nameContent[i + 1]);
                TarArchiveEntry e = new TarArchiveEntry(nameContent[i]);
                e.setSize(data.length);
                out.putArchiveEntry(e);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
    }
}
