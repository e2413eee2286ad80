package io.github.erofs4j.core.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile tarballs and cpio archives: each ends in a clear {@link IOException} or in what mkfs.erofs (for tar) or
 * the kernel's initramfs unpacker (for cpio) does, never in another exception; a failed load leaves nothing in the
 * spool directory; zeros (sparse members, compression bombs) take no disk.
 */
class HostileArchiveTest {
    @TempDir
    Path spool;

    private SourceTree load(byte[] archive) throws IOException {
        return Sources.load(new ByteArrayInputStream(archive), null,
                SourceOptions.builder().spoolDirectory(spool).workers(1).build());
    }

    private IOException refused(byte[] archive, String messagePart) throws IOException {
        IOException e = assertThrows(IOException.class, () -> load(archive).close());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertSpoolEmpty();
        return e;
    }

    private void assertSpoolEmpty() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            assertEquals(0, s.count(), "a failed load leaves no spool file");
        }
    }

    // ---- a minimal ustar writer, so that every field can be made wrong ----

    static byte[] header(String name, char type, String size, String link) {
        byte[] h = new byte[512];
        put(h, 0, name.getBytes(StandardCharsets.UTF_8), 100);
        put(h, 100, "0000644".getBytes(StandardCharsets.US_ASCII), 8);
        put(h, 108, "0000000".getBytes(StandardCharsets.US_ASCII), 8);
        put(h, 116, "0000000".getBytes(StandardCharsets.US_ASCII), 8);
        put(h, 124, size.getBytes(StandardCharsets.US_ASCII), 12);
        put(h, 136, "14755555555".getBytes(StandardCharsets.US_ASCII), 12);
        h[156] = (byte) type;
        put(h, 157, link.getBytes(StandardCharsets.UTF_8), 100);
        put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII), 6);
        put(h, 263, "00".getBytes(StandardCharsets.US_ASCII), 2);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 8);
        return h;
    }

    private static void put(byte[] h, int at, byte[] v, int max) {
        System.arraycopy(v, 0, h, at, Math.min(v.length, max));
    }

    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar file(String name, byte[] data) {
            return file(name, data, '0');
        }

        Tar entry(String name, char type, String link) {
            out.writeBytes(header(name, type, "00000000000", link));
            return this;
        }

        Tar pax(String... records) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String r : records) {
                body.writeBytes(r.getBytes(StandardCharsets.UTF_8));
            }
            return file("PaxHeaders/x", body.toByteArray(), 'x');
        }

        private Tar file(String name, byte[] data, char type) {
            out.writeBytes(header(name, type, String.format("%011o", data.length), ""));
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        Tar raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] end() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }
    }

    /** A pax record with its own length in front, as the format wants it. */
    static String record(String kv) {
        int len = kv.length() + 3;
        String r = len + " " + kv + "\n";
        while (r.getBytes(StandardCharsets.UTF_8).length != len) {
            len = kv.getBytes(StandardCharsets.UTF_8).length + 2 + String.valueOf(len).length();
            r = len + " " + kv + "\n";
        }
        return r;
    }

    private static byte[] read(FileContent c) throws IOException {
        try (InputStream in = java.nio.channels.Channels.newInputStream(c.open(0))) {
            return in.readAllBytes();
        }
    }

    // ---- names ----

    @Test
    void dotDotIsRefused() throws IOException {
        refused(new Tar().file("a/../../etc/passwd", new byte[] {1}).end(), "\"..\"");
    }

    @Test
    void absoluteNamesStayInside() throws IOException {
        try (SourceTree t = load(new Tar().file("/etc/x", new byte[] {1}).file("./etc/y", new byte[] {2}).end())) {
            assertArrayEquals(new byte[] {1}, read(t.tree().get("etc/x").content()));
            assertArrayEquals(new byte[] {2}, read(t.tree().get("etc/y").content()));
        }
    }

    @Test
    void nulInAPaxNameIsRefused() throws IOException {
        refused(new Tar().pax(record("path=a\0b")).file("ignored", new byte[] {1}).end(), "NUL");
    }

    @Test
    void componentOver255BytesIsRefused() throws IOException {
        refused(new Tar().pax(record("path=d/" + "n".repeat(256))).file("ignored", new byte[] {1}).end(),
                "over 255 bytes");
        // 255 bytes is the kernel's limit, and fine.
        try (SourceTree t = load(new Tar().pax(record("path=d/" + "n".repeat(255))).file("x", new byte[] {1})
                .end())) {
            assertEquals(FileType.REGULAR, t.tree().get("d/" + "n".repeat(255)).type());
        }
    }

    // ---- links ----

    @Test
    void noFileIsWrittenThroughASymlink() throws IOException {
        refused(new Tar().entry("l", '2', "/etc").file("l/passwd", new byte[] {1}).end(), "not a directory");
    }

    @Test
    void hardLinksReachOnlyEarlierMembers() throws IOException {
        refused(new Tar().entry("h", '1', "../../etc/passwd").end(), "not an earlier member");
        refused(new Tar().entry("h", '1', "/etc/passwd").end(), "not an earlier member");
        refused(new Tar().entry("h", '1', "later").file("later", new byte[] {1}).end(), "not an earlier member");
        try (SourceTree t = load(new Tar().file("f", new byte[] {7}).entry("h", '1', "f").end())) {
            Node f = t.tree().get("f");
            assertTrue(f == t.tree().get("h"), "one node under two names");
        }
    }

    @Test
    void laterDuplicatesReplaceEarlierOnes() throws IOException {
        try (SourceTree t = load(new Tar().file("f", new byte[] {1}).file("f", new byte[] {2, 2}).end())) {
            assertArrayEquals(new byte[] {2, 2}, read(t.tree().get("f").content()));
        }
    }

    // ---- lengths that do not fit ----

    @Test
    void sizeBeyondTheArchiveIsRefused() throws IOException {
        byte[] h = header("big", '0', "77777777777", "");
        refused(new Tar().raw(h).raw(new byte[512]).end(), "runcated");
    }

    @Test
    void paxLengthBeyondTheHeaderIsRefused() throws IOException {
        refused(new Tar().pax("99999999 path=x\n").file("x", new byte[] {1}).end(), "tar header");
        refused(new Tar().pax("-5 path=x\n").file("x", new byte[] {1}).end(), "tar header");
    }

    @Test
    void idsBeyond32BitsAreRefused() throws IOException {
        refused(new Tar().pax(record("uid=4294967296")).file("x", new byte[] {1}).end(), "does not fit in 32 bits");
        refused(new Tar().pax(record("gid=-2")).file("x", new byte[] {1}).end(), "does not fit in 32 bits");
        try (SourceTree t = load(new Tar().pax(record("uid=4294967295")).file("x", new byte[] {1}).end())) {
            assertEquals(4294967295L, t.tree().get("x").uid());
        }
    }

    @Test
    void everyTruncationOfATarIsAnErrorOrAPrefixOfTheTree() throws IOException {
        byte[] whole = new Tar().pax(record("SCHILY.xattr.user.k=v")).file("d/f", "hello".getBytes())
                .entry("d/l", '2', "f").end();
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            try (SourceTree t = load(part)) {
                Node f = t.tree().get("d/f");
                assertTrue(f == null || "hello".equals(new String(read(f.content()), StandardCharsets.UTF_8)),
                        "cut at " + cut);
            } catch (IOException expected) {
                assertSpoolEmpty();
            }
        }
    }

    @Test
    void everyTruncationOfACpioIsAnError() throws IOException {
        byte[] whole = cpio("d/f", 0100644, "hello".getBytes());
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThrows(IOException.class, () -> load(part).close(), "cut at " + cut);
            assertSpoolEmpty();
        }
        try (SourceTree t = load(whole)) {
            assertEquals("hello", new String(read(t.tree().get("d/f").content()), StandardCharsets.UTF_8));
        }
    }

    /** A newc archive of one member and the trailer. */
    static byte[] cpio(String name, int mode, byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        member(o, name, mode, data);
        member(o, "TRAILER!!!", 0, new byte[0]);
        return o.toByteArray();
    }

    private static void member(ByteArrayOutputStream o, String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        String h = String.format("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1, mode, 0, 0, 1, 0,
                data.length, 0, 0, 0, 0, n.length, 0);
        o.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(n);
        o.writeBytes(new byte[(4 - (110 + n.length) % 4) % 4]);
        o.writeBytes(data);
        o.writeBytes(new byte[(4 - data.length % 4) % 4]);
    }

    @Test
    void cpioBelowAFileIsSkippedAsTheKernelDoes() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        member(o, "f", 0100644, new byte[] {1});
        member(o, "f/x", 0100644, new byte[] {2});
        member(o, "TRAILER!!!", 0, new byte[0]);
        java.util.List<String> warnings = new java.util.ArrayList<>();
        try (SourceTree t = Sources.load(new ByteArrayInputStream(o.toByteArray()), null, SourceOptions.builder()
                .spoolDirectory(spool).warnings(w -> warnings.add(w.path() + ": " + w.message())).build())) {
            assertEquals(FileType.REGULAR, t.tree().get("f").type());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("f/x: skipped"), warnings.toString());
        }
        refused(cpio("../x", 0100644, new byte[] {1}), "..");
    }

    // ---- bombs ----

    /** The compressing stream of a wrapper the sources read. */
    private static java.io.OutputStream compressing(String wrapper, java.io.OutputStream out) throws IOException {
        return switch (wrapper) {
            case "gzip" -> new GZIPOutputStream(out);
            case "xz" -> new org.tukaani.xz.XZOutputStream(out, new org.tukaani.xz.LZMA2Options(6));
            case "zstd" -> new com.github.luben.zstd.ZstdOutputStream(out, 19);
            default -> throw new IllegalArgumentException(wrapper);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd"})
    void compressionBombOfZerosIsSpooledAsAHole(String wrapper) throws IOException {
        long size = 128L << 20;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (java.io.OutputStream z = compressing(wrapper, gz)) {
            z.write(header("zeros", '0', String.format("%011o", size), ""));
            byte[] zeros = new byte[1 << 20];
            for (long i = 0; i < size; i += zeros.length) {
                z.write(zeros);
            }
            z.write(new byte[1024]);
        }
        assertTrue(gz.size() < (512 << 10), wrapper + ": a ratio over 256: " + gz.size());
        try (SourceTree t = load(gz.toByteArray())) {
            FileContent c = t.tree().get("zeros").content();
            assertEquals(size, c.size());
            Path file;
            try (Stream<Path> s = Files.list(spool)) {
                file = s.findFirst().orElseThrow();
            }
            assertTrue(allocatedKiB(file) < 1024, "the spool holds the zeros as a hole: " + allocatedKiB(file)
                    + " KiB allocated");
            try (InputStream in = java.nio.channels.Channels.newInputStream(c.open(0))) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                byte[] zeros = new byte[buf.length];
                for (int n; (n = in.read(buf)) > 0; total += n) {
                    assertEquals(-1, java.util.Arrays.mismatch(buf, 0, n, zeros, 0, n), "zeros at " + total);
                }
                assertEquals(size, total);
            }
        }
        assertSpoolEmpty();
    }

    @Test
    void sparseMemberIsSpooledAsAHole(@TempDir Path src) throws Exception {
        long size = 1L << 30;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src.resolve("sparse"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), size - 1);
        }
        Process p = new ProcessBuilder("tar", "--format=gnu", "-S", "-cf", "s.tar", "sparse").directory(src.toFile())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        byte[] tar = Files.readAllBytes(src.resolve("s.tar"));
        assertTrue(tar.length < 64 << 10, "GNU tar stored it sparse: " + tar.length);
        try (SourceTree t = load(tar)) {
            FileContent c = t.tree().get("sparse").content();
            assertEquals(size, c.size());
            try (Stream<Path> s = Files.list(spool)) {
                Path file = s.findFirst().orElseThrow();
                assertTrue(allocatedKiB(file) < 1024, "the hole stays a hole: " + allocatedKiB(file) + " KiB");
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            try (java.nio.channels.ReadableByteChannel in = c.open(size - 1)) {
                in.read(last);
            }
            assertEquals(42, last.get(0));
        }
        assertSpoolEmpty();
    }

    /** The disk space a file takes, from du (the JDK has no call for it). */
    private static long allocatedKiB(Path f) throws IOException {
        Process p = new ProcessBuilder("du", "-k", f.toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor();
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
