package io.github.erofs4j.core.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErofsFileSystemTest {
    FileSystem fs;

    @BeforeEach
    void open() throws IOException {
        fs = FileSystems.newFileSystem(Fixtures.image("plain"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    @Test
    void providerIsInstalledAndFsIsReadOnly() throws IOException {
        assertEquals("erofs", fs.provider().getScheme());
        assertTrue(fs.isReadOnly());
        Path f = fs.getPath("/hl-1");
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.write(f, new byte[1]));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(f, StandardOpenOption.WRITE));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(f));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(fs.getPath("/new")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createSymbolicLink(fs.getPath("/l"), f));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createLink(fs.getPath("/l"), f));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.copy(f, fs.getPath("/c")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.move(f, fs.getPath("/c")));
        assertThrows(ReadOnlyFileSystemException.class,
                () -> Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files
                .getFileAttributeView(f, UserDefinedFileAttributeView.class).write("x", ByteBuffer.allocate(1)));
        assertFalse(Files.isWritable(f));
        assertTrue(Files.isReadable(f));
        assertTrue(Files.getFileStore(f).isReadOnly());
        assertEquals("erofs", Files.getFileStore(f).type());
    }

    @Test
    void hardLinksAreTheSameFile() throws IOException {
        Path a = fs.getPath("/hl-1");
        Path b = fs.getPath("hl-2");
        Path c = fs.getPath("/deep/hl-3");
        assertTrue(Files.isSameFile(a, b));
        assertTrue(Files.isSameFile(a, c));
        assertFalse(Files.isSameFile(a, fs.getPath("/big-text.log")));
        assertEquals(Files.getAttribute(a, "unix:ino"), Files.getAttribute(c, "unix:ino"));
        assertEquals(3, Files.getAttribute(a, "unix:nlink"));
    }

    @Test
    void unixAttributesMatchTheReader() throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            var inode = img.resolve("/block-dev");
            Map<String, Object> m = Files.readAttributes(fs.getPath("/block-dev"), "unix:*");
            assertEquals(inode.nid(), m.get("ino"));
            assertEquals(inode.mode(), m.get("mode"));
            assertEquals(8L * 256 + 1, m.get("rdev"));
            Map<String, Object> some = Files.readAttributes(fs.getPath("/block-dev"), "unix:uid,gid,nlink");
            assertEquals(List.of("uid", "gid", "nlink"), List.copyOf(some.keySet()));
            assertThrows(IllegalArgumentException.class,
                    () -> Files.readAttributes(fs.getPath("/block-dev"), "unix:bogus"));
            PosixFileAttributes pa = Files.readAttributes(fs.getPath("/hl-1"), PosixFileAttributes.class);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(pa.permissions()));
            assertEquals("0", pa.owner().getName());
        }
    }

    @Test
    void symlinksAndUserXattrs() throws IOException {
        Path abs = fs.getPath("/sym-abs");
        assertEquals("/etc/passwd", Files.readSymbolicLink(abs).toString());
        assertTrue(Files.isSymbolicLink(abs));
        assertFalse(Files.exists(fs.getPath("/sym-dangling")));
        assertTrue(Files.exists(fs.getPath("/sym-dangling"), LinkOption.NOFOLLOW_LINKS));
        assertThrows(NotLinkException.class, () -> Files.readSymbolicLink(fs.getPath("/hl-1")));
        Path shortLink = fs.getPath("/sym-short");
        assertArrayEquals(Files.readAllBytes(fs.getPath("/text/doc-01.txt")), Files.readAllBytes(shortLink));
        assertEquals(fs.getPath("/text/doc-01.txt"), shortLink.toRealPath());
        UserDefinedFileAttributeView uv = Files.getFileAttributeView(fs.getPath("/size-1"),
                UserDefinedFileAttributeView.class);
        assertEquals(List.of("comment"), uv.list());
        ByteBuffer b = ByteBuffer.allocate(uv.size("comment"));
        uv.read("comment", b);
        assertEquals("a small comment", new String(b.array(), java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(b.array(), (byte[]) Files.getAttribute(fs.getPath("/size-1"), "user:comment"));
    }

    @Test
    void dotDotAndCachedDirectories() throws IOException {
        assertEquals(3000, Files.size(fs.getPath("/deep/../hl-1")));
        assertTrue(Files.isDirectory(fs.getPath("/deep/a/b/../b/c")));
        assertTrue(Files.isDirectory(fs.getPath("deep/a/b/c")));
        assertEquals(5, Files.size(fs.getPath("/deep/a/b/c/d/e/f/g/h/leaf.txt")));
        assertEquals(5, Files.size(fs.getPath("/deep/a/b/c/d/e/f/g/h/../h/leaf.txt")));
        assertEquals(fs.getPath("/deep/a"), fs.getPath("/deep/a/b/..").toRealPath());
        assertThrows(NoSuchFileException.class, () -> Files.size(fs.getPath("/deep/a/nope/c")));
        assertThrows(NotDirectoryException.class, () -> Files.size(fs.getPath("/hl-1/x")));
        try (var s = Files.list(fs.getPath("/deep"))) {
            for (Path p : s.toList()) {
                assertEquals(Files.readAttributes(p, "unix:ino", LinkOption.NOFOLLOW_LINKS),
                        Files.readAttributes(fs.getPath(p.toString()), "unix:ino", LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    @Test
    void errorsLikeTheDefaultFileSystem() {
        assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(fs.getPath("/missing")));
        assertThrows(NotDirectoryException.class, () -> Files.list(fs.getPath("/hl-1")).close());
        assertThrows(IOException.class, () -> Files.readAllBytes(fs.getPath("/deep")));
    }

    @Test
    void pathOperations() {
        Path p = fs.getPath("/a/b/../c/./d");
        assertEquals("/a/c/d", p.normalize().toString());
        assertEquals("/a/b", fs.getPath("/a/b/").toString());
        assertEquals(fs.getPath("/a"), fs.getPath("/a/b").getParent());
        assertEquals(fs.getPath("/"), fs.getPath("/a").getParent());
        assertNull(fs.getPath("/").getParent());
        assertNull(fs.getPath("a").getParent());
        assertEquals("../x/y", fs.getPath("/a/b").relativize(fs.getPath("/a/x/y")).toString());
        assertEquals("/a/b/c", fs.getPath("/a").resolve("b/c").toString());
        assertEquals(3, fs.getPath("/a/b/c").getNameCount());
        assertEquals("b/c", fs.getPath("/a/b/c").subpath(1, 3).toString());
        assertTrue(fs.getPath("/a/b/c").startsWith(fs.getPath("/a/b")));
        assertFalse(fs.getPath("/a/bc").startsWith(fs.getPath("/a/b")));
        assertTrue(fs.getPath("/a/b/c").endsWith(fs.getPath("b/c")));
        assertTrue(fs.getPathMatcher("glob:**/*.{txt,log}").matches(fs.getPath("/x/y/z.log")));
        assertFalse(fs.getPathMatcher("glob:*.txt").matches(fs.getPath("/x/z.txt")));
        assertTrue(fs.getPathMatcher("regex:.*z\\.t.t").matches(fs.getPath("/x/z.txt")));
    }

    @Test
    void uriRoundTripAndClose() throws IOException {
        Path img = Fixtures.image("compact").toAbsolutePath();
        URI uri = URI.create("erofs:" + img.toUri());
        try (FileSystem ufs = FileSystems.newFileSystem(uri, Map.of())) {
            Path inner = ufs.getPath("/deep/hl-3");
            URI u = inner.toUri();
            assertEquals("erofs", u.getScheme());
            Path back = Path.of(u);
            assertEquals(inner, back);
            assertSame(ufs, FileSystems.getFileSystem(uri));
            assertEquals(3000, Files.size(back));
        }
        assertThrows(java.nio.file.FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(uri));
        FileSystem other = FileSystems.newFileSystem(Fixtures.image("compact"));
        other.close();
        assertThrows(ClosedFileSystemException.class, () -> Files.size(other.getPath("/hl-1")));
    }

    @Test
    void notAnImageIsLeftToOtherProviders() throws IOException {
        Path tmp = Files.createTempFile("not-erofs", ".bin");
        try {
            Files.write(tmp, new byte[4096]);
            assertThrows(java.nio.file.ProviderNotFoundException.class, () -> FileSystems.newFileSystem(tmp));
        } finally {
            Files.delete(tmp);
        }
    }
}
