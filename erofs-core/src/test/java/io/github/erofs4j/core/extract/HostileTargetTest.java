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
import io.github.erofs4j.core.testing.AsUser;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Targets prepared by someone who wants extraction to write elsewhere: symlinked parents, hard links to files
 * outside, fifos where files go, names that are not UTF-8 already taken, and a directory swapped for a symlink while
 * the extraction runs; and, for a process that is not root, device nodes, setuid and setgid files and owners it may
 * not restore. Nothing is ever written outside the target, and no file is followed through a link.
 *
 * <p>Each case runs twice: in the test's own process (root in CI) and, when the tests run as root, as the ordinary
 * user 65534 in a child JVM ({@link AsUser}), with the hostile target and everything outside it given to that user
 * so that a write through a link would succeed. The test prepares the target here; the extraction and what is
 * asserted of it are the static methods named by the case, run where the case says.
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
    private static Posix.Stat stat(Path out, byte[]... names) throws IOException {
        Posix posix = Posix.get();
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
    private static TreeMap<String, String> listing(Posix posix, int dirfd) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        for (byte[] n : posix.readDirectory(dirfd)) {
            Posix.Stat st = posix.lstatAt(dirfd, n);
            m.put(new String(n, StandardCharsets.ISO_8859_1), Integer.toOctalString(st.mode() & 0170000));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void overwriteReplacesAHostileTargetWithoutFollowingAnything(AsUser.Where where) throws Exception {
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
        where.prepare(tmp);
        where.call(HostileTargetTest.class, "replaceHostileTarget", img, out);
    }

    static void replaceHostileTarget(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[1]);
        ExtractSummary refused = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        assertFalse(refused.check().isClean(), "nothing is replaced without overwrite");

        ExtractSummary s = ImageExtractor.extract(ErofsImage.open(img), out,
                ExtractOptions.builder().overwrite(true).build());
        assertTrue(s.check().isClean(), s.check().problems().toString());
        assertTrue(Files.isDirectory(out.resolve("sub"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("inner\n", Files.readString(out.resolve("sub/inner")));
        assertEquals("sub/inner", Files.readSymbolicLink(out.resolve("link")).toString());
        assertEquals(0040000, stat(out, D_RAW).mode() & 0170000);
        assertEquals(0100000, stat(out, PLAIN_RAW).mode() & 0170000);
        assertEquals(18000, stat(out, PLAIN_RAW).size());
        assertEquals(9, stat(out, D_RAW, F_RAW).size());
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void hardLinksAndFifosInTheTargetAreReplacedNotWrittenThrough(AsUser.Where where) throws Exception {
        Path img = image();
        Files.createDirectories(out.resolve("sub"));
        Files.createLink(out.resolve("sub/inner"), secret);
        Process mk = new ProcessBuilder("mkfifo", out.resolve("sub/pipe").toString()).start();
        assertEquals(0, mk.waitFor());
        where.prepare(tmp);
        where.call(HostileTargetTest.class, "replaceHardLinkAndFifo", img, out);
    }

    static void replaceHardLinkAndFifo(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[1]);
        Path fifo = out.resolve("sub/pipe");
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
    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void directorySwappedDuringTheExtractionIsNeverFollowed(AsUser.Where where) throws Exception {
        Path img = image();
        where.prepare(tmp);
        where.call(HostileTargetTest.class, "swapDirectories", img, out, outside);
    }

    /** The writer is driven step by step; the swaps happen between its steps, in the same process. */
    static void swapDirectories(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[1]);
        Path outside = Path.of(a[2]);
        Posix posix = Posix.get();
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

    /**
     * Someone else races the extraction: a thread of the test, which is another process (root) when the extraction
     * runs as the ordinary user in its child JVM. While the extraction runs, every file name of the image not
     * written yet gets a symlink to the file outside, and directories are moved aside and replaced by a symlink to
     * the directory outside. Which of them the writer meets depends on timing; whatever it meets, it follows none.
     */
    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void linksPlantedByAnotherProcessWhileExtractingAreNeverFollowed(AsUser.Where where) throws Exception {
        int dirs = 40;
        int files = 8;
        FsTree tree = new FsTree();
        for (int i = 0; i < dirs; i++) {
            Node d = tree.root().directory(String.format("d%03d", i));
            for (int j = 0; j < files; j++) {
                byte[] content = ("file " + i + " " + j + "\n").getBytes(StandardCharsets.US_ASCII);
                d.put(String.format("f%02d", j), Node.file(content));
            }
        }
        Path img = tmp.resolve("many.erofs");
        ErofsWriter.write(tree, img, WriteOptions.defaults());
        where.prepare(tmp);
        AtomicBoolean stop = new AtomicBoolean();
        long[] planted = new long[2];
        Thread attacker = new Thread(() -> {
            for (int pass = 0; !stop.get(); pass++) {
                for (int i = 0; i < dirs && !stop.get(); i++) {
                    Path d = out.resolve(String.format("d%03d", i));
                    try {
                        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                            continue;
                        }
                        for (int j = 0; j < files; j++) {
                            Path f = d.resolve(String.format("f%02d", j));
                            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                                Files.createSymbolicLink(f, secret);
                                planted[0]++;
                            }
                        }
                        if ((pass + i) % 5 == 0) {
                            Files.move(d, out.resolve(".aside-" + pass + "-" + i));
                            Files.createSymbolicLink(d, outside);
                            planted[1]++;
                        }
                    } catch (IOException e) {
                        // raced with the extraction: go on with the next one
                    }
                }
                Thread.onSpinWait();
            }
        }, "attacker");
        attacker.start();
        try {
            where.call(HostileTargetTest.class, "extractOverwriting", img, out);
        } finally {
            stop.set(true);
            attacker.join();
        }
        assertTrue(planted[0] > 0 && planted[1] > 0, () -> "the race never happened: " + planted[0] + " file links, "
                + planted[1] + " directory links");
    }

    static void extractOverwriting(String... a) throws Exception {
        ExtractSummary s = ImageExtractor.extract(ErofsImage.open(Path.of(a[0])), Path.of(a[1]),
                ExtractOptions.builder().overwrite(true).build());
        // Directories replaced behind the writer's back, and names taken again right after the writer removed what
        // was there, are reported; nothing else may go wrong.
        for (Problem p : s.check().problems()) {
            String d = p.description();
            assertTrue(d.contains("Too many levels of symbolic links") || d.contains("Not a directory")
                    || d.contains("replaced by another directory") || d.contains("No such file")
                    || d.contains("already exists") || d.contains("File exists"), p::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void nonUtf8NamesAreReplacedLikeAnyOther(AsUser.Where where) throws Exception {
        Path img = image();
        where.prepare(tmp);
        where.call(HostileTargetTest.class, "replaceNonUtf8Names", img, out);
    }

    static void replaceNonUtf8Names(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[1]);
        Posix posix = Posix.get();
        ExtractSummary first = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        assertTrue(first.check().isClean(), first.check().problems().toString());
        assertEquals(9, stat(out, D_RAW, F_RAW).size());

        ExtractSummary again = ImageExtractor.extract(ErofsImage.open(img), out, ExtractOptions.defaults());
        List<String> texts = new ArrayList<>();
        again.check().problems().forEach(p -> texts.add(p.description()));
        assertTrue(texts.stream().anyMatch(t -> t.contains("already exists (use --overwrite)")), texts::toString);

        ExtractSummary replaced = ImageExtractor.extract(ErofsImage.open(img), out,
                ExtractOptions.builder().overwrite(true).build());
        assertTrue(replaced.check().isClean(), replaced.check().problems().toString());
        int root = posix.openDirectory(out);
        try {
            TreeMap<String, String> top = listing(posix, root);
            assertEquals(List.of("d\u00ff", "link", "plain\u00e9", "sub"), new ArrayList<>(top.keySet()));
        } finally {
            posix.close(root);
        }
        assertArrayEquals("raw file\n".getBytes(StandardCharsets.US_ASCII), readRawFile(out));
    }

    /**
     * Device nodes, setuid and setgid entries and owners other than the extracting user, some of them where the
     * target holds links to outside. Root restores all of it. Any other user restores what the kernel lets it, as
     * fsck.erofs --extract does: device nodes are skipped and reported (mknod needs CAP_MKNOD), owners are its own
     * and not reported unless it asks for them, and setuid and setgid bits are kept, which the kernel only allows on
     * files the user owns (so they can name no one else; GNU tar drops them for ordinary users instead).
     */
    @ParameterizedTest
    @EnumSource(AsUser.Where.class)
    void devicesSetuidFilesAndOwners(AsUser.Where where) throws Exception {
        FsTree tree = new FsTree();
        tree.root().put("cdev", Node.charDevice(1, 3).permissions(0660));
        tree.root().put("bdev", Node.blockDevice(7, 0).permissions(0660).owner(0, 6));
        tree.root().put("fifo", Node.fifo().owner(1000, 1000));
        tree.root().put("suid", Node.file("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII)).permissions(04755));
        tree.root().put("sgid", Node.file("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII)).permissions(02755));
        Node dir = tree.root().put("sgdir", Node.directory().permissions(02775).owner(0, 50));
        dir.put("theirs", Node.file("theirs\n".getBytes(StandardCharsets.US_ASCII)).owner(1000, 1000));
        Path img = tmp.resolve("special.erofs");
        ErofsWriter.write(tree, img, WriteOptions.defaults());
        Files.createDirectory(out);
        Files.createSymbolicLink(out.resolve("cdev"), secret);
        Files.createLink(out.resolve("bdev"), secret);
        Files.createSymbolicLink(out.resolve("fifo"), outside);
        Files.createSymbolicLink(out.resolve("suid"), secret);
        where.prepare(tmp);
        where.call(HostileTargetTest.class, "restoreSpecialEntries", img, out, tmp.resolve("asked"));
    }

    static void restoreSpecialEntries(String... a) throws Exception {
        Path img = Path.of(a[0]);
        Path out = Path.of(a[1]);
        Posix posix = Posix.get();
        long uid = posix.geteuid() & 0xFFFFFFFFL;
        long gid = posix.getegid() & 0xFFFFFFFFL;
        boolean root = uid == 0;
        ExtractSummary s = ImageExtractor.extract(ErofsImage.open(img), out,
                ExtractOptions.builder().overwrite(true).build());
        assertTrue(s.check().isClean(), s.check().problems().toString());
        List<String> skipped = s.notRestored().stream().map(ExtractSummary.NotRestored::what).toList();
        if (root) {
            assertEquals(List.of(), skipped);
            assertEquals(List.of(0020660L, 1L, 3L, 0L, 0L), attrs(out.resolve("cdev"), "rdev", "uid", "gid"));
            assertEquals(List.of(0060660L, 7L, 0L, 0L, 6L), attrs(out.resolve("bdev"), "rdev", "uid", "gid"));
            assertEquals(List.of(0010644L, 1000L, 1000L), attrs(out.resolve("fifo"), "uid", "gid"));
            assertEquals(List.of(0104755L, 0L, 0L), attrs(out.resolve("suid"), "uid", "gid"));
            assertEquals(List.of(0102755L, 0L, 0L), attrs(out.resolve("sgid"), "uid", "gid"));
            assertEquals(List.of(0042775L, 0L, 50L), attrs(out.resolve("sgdir"), "uid", "gid"));
            assertEquals(List.of(0100644L, 1000L, 1000L), attrs(out.resolve("sgdir/theirs"), "uid", "gid"));
            return;
        }
        // Not root: the devices are skipped and reported, what was in their way (links to outside) is gone.
        assertEquals(List.of("block devices (mknod: Operation not permitted)",
                "char devices (mknod: Operation not permitted)"), skipped);
        assertFalse(Files.exists(out.resolve("cdev"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(out.resolve("bdev"), LinkOption.NOFOLLOW_LINKS));
        // Everything else is the user's own; setuid and setgid bits are kept on what it owns.
        assertEquals(List.of(0010644L, uid, gid), attrs(out.resolve("fifo"), "uid", "gid"));
        assertEquals(List.of(0104755L, uid, gid), attrs(out.resolve("suid"), "uid", "gid"));
        assertEquals(List.of(0102755L, uid, gid), attrs(out.resolve("sgid"), "uid", "gid"));
        assertEquals(List.of(0042775L, uid, gid), attrs(out.resolve("sgdir"), "uid", "gid"));
        assertEquals(List.of(0100644L, uid, gid), attrs(out.resolve("sgdir/theirs"), "uid", "gid"));

        // Owners asked for: chown is refused, which is reported but fails nothing; the rest is as before.
        Path asked = Path.of(a[2]);
        ExtractSummary owners = ImageExtractor.extract(ErofsImage.open(img), asked,
                ExtractOptions.builder().preserveOwner(true).build());
        assertTrue(owners.check().isClean(), owners.check().problems().toString());
        List<ExtractSummary.NotRestored> n = owners.notRestored();
        assertEquals(List.of("block devices (mknod: Operation not permitted)",
                "char devices (mknod: Operation not permitted)", "ownership (chown: Operation not permitted)"),
                n.stream().map(ExtractSummary.NotRestored::what).toList());
        assertEquals(6, n.get(2).count(), n.get(2)::toString);
        assertEquals(List.of(0104755L, uid, gid), attrs(asked.resolve("suid"), "uid", "gid"));
        assertEquals(List.of(0100644L, uid, gid), attrs(asked.resolve("sgdir/theirs"), "uid", "gid"));
    }

    /** The mode and the named numeric attributes of an entry, not following links; "rdev" gives major and minor. */
    private static List<Long> attrs(Path p, String... names) throws IOException {
        List<Long> l = new ArrayList<>();
        l.add(((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).longValue());
        for (String n : names) {
            long v = ((Number) Files.getAttribute(p, "unix:" + n, LinkOption.NOFOLLOW_LINKS)).longValue();
            if (n.equals("rdev")) {
                l.add((v >>> 8) & 0xfff);
                l.add(v & 0xff | (v >>> 12) & 0xfff00);
            } else {
                l.add(v);
            }
        }
        return l;
    }

    /** Reads out/d\xff/f\xfe, which Java paths cannot name. */
    private static byte[] readRawFile(Path out) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "cat \"$1/d$(printf '\\377')/f$(printf '\\376')\"", "sh",
                out.toString()).start();
        byte[] b = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        return b;
    }
}
