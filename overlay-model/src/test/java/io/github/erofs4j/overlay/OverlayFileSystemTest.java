package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.read.SymlinkLoopException;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The merged view's file system on a small hand-made stack: what it refuses, shares and closes. */
class OverlayFileSystemTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static FileSystem fs() throws Exception {
        FsTree upper = new FsTree();
        upper.put("gone", Node.charDevice(0, 0));
        Node f = Node.file(b("0123456789")).xattr("user.note", b("hi")).xattr("trusted.secret", b("x"));
        upper.put("dir/file", f);
        upper.put("dir/link", f);
        upper.put("up", Node.symlink("dir/../dir/file"));
        upper.put("loop", Node.symlink("loop"));
        FsTree lower = new FsTree();
        lower.put("gone", Node.file(b("old")));
        lower.put("dir/low", Node.file(b("lower")));
        return OverlayStack.builder().upper(Layer.of("u", upper)).lower(Layer.of("l", lower)).build().merge()
                .newFileSystem();
    }

    @Test
    void readsListsAndFollows() throws Exception {
        try (FileSystem fs = fs()) {
            Path root = fs.getPath("/");
            try (Stream<Path> s = Files.list(root.resolve("dir"))) {
                assertEquals(List.of("/dir/file", "/dir/link", "/dir/low"), s.map(Path::toString).toList());
            }
            assertFalse(Files.exists(fs.getPath("/gone")));
            assertArrayEquals(b("lower"), Files.readAllBytes(fs.getPath("dir/low")));
            assertArrayEquals(b("0123456789"), Files.readAllBytes(fs.getPath("/up")));
            assertEquals(fs.getPath("/dir/file"), fs.getPath("/up").toRealPath());
            assertEquals(fs.getPath("/up"), fs.getPath("/up").toRealPath(LinkOption.NOFOLLOW_LINKS));
            assertEquals(fs.getPath("dir/../dir/file"), Files.readSymbolicLink(fs.getPath("/up")));
            assertTrue(Files.isSameFile(fs.getPath("/dir/file"), fs.getPath("/dir/link")));
            assertFalse(Files.isSameFile(fs.getPath("/dir/file"), fs.getPath("/dir/low")));
            assertEquals(Files.getAttribute(fs.getPath("/dir/file"), "unix:ino"),
                    Files.getAttribute(fs.getPath("/up"), "unix:ino"));
            assertThrows(SymlinkLoopException.class, () -> Files.readAttributes(fs.getPath("/loop"), "size"));
            assertThrows(NotDirectoryException.class, () -> Files.size(fs.getPath("/dir/file/x")));
            assertThrows(NoSuchFileException.class, () -> Files.size(fs.getPath("/dir/none")));
            UserDefinedFileAttributeView v = Files.getFileAttributeView(fs.getPath("/up"),
                    UserDefinedFileAttributeView.class);
            assertEquals(List.of("note"), v.list());
            ByteBuffer buf = ByteBuffer.allocate(2);
            v.read("note", buf);
            assertArrayEquals(b("hi"), buf.array());
            assertTrue(fs.getPathMatcher("glob:/dir/*").matches(fs.getPath("/dir/low")));
            try (SeekableByteChannel ch = Files.newByteChannel(fs.getPath("/dir/file"))) {
                ByteBuffer two = ByteBuffer.allocate(2);
                ch.position(7).read(two);
                assertArrayEquals(b("78"), two.array());
                ch.position(1);
                two.clear();
                ch.read(two);
                assertArrayEquals(b("12"), two.array());
                assertEquals(-1, ch.position(10).read(two.clear()));
            }
        }
    }

    @Test
    void refusesWritesAndClosesItsChannels() throws Exception {
        FileSystem fs = fs();
        Path file = fs.getPath("/dir/file");
        assertTrue(fs.isReadOnly());
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(file, StandardOpenOption.WRITE));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(file));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(fs.getPath("/new")));
        assertThrows(AccessDeniedException.class, () -> file.getFileSystem().provider().checkAccess(file,
                AccessMode.WRITE));
        assertThrows(ProviderMismatchException.class, () -> file.resolve(Path.of("x")));
        SeekableByteChannel ch = Files.newByteChannel(file);
        fs.close();
        assertFalse(ch.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedFileSystemException.class, () -> Files.size(file));
    }
}
