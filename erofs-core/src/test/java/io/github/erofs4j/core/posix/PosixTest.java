package io.github.erofs4j.core.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @TempDir
    Path dir;

    Posix posix;

    @BeforeEach
    void setUp() {
        posix = Posix.get();
        assumeTrue(posix.available(), () -> "Linux calls unavailable: " + posix.unavailableReason());
    }

    @Test
    void makedevMatchesGlibc() {
        assertEquals(0x801L, Posix.makedev(8, 1));
        assertEquals(0x103L, Posix.makedev(1, 3));
        // Large numbers use the split encoding: minor's high bits at 12, major's high bits at 32.
        assertEquals((0x12345L & 0xFFFFF000L) << 32 | (0x345L << 8) | ((0x1_0000L & 0xFFFFFF00L) << 12),
                Posix.makedev(0x12345, 0x1_0000));
    }

    @Test
    void lstatAgreesWithTheJdk() throws Exception {
        assumeTrue(posix.lstatAvailable(), "no statx in this C library");
        Path f = Files.writeString(dir.resolve("f"), "hello");
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
        Path d = Files.createDirectory(dir.resolve("d"));
        Path l = Files.createSymbolicLink(dir.resolve("l"), Path.of("no/such/target"));
        Files.createLink(dir.resolve("h"), f);
        java.util.List<Path> paths = new java.util.ArrayList<>(java.util.List.of(f, d, l));
        if (posix.geteuid() == 0) {
            Path c = dir.resolve("c");
            posix.mknod(c, 0020000 | 0644, 4095, 70000);
            paths.add(c);
        }
        for (Path p : paths) {
            Posix.Stat st = posix.lstat(p);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,nlink,ino,size,lastModifiedTime,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            assertEquals((int) (Integer) a.get("mode"), st.mode(), p + " mode");
            assertEquals((long) (Integer) a.get("uid"), st.uid(), p + " uid");
            assertEquals((long) (Integer) a.get("gid"), st.gid(), p + " gid");
            assertEquals((long) (Integer) a.get("nlink"), st.nlink(), p + " nlink");
            assertEquals((long) (Long) a.get("ino"), st.ino(), p + " ino");
            assertEquals((long) (Long) a.get("size"), st.size(), p + " size");
            Instant m = ((FileTime) a.get("lastModifiedTime")).toInstant();
            assertEquals(m.getEpochSecond(), st.mtimeSeconds(), p + " mtime");
            assertEquals(m.getNano(), st.mtimeNanos(), p + " mtime nanoseconds");
            assertEquals((long) (Long) a.get("rdev"), Posix.makedev(st.rdevMajor(), st.rdevMinor()), p + " rdev");
        }
        assertEquals(123_456_789, posix.lstat(f).mtimeNanos());
        assertEquals(2, posix.lstat(f).nlink());
        assertEquals(0120000, posix.lstat(l).mode() & 0170000, "the link itself, not its (missing) target");
        if (posix.geteuid() == 0) {
            Posix.Stat c = posix.lstat(dir.resolve("c"));
            assertEquals(4095, c.rdevMajor());
            assertEquals(70000, c.rdevMinor());
        }
        PosixException e = assertThrows(PosixException.class, () -> posix.lstat(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("statx"), e.getMessage());
    }

    @Test
    void xattrsOnFileAndSymlinkAreNotFollowed() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path l = Files.createSymbolicLink(dir.resolve("l"), f.getFileName());
        byte[] v = "value\0with nul".getBytes(StandardCharsets.UTF_8);
        posix.lsetxattr(f, "user.a", v);
        posix.lsetxattr(f, "user.empty", new byte[0]);
        assertArrayEquals(v, posix.lgetxattr(f, "user.a").orElseThrow());
        assertEquals(0, posix.lgetxattr(f, "user.empty").orElseThrow().length);
        assertTrue(posix.lgetxattr(f, "user.none").isEmpty());
        assertTrue(posix.llistxattr(f).containsAll(java.util.List.of("user.a", "user.empty")));
        // The symlink itself has no user.a even though its target does.
        assertTrue(posix.lgetxattr(l, "user.a").isEmpty());
        posix.lremovexattr(f, "user.a");
        assertTrue(posix.lgetxattr(f, "user.a").isEmpty());
        // user.* on a symlink is refused by Linux: the error carries the errno.
        PosixException e = assertThrows(PosixException.class, () -> posix.lsetxattr(l, "user.a", v));
        assertTrue(e.isNotPermittedOrSupported(), e.getMessage());
        assertTrue(e.getMessage().contains("lsetxattr user.a"), e.getMessage());
        if (posix.geteuid() == 0) {
            posix.lsetxattr(l, "trusted.t", v);
            assertArrayEquals(v, posix.lgetxattr(l, "trusted.t").orElseThrow());
            assertEquals(java.util.List.of("trusted.t"), posix.llistxattr(l));
        }
    }

    @Test
    void symlinkTimesKeepNanoseconds() throws Exception {
        Path l = Files.createSymbolicLink(dir.resolve("l"), Path.of("nowhere"));
        posix.lutimens(l, 1_600_000_000L, 123_456_789);
        assertEquals(FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 123_456_789)),
                Files.getLastModifiedTime(l, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void mknodMakesFifoSocketAndDevices() throws Exception {
        int old = posix.umask();
        posix.mknod(dir.resolve("p"), 0010644, 0, 0);
        posix.mknod(dir.resolve("s"), 0140755, 0, 0);
        Map<String, Object> p = Files.readAttributes(dir.resolve("p"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0010000, (Integer) p.get("mode") & 0170000);
        assertEquals(0140000,
                (Integer) Files.getAttribute(dir.resolve("s"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000);
        assertEquals(old, posix.umask());
        if (posix.geteuid() == 0) {
            posix.mknod(dir.resolve("b"), 0060660, 8, 1);
            assertEquals(0x801L, Files.getAttribute(dir.resolve("b"), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        }
        PosixException e = assertThrows(PosixException.class, () -> posix.mknod(dir.resolve("p"), 0010644, 0, 0));
        assertEquals(PosixException.EEXIST, e.errno());
    }

    @Test
    void copyAFileRangeInTheKernelThenReadWhatFollows() throws Exception {
        byte[] data = new byte[3 * 4096 + 100];
        new java.util.Random(7).nextBytes(data);
        Path src = Files.write(dir.resolve("src"), data);
        Path dst = Files.write(dir.resolve("dst"), new byte[0]);
        int in = posix.openReadNoFollow(src);
        int out = posix.openWrite(dst);
        try {
            long done = 0;
            while (done < 3 * 4096) {
                long n = posix.copyFileRange(in, 100 + done, out, 5 + done, 3 * 4096 - done);
                assumeTrue(n >= 0, "copy_file_range refused here");
                assertTrue(n > 0, "copy made no progress");
                done += n;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(200).position(50).limit(150);
            assertEquals(100, posix.pread(in, b, 3 * 4096));
            assertEquals(150, b.position());
            assertEquals(0, posix.pread(in, b.limit(200), data.length));
            byte[] tail = new byte[100];
            b.get(50, tail);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 3 * 4096, data.length), tail);
        } finally {
            posix.close(in);
            posix.close(out);
        }
        byte[] got = Files.readAllBytes(dst);
        assertEquals(5 + 3 * 4096, got.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 100 + 3 * 4096),
                java.util.Arrays.copyOfRange(got, 5, got.length));
        Path link = Files.createSymbolicLink(dir.resolve("link"), src);
        PosixException e = assertThrows(PosixException.class, () -> posix.openReadNoFollow(link));
        assertEquals(PosixException.ELOOP, e.errno());
    }

    @Test
    void truncateExtendsWithAHole() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        posix.truncate(f, 1 << 20);
        assertEquals(1 << 20, Files.size(f));
    }

    /**
     * The calls relative to a directory descriptor, with names Java paths cannot hold: create, write, extend, link,
     * chmod, stat, list, remove; none follows a symlink.
     */
    @Test
    void callsRelativeToADirectory() throws Exception {
        assumeTrue(posix.lstatAvailable(), "no statx in this C library");
        int root = posix.openDirectory(dir);
        try {
            byte[] d = {'d', (byte) 0xff};
            posix.mkdirAt(root, d, 0755);
            assertEquals(0040000, posix.lstatAt(root, d).mode() & 0170000);
            int dfd = posix.openDirectoryAt(root, d);
            try {
                byte[] f = {'f', (byte) 0xfe};
                int fd = posix.createAt(dfd, f, 0600);
                try {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(16);
                    buf.put("hello".getBytes(StandardCharsets.US_ASCII)); // position 5: the write starts at 0
                    posix.pwriteFully(fd, buf, 5, 10);
                    posix.ftruncate(fd, 100);
                    posix.fchmod(fd, 04711);
                    assertEquals(04711, posix.fstat(fd).mode() & 07777);
                } finally {
                    posix.close(fd);
                }
                assertEquals(100, posix.lstatAt(dfd, f).size());
                PosixException again = assertThrows(PosixException.class, () -> posix.createAt(dfd, f, 0600));
                assertEquals(PosixException.EEXIST, again.errno());
                byte[] h = {'h', (byte) 0xfd};
                posix.linkAt(dfd, f, dfd, h);
                assertEquals(2, posix.lstatAt(dfd, h).nlink());
                byte[] l = {'l', (byte) 0xfc};
                posix.symlinkAt(new byte[] {'f', (byte) 0xfe}, dfd, l);
                assertEquals(0120000, posix.lstatAt(dfd, l).mode() & 0170000);
                assertEquals(2, posix.lstatAt(dfd, l).size(), "the target's bytes, as given");
                posix.lutimensAt(dfd, l, 1_600_000_000L, 5);
                assertEquals(1_600_000_000L, posix.lstatAt(dfd, l).mtimeSeconds());
                assertEquals(04711, posix.lstatAt(dfd, f).mode() & 07777, "the symlink's target kept its times");
                // A symlink is never followed: not to open a directory, not to create a file.
                posix.symlinkAt(new byte[] {'.'}, dfd, new byte[] {'s'});
                PosixException loop = assertThrows(PosixException.class,
                        () -> posix.openDirectoryAt(dfd, new byte[] {'s'}));
                assertTrue(loop.errno() == PosixException.ELOOP || loop.errno() == PosixException.ENOTDIR,
                        loop::toString);
                assertEquals(PosixException.EEXIST, assertThrows(PosixException.class,
                        () -> posix.createAt(dfd, l, 0600)).errno());
                java.util.Set<String> names = new java.util.TreeSet<>();
                int list = posix.openDirectoryAt(root, d);
                try {
                    for (byte[] n : posix.readDirectory(list)) {
                        names.add(new String(n, StandardCharsets.ISO_8859_1));
                    }
                } finally {
                    posix.close(list);
                }
                assertEquals(java.util.Set.of("f\u00fe", "h\u00fd", "l\u00fc", "s"), names);
                posix.unlinkAt(dfd, h, false);
                assertEquals(1, posix.lstatAt(dfd, f).nlink());
            } finally {
                posix.close(dfd);
            }
            assertEquals(PosixException.EISDIR, assertThrows(PosixException.class,
                    () -> posix.unlinkAt(root, d, false)).errno());
            assertThrows(IllegalArgumentException.class, () -> posix.mkdirAt(root, new byte[] {'a', 0, 'b'}, 0755));
        } finally {
            posix.close(root);
        }
    }

    private static byte[] cat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
