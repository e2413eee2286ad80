package io.github.erofs4j.core.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The initramfs reader against archives made by GNU cpio and the usual compressors. */
class CpioSourceTest {

    @TempDir
    Path tmp;

    /**
     * An early plain archive, then the main one compressed, then zero padding: every compressor the kernel knows
     * (lz4 in its legacy format, the one the kernel reads).
     */
    @ParameterizedTest
    @ValueSource(strings = {"cat", "gzip -c", "xz -c --check=crc32", "xz -c --format=lzma", "zstd -q -c",
        "lz4 -q -l -c", "bzip2 -c"})
    void concatenatedAndCompressed(String compressor) throws Exception {
        Path early = tmp.resolve("early");
        Files.createDirectories(early.resolve("kernel/x86/microcode"));
        Files.write(early.resolve("kernel/x86/microcode/GenuineIntel.bin"), new byte[] {1, 2, 3});
        Path main = tmp.resolve("main");
        Files.createDirectories(main.resolve("bin"));
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        Files.write(main.resolve("bin/tool"), big);
        Files.writeString(main.resolve("init"), "#!/bin/sh\n");
        Files.createLink(main.resolve("bin/tool2"), main.resolve("bin/tool"));
        Files.createSymbolicLink(main.resolve("bin/sh"), Path.of("tool"));
        sh("find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../a.cpio", early);
        sh("find . | LC_ALL=C sort | cpio -o -H newc --quiet | " + compressor + " > ../b", main);
        sh("cat a.cpio b > initrd && head -c 512 /dev/zero >> initrd", tmp);
        try (SourceTree st = Sources.load(tmp.resolve("initrd"), null, SourceOptions.defaults())) {
            FsTree t = st.tree();
            assertEquals(SourceKind.CPIO, st.kind());
            assertArrayEquals(new byte[] {1, 2, 3}, read(t.get("kernel/x86/microcode/GenuineIntel.bin")));
            assertArrayEquals(big, read(t.get("bin/tool")));
            assertSame(t.get("bin/tool"), t.get("bin/tool2"), "hard link");
            assertEquals("tool", new String(t.get("bin/sh").symlinkTarget(), StandardCharsets.UTF_8));
            assertEquals("#!/bin/sh\n", new String(read(t.get("init")), StandardCharsets.UTF_8));
        }
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws Exception {
        Path a = tmp.resolve("a");
        Files.createDirectories(a.resolve("etc"));
        Files.writeString(a.resolve("etc/conf"), "old");
        Files.writeString(a.resolve("etc/keep"), "kept");
        Path b = tmp.resolve("b");
        Files.createDirectories(b.resolve("etc"));
        Files.writeString(b.resolve("etc/conf"), "new");
        sh("find . | cpio -o -H newc --quiet > ../a.cpio", a);
        sh("find . | cpio -o -H newc --quiet | gzip -c > ../b.cpio.gz", b);
        sh("cat a.cpio b.cpio.gz > initrd", tmp);
        try (SourceTree st = Sources.load(tmp.resolve("initrd"), null, SourceOptions.defaults())) {
            assertEquals("new", new String(read(st.tree().get("etc/conf")), StandardCharsets.UTF_8));
            assertEquals("kept", new String(read(st.tree().get("etc/keep")), StandardCharsets.UTF_8));
        }
    }

    @Test
    void truncatedMemberIsNamed() throws Exception {
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        Files.write(a.resolve("payload.bin"), new byte[50_000]);
        sh("find . | cpio -o -H newc --quiet > ../full.cpio && head -c 20000 ../full.cpio > ../cut.cpio", a);
        IOException e = assertThrows(IOException.class,
                () -> Sources.load(tmp.resolve("cut.cpio"), null, SourceOptions.defaults()).close());
        assertTrue(e.getMessage().contains("payload.bin"), e.getMessage());
    }

    @Test
    void compressedTarIsDetected() throws Exception {
        Path a = tmp.resolve("a");
        Files.createDirectories(a.resolve("d"));
        Files.writeString(a.resolve("d/f"), "x");
        sh("tar -cf - . | xz -c > ../t.tar.xz", a);
        try (SourceTree st = Sources.load(tmp.resolve("t.tar.xz"), null, SourceOptions.defaults())) {
            assertEquals(SourceKind.TAR, st.kind());
            assertEquals(Compression.XZ, st.compression());
            assertEquals(FileType.REGULAR, st.tree().get("d/f").type());
        }
        try (InputStream in = Files.newInputStream(tmp.resolve("t.tar.xz"));
                SourceTree st = Sources.load(in, null, SourceOptions.defaults())) {
            assertEquals("x", new String(read(st.tree().get("d/f")), StandardCharsets.UTF_8));
        }
    }

    /** GNU sparse members (old GNU and PAX 1.0), and the raw xattrs of the member after them. */
    @ParameterizedTest
    @ValueSource(strings = {"--format=gnu", "--format=posix --xattrs --xattrs-include=*"})
    void sparseTarMembers(String format) throws Exception {
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        sh("truncate -s 3000000 a-sparse && printf data | dd of=a-sparse bs=1 seek=1500000 conv=notrunc status=none"
                + " && printf tail | dd of=a-sparse bs=1 seek=2999996 conv=notrunc status=none && printf b > b", a);
        boolean xattrs = format.contains("xattrs");
        if (xattrs) {
            sh("setfattr -n user.bin -v 0xff00fe b", a);
        }
        sh("tar " + format + " -S --sort=name -cf ../s.tar .", a);
        try (SourceTree st = Sources.load(tmp.resolve("s.tar"), null, SourceOptions.defaults())) {
            byte[] want = Files.readAllBytes(a.resolve("a-sparse"));
            assertArrayEquals(want, read(st.tree().get("a-sparse")));
            assertEquals("b", new String(read(st.tree().get("b")), StandardCharsets.UTF_8));
            if (xattrs) {
                assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0xfe}, st.tree().get("b").xattrs().get("user.bin"));
            }
        }
    }

    /** libarchive's xattr records: URL-encoded names, base64 values. */
    @Test
    void libarchiveXattrs() throws Exception {
        String py = "import tarfile, io, base64\n"
                + "t = tarfile.open('la.tar', 'w', format=tarfile.PAX_FORMAT)\n"
                + "i = tarfile.TarInfo('f'); i.size = 1\n"
                + "i.pax_headers = {'LIBARCHIVE.xattr.user.a%3Db': base64.b64encode(b'\\x00\\xff\\x01').decode(),"
                + " 'LIBARCHIVE.xattr.trusted.empty': ''}\n"
                + "t.addfile(i, io.BytesIO(b'x')); t.close()\n";
        Files.writeString(tmp.resolve("mk.py"), py);
        sh("python3 mk.py", tmp);
        try (SourceTree st = Sources.load(tmp.resolve("la.tar"), null, SourceOptions.defaults())) {
            Node f = st.tree().get("f");
            assertArrayEquals(new byte[] {0, (byte) 0xff, 1}, f.xattrs().get("user.a=b"));
        }
    }

    static byte[] read(Node n) throws IOException {
        FileContent c = n.content();
        ByteBuffer b = ByteBuffer.allocate((int) c.size());
        try (ReadableByteChannel ch = c.open(0)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
        }
        return b.array();
    }

    static void sh(String script, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(script + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
