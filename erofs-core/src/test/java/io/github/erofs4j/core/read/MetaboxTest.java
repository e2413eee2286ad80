package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.testing.Fixtures;
import io.github.erofs4j.core.testing.Manifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Images whose inodes live in a metabox (mkfs.erofs -m): where the reader finds them, and what it says when the
 * pointers to them are damaged. The fixture {@code metabox} keeps every inode but the metabox inode itself in the
 * metabox; its superblock names the metabox inode (nid 39) and a root nid with bit 63 set.
 */
class MetaboxTest {
    private static final int SB = Erofs.SUPERBLOCK_OFFSET;
    /** Checksums are recomputed by nobody here: the damaged superblocks are read without verifying them. */
    private static final ReadOptions NO_CHECKSUM = ReadOptions.builder().verifyChecksum(false).build();

    private static byte[] fixture() throws IOException {
        return Files.readAllBytes(Fixtures.image("metabox"));
    }

    private static ErofsImage open(byte[] image) throws IOException {
        return ErofsImage.open(ByteSource.of(image), NO_CHECKSUM);
    }

    /** Opens and reads everything, expecting a format error. */
    private static ErofsFormatException damaged(byte[] image) {
        return assertThrows(ErofsFormatException.class, () -> {
            try (ErofsImage img = open(image)) {
                Manifests.of(img, true);
            }
        });
    }

    private static long metaboxNid(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(SB + 128);
    }

    private static void putLong(byte[] image, int at, long v) {
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @Test
    void rootAndEntriesLiveInTheMetabox() throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image("metabox"))) {
            assertTrue(img.hasMetabox());
            assertTrue(img.rootNid() < 0, "root nid has bit 63 set");
            ErofsInode root = img.root();
            assertTrue(root.inMetabox());
            ErofsInode f = img.resolve("big-text.log");
            assertTrue(f.inMetabox());
            assertEquals(160_000, f.readAllBytes().length);
            ErofsInode box = img.inode(metaboxNid(fixture()));
            assertTrue(!box.inMetabox());
            assertEquals(Fixtures.manifest("metabox"), Manifests.of(img, true));
        }
    }

    @Test
    void inlineTailsInTheMetaboxAreNotImageOffsets() throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image("metabox"))) {
            // A small file is all inline tail: its bytes are in the metabox, so no offset of the image holds them.
            ErofsInode small = null;
            for (DirEntry e : img.root().entries()) {
                ErofsInode n = img.inode(e.nid());
                if (n.type() == io.github.erofs4j.core.FileType.REGULAR && n.size() > 0 && n.size() < 100
                        && n.dataLayout() == Erofs.LAYOUT_FLAT_INLINE) {
                    small = n;
                    break;
                }
            }
            assertTrue(small != null, "the fixture has a small inline file at the root");
            var extents = small.dataExtents();
            assertEquals(1, extents.size());
            assertEquals(DataExtent.METABOX, extents.get(0).device());
        }
    }

    @Test
    void metaboxNidWithBit63IsCorrupt() throws IOException {
        byte[] b = fixture();
        putLong(b, SB + 128, metaboxNid(b) | Long.MIN_VALUE);
        ErofsFormatException e = damaged(b);
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind());
        assertEquals(SB + 128, e.offset());
    }

    @Test
    void metaboxNidPastTheImageIsTruncated() throws IOException {
        byte[] b = fixture();
        putLong(b, SB + 128, 1L << 40);
        ErofsFormatException e = damaged(b);
        assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind());
        assertEquals((1L << 40) * 32, e.offset());
    }

    @Test
    void metaboxNidOnSomethingThatIsNoInodeIsCorrupt() throws IOException {
        byte[] b = fixture();
        putLong(b, SB + 128, 0); // the zeros before the superblock: mode 0 is no file type
        ErofsFormatException e = damaged(b);
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind());
        assertEquals(4, e.offset());
    }

    @Test
    void rootPastTheEndOfTheMetaboxIsTruncated() throws IOException {
        byte[] b = fixture();
        putLong(b, SB + 112, Long.MIN_VALUE | (1L << 30));
        ErofsFormatException e = damaged(b);
        assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind());
        // The offset is the inode's place in the metabox's content.
        assertEquals((1L << 30) * 32, e.offset());
        assertTrue(e.structure().startsWith("metabox: "), e.structure());
    }

    @Test
    void shrunkenMetaboxInodeTruncatesTheInodesInIt() throws IOException {
        byte[] b = fixture();
        int box = (int) metaboxNid(b) * 32;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(box + 8, 16); // i_size of the compact inode
        ErofsFormatException e = damaged(b);
        assertEquals(ErofsFormatException.Kind.TRUNCATED, e.kind());
        assertEquals(0, e.offset(), "the root is the first inode of the metabox");
    }

    @Test
    void metaboxNidInAnImageWithoutMetaboxIsCorrupt() throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> img.inode(Long.MIN_VALUE | 1));
            assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind());
        }
    }

    @Test
    void rootNidWithBit63WithoutMetaboxIsCorrupt() throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.image("b48bit"));
        putLong(b, SB + 112, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(SB + 112) | Long.MIN_VALUE);
        ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> open(b).close());
        assertEquals(ErofsFormatException.Kind.CORRUPT, e.kind());
        assertEquals(SB + 112, e.offset());
    }
}
