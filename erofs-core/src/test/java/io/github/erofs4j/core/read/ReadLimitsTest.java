package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each reading limit of {@link ReadOptions}: an image just within it reads, one beyond it ends in an
 * {@link ErofsFormatException} of kind LIMIT naming the limit (a {@link SymlinkLoopException} for symbolic links).
 * The compressed-data limits are tested with the decompressors, in erofs-compress.
 */
class ReadLimitsTest {
    private static byte[] image;

    /** A directory of 300 names, a file with 6 xattrs of 100-byte values, a chain of 5 links, 30 nested dirs. */
    @BeforeAll
    static void build(@TempDir Path tmp) throws IOException {
        FsTree t = new FsTree();
        Node big = t.root().directory("big");
        for (int i = 0; i < 300; i++) {
            big.put(String.format("name-%03d", i), Node.file(new byte[0]));
        }
        Node x = Node.file(new byte[] {1});
        for (int i = 0; i < 6; i++) {
            x.xattr("user.k" + i, new byte[100]);
        }
        t.put("x", x);
        t.put("l0", Node.file(new byte[] {2}));
        for (int i = 1; i <= 5; i++) {
            t.put("l" + i, Node.symlink("l" + (i - 1)));
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            deep.append(i == 0 ? "" : "/").append('d');
        }
        t.mkdirs(deep.toString());
        Path img = tmp.resolve("limits.erofs");
        ErofsWriter.write(t, img, WriteOptions.builder().blockSize(4096).build());
        image = Files.readAllBytes(img);
    }

    private static ErofsImage open(ReadOptions.Builder b) throws IOException {
        return ErofsImage.open(new ByteArrayChannel(image, image.length), b.build());
    }

    private static void assertLimit(String limit, Executable e) {
        ErofsFormatException x = assertThrows(ErofsFormatException.class, e);
        assertEquals(ErofsFormatException.Kind.LIMIT, x.kind(), x.getMessage());
        assertEquals(limit, x.limit().orElseThrow());
        assertTrue(x.getMessage().contains(limit), x.getMessage());
    }

    @Test
    void directoryEntries() throws IOException {
        // 300 names plus "." and "..".
        try (ErofsImage img = open(ReadOptions.builder().maxDirectoryEntries(302))) {
            assertEquals(302, img.resolve("/big").entries().size());
        }
        try (ErofsImage img = open(ReadOptions.builder().maxDirectoryEntries(301))) {
            ErofsInode big = img.resolve("/big");
            assertLimit("maxDirectoryEntries", big::entries);
        }
    }

    @Test
    void directoryBytes() throws IOException {
        try (ErofsImage img = open(ReadOptions.builder())) {
            long size = img.resolve("/big").size();
            assertTrue(size > 4096, "the directory spans blocks: " + size);
            try (ErofsImage at = open(ReadOptions.builder().maxDirectoryBytes(size))) {
                assertEquals(302, at.resolve("/big").entries().size());
            }
            try (ErofsImage below = open(ReadOptions.builder().maxDirectoryBytes(size - 1))) {
                ErofsInode big = below.root().lookup("big").map(e -> inode(below, e)).orElseThrow();
                assertLimit("maxDirectoryBytes", big::entries);
                assertLimit("maxDirectoryBytes", () -> big.lookup("name-001"));
                assertLimit("maxDirectoryBytes", () -> below.resolve("/big/name-001"));
            }
        }
    }

    private static ErofsInode inode(ErofsImage img, DirEntry e) {
        try {
            return img.inode(e.nid());
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    @Test
    void xattrCount() throws IOException {
        try (ErofsImage img = open(ReadOptions.builder().maxXattrs(6))) {
            assertEquals(6, img.resolve("/x").xattrs().size());
        }
        try (ErofsImage img = open(ReadOptions.builder().maxXattrs(5))) {
            ErofsInode x = img.resolve("/x");
            assertLimit("maxXattrs", x::xattrs);
        }
    }

    @Test
    void xattrBytes() throws IOException {
        // Six names of 2 bytes after the "user." index, six values of 100 bytes.
        try (ErofsImage img = open(ReadOptions.builder().maxXattrBytes(612))) {
            assertEquals(6, img.resolve("/x").xattrs().size());
        }
        try (ErofsImage img = open(ReadOptions.builder().maxXattrBytes(611))) {
            ErofsInode x = img.resolve("/x");
            assertLimit("maxXattrBytes", x::xattrs);
        }
    }

    @Test
    void symlinkChain() throws IOException {
        try (ErofsImage img = open(ReadOptions.builder().maxSymlinks(5))) {
            assertEquals(1, img.resolve("/l5", true).size());
        }
        try (ErofsImage img = open(ReadOptions.builder().maxSymlinks(4))) {
            assertThrows(SymlinkLoopException.class, () -> img.resolve("/l5", true));
            assertEquals(FileTypeCheck.SYMLINK, FileTypeCheck.of(img.resolve("/l5", false)), "not followed");
        }
    }

    @Test
    void pathDepth() throws IOException {
        String deep = "/d".repeat(30);
        try (ErofsImage img = open(ReadOptions.builder().maxPathDepth(30))) {
            assertEquals(io.github.erofs4j.core.FileType.DIRECTORY, img.resolve(deep, true).type());
        }
        try (ErofsImage img = open(ReadOptions.builder().maxPathDepth(29))) {
            assertLimit("maxPathDepth", () -> img.resolve(deep, true));
            // Going down and back up again counts the depth reached, not the components read.
            assertEquals(io.github.erofs4j.core.FileType.DIRECTORY,
                    img.resolve("/d/d/../..".repeat(40) + "/d", true).type());
        }
    }

    @Test
    void builderRefusesLimitsBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxDirectoryEntries(0));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxDirectoryBytes(0));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxXattrs(0));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxXattrBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxSymlinks(-1));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxPathDepth(0));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxExtentBytes(0));
        assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.builder().maxExtentBytes(ReadOptions.DEFAULT_MAX_EXTENT_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxDecompressedBytes(0));
        ReadOptions all = ReadOptions.builder().maxDirectoryEntries(7).maxDirectoryBytes(8).maxXattrs(9)
                .maxXattrBytes(10).maxSymlinks(0).maxPathDepth(11).maxExtentBytes(12).maxDecompressedBytes(13).build();
        assertEquals(all, all.toBuilder().build());
        assertEquals(0, all.maxSymlinks());
        assertEquals(13, all.maxDecompressedBytes());
    }

    /** The type of an inode, for a readable assertion. */
    private enum FileTypeCheck {
        SYMLINK, OTHER;

        static FileTypeCheck of(ErofsInode n) {
            return n.type() == io.github.erofs4j.core.FileType.SYMLINK ? SYMLINK : OTHER;
        }
    }
}
