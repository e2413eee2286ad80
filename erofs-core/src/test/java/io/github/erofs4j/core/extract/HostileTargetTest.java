package io.github.erofs4j.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.posix.PosixException;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets prepared by someone who wants extraction to write elsewhere: symlinked parents, hard links to files
 * outside, fifos where files go, names that are not UTF-8 already taken, and a directory swapped for a symlink while
 * the extraction runs. Nothing is ever written outside the target, and no file is followed through a link.
 */
class HostileTargetTest {
    private static final byte[] D_RAW = {'d', (byte) 0xff};
    private static final byte[] F_RAW = {'f', (byte) 0xfe};
    private static final byte[] PLAIN_RAW = {'p', 'l', 'a', 'i', 'n', (byte) 0xe9};

    @TempDir
    Path tmp;

    Path out;
    /** A directory outside the target that an attacker wants written into, with a file to be overwritten. */
    Path outside;
    Path secret;
    Posix posix;

    @BeforeEach
    void setUp() throws IOException {
        posix = Posix.get();
        assumeTrue(posix.available() && posix.lstatAvailable(), "needs the native helper (JNA with statx)");
        out = tmp.resolve("out");
        outside = Files.createDirectory(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "untouched");
    }

    @AfterEach
    void noWriteOutside() throws IOException {
        if (outside == null) {
            return;
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(secret), s.toList(), "nothing appears outside the target");
        }
        assertEquals("untouched", Files.readString(secret));
        assertEquals(1, (Integer) Files.getAttribute(secret, "unix:nlink"));
    }

    /**
     * The image: raw-named directory and files, a subdirectory with files, and a symlink. Every entry of the target
     * holds a marker content so a write through a link to outside would show.
     */
    private Path image() throws IOException {
        FsTree tree = new FsTree();
        Node d = tree.root().directory(D_RAW);
        d.put(F_RAW, Node.file("raw file\n".getBytes(StandardCharsets.US_ASCII)));
        tree.root().put(PLAIN_RAW, Node.file("plain\n".repeat(3000).getBytes(StandardCharsets.US_ASCII)));
        Node sub = tree.root().directory("sub".getBytes(StandardCharsets.US_ASCII));
        sub.put("inner", Node.file("inner\n".getBytes(StandardCharsets.US_ASCII)));
        sub.put("pipe", Node.file("not a fifo\n".getBytes(StandardCharsets.US_ASCII)));
        sub.put("deeper", Node.directory()).put("leaf", Node.file("leaf\n".getBytes(StandardCharsets.US_ASCII)));
        tree.root().put("link", Node.symlink("sub/inner"));
        Path img = tmp.resolve("img.erofs");
        ErofsWriter.write(tree, img, WriteOptions.defaults());
        return img;
    }

    /** What lstat says of out/names[0]/names[1]/..., names Java paths may not hold. */
    private Posix.Stat stat(byte[]... names) throws IOException {
        int fd = posix.openDirectory(out);
        try {
            for (int i = 0; i < names.length - 1; i++) {
                int next = posix.openDirectoryAt(fd, names[i]);
                posix.close(fd);
                fd = next;
            }
            return posix.lstatAt(fd, names[names.length - 1]);
        } finally {
            posix.close(fd);
        }
    }

    /** What is in a directory, by name (bytes shown as ISO-8859-1), with type and content, not following links. */
    private TreeMap<String, String> listing(int dirfd) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        for (byte[] n : posix.readDirectory(dirfd)) {
            Posix.Stat st = posix.lstatAt(dirfd, n);
            m.put(new String(n, StandardCharsets.ISO_8859_1), Integer.toOctalString(st.mode() & 0170000));
        }
        return m;
    }

    @Test
    void overwriteReplacesAHostileTargetWithoutFollowingAnything() throws Exception {
        Path img = image();
        Files.createDirectory(out);
        // Where the image has a directory with a name that is not UTF-8: a regular file.
        int root = posix.openDirectory(out);
        try {
            int fd = posix.createAt(root, D_RAW, 0644);
            posix.close(fd);
            // Where it has a file with such a name: a directory holding files and a symlink to outside.
            posix.mkdirAt(root, PLAIN_RAW, 0755);
            int p = posix.openDirectoryAt(root, PLAIN_RAW);
            try {
                posix.close(posix.createAt(p, F_RAW, 0644));
                posix.symlinkAt(outside.toString().getBytes(StandardCharsets.UTF_8), p, new byte[] {'o', (byte) 0x80});
                posix.mkdirAt(p, new byte[] {'x', (byte) 0x81}, 0700);
            } finally {
                posix.close(p);
            }
        } finally {
            posix.close(root);
        }
        // A symlinked parent: "sub" points outside.
        Files.createSymbolicLink(out.resolve("sub"), outside);
        // A file that is a hard link to a file outside, and a symlink to one.
        Files.createSymbolicLink(out.resolve("link"), secret);

        ExtractSummary refused = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        assertFalse(refused.check().isClean(), "nothing is replaced without overwrite");

        ExtractSummary s = ImageExtractor.extract(ErofsImage.open(img), out,
                ExtractOptions.builder().overwrite(true).build());
        assertTrue(s.check().isClean(), s.check().problems().toString());
        assertTrue(Files.isDirectory(out.resolve("sub"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("inner\n", Files.readString(out.resolve("sub/inner")));
        assertEquals("sub/inner", Files.readSymbolicLink(out.resolve("link")).toString());
        assertEquals(0040000, stat(D_RAW).mode() & 0170000);
        assertEquals(0100000, stat(PLAIN_RAW).mode() & 0170000);
        assertEquals(18000, stat(PLAIN_RAW).size());
        assertEquals(9, stat(D_RAW, F_RAW).size());
    }

    @Test
    void hardLinksAndFifosInTheTargetAreReplacedNotWrittenThrough() throws Exception {
        Path img = image();
        Files.createDirectories(out.resolve("sub"));
        Files.createLink(out.resolve("sub/inner"), secret);
        Path fifo = out.resolve("sub/pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        // Opening the fifo for writing would block for ever: the extraction must not open it.
        ExtractSummary s = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ImageExtractor.extract(
                ErofsImage.open(img), out, ExtractOptions.builder().overwrite(true).build()));
        assertTrue(s.check().isClean(), s.check().problems().toString());
        assertEquals("inner\n", Files.readString(out.resolve("sub/inner")));
        assertEquals(1, (Integer) Files.getAttribute(out.resolve("sub/inner"), "unix:nlink"));
        assertTrue(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS));
        assertEquals("not a fifo\n", Files.readString(fifo));
    }

    /**
     * A directory of the target swapped for a symlink to outside while the extraction runs, between the moment it
     * was created and the moment a file is written into it; then swapped for another real directory.
     */
    @Test
    void directorySwappedDuringTheExtractionIsNeverFollowed() throws Exception {
        Path img = image();
        try (ErofsImage image = ErofsImage.open(img);
                FdTargetWriter w = new FdTargetWriter(out,
                        new TargetWriter.Options(false, true, false, false, 022), posix, ExtractListener.NONE,
                        null, null)) {
            ErofsInode subInode = image.resolve("/sub");
            ErofsInode inner = image.resolve("/sub/inner");
            ByteBuffer buf = ByteBuffer.allocateDirect(TargetWriter.BUFFER);
            TargetDir root = w.prepareRoot();
            w.enter(root);
            TargetDir sub = w.directory(root, "sub".getBytes(StandardCharsets.US_ASCII), subInode);
            w.enter(sub);
            w.leave(sub);
            w.leave(root);

            // Closed now; swapped for a symlink to outside: opening it again fails, nothing is written.
            Path moved = out.resolve("moved");
            Files.move(out.resolve("sub"), moved);
            Files.createSymbolicLink(out.resolve("sub"), outside);
            PosixException e = assertThrows(PosixException.class,
                    () -> w.nonDirectory(sub, "inner".getBytes(StandardCharsets.US_ASCII), inner, buf));
            assertTrue(e.errno() == PosixException.ELOOP || e.errno() == PosixException.ENOTDIR, e::toString);

            // Swapped for another real directory: not the one this run made, so nothing is written into it.
            Files.delete(out.resolve("sub"));
            Files.createDirectory(out.resolve("sub"));
            FileSystemException other = assertThrows(FileSystemException.class,
                    () -> w.nonDirectory(sub, "inner".getBytes(StandardCharsets.US_ASCII), inner, buf));
            assertTrue(other.getMessage().contains("replaced by another directory"), other::toString);
            try (Stream<Path> l = Files.list(out.resolve("sub"))) {
                assertEquals(0, l.count());
            }

            // Held open while it is swapped: the writes go on into the directory this run made, wherever it is.
            Files.delete(out.resolve("sub"));
            Files.move(moved, out.resolve("sub"));
            sub.acquire();
            try {
                Files.move(out.resolve("sub"), moved);
                Files.createSymbolicLink(out.resolve("sub"), outside);
                w.nonDirectory(sub, "inner".getBytes(StandardCharsets.US_ASCII), inner, buf);
            } finally {
                sub.release();
            }
            assertEquals("inner\n", Files.readString(moved.resolve("inner")));
            Files.delete(out.resolve("sub"));
        }
    }

    @Test
    void nonUtf8NamesAreReplacedLikeAnyOther() throws Exception {
        Path img = image();
        ExtractSummary first = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        assertTrue(first.check().isClean(), first.check().problems().toString());
        assertEquals(9, stat(D_RAW, F_RAW).size());

        ExtractSummary again = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        List<String> texts = new ArrayList<>();
        again.check().problems().forEach(p -> texts.add(p.description()));
        assertTrue(texts.stream().anyMatch(t -> t.contains("already exists (use --overwrite)")), texts::toString);

        ExtractSummary replaced = ImageExtractor.extract(ErofsImage.open(img), out,
                ExtractOptions.builder().overwrite(true).build());
        assertTrue(replaced.check().isClean(), replaced.check().problems().toString());
        int root = posix.openDirectory(out);
        try {
            TreeMap<String, String> top = listing(root);
            assertEquals(List.of("d\u00ff", "link", "plain\u00e9", "sub"), new ArrayList<>(top.keySet()));
        } finally {
            posix.close(root);
        }
        assertArrayEquals("raw file\n".getBytes(StandardCharsets.US_ASCII), readRawFile());
    }

    /** Reads out/d\xff/f\xfe, which Java paths cannot name. */
    private byte[] readRawFile() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "cat \"$1/d$(printf '\\377')/f$(printf '\\376')\"", "sh",
                out.toString()).start();
        byte[] b = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        return b;
    }
}
