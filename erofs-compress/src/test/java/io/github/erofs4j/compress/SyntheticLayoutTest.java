package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Layouts no mkfs.erofs writes, made by editing a real image: HEAD2 lclusters (the second algorithm slot) must read
 * like HEAD1 ones when both slots name the same algorithm, and an extent naming an algorithm the superblock does not
 * enable is an error, not a guess.
 */
class SyntheticLayoutTest {

    /** Full-layout compressed regular files of lz4hc-legacy: path to inode. */
    private static Map<String, ErofsInode> fullLayoutFiles(ErofsImage img) throws Exception {
        Map<String, ErofsInode> out = new LinkedHashMap<>();
        for (DirEntry d : img.root().children()) {
            ErofsInode n = img.inode(d.nid());
            if (n.type() == FileType.REGULAR && n.dataLayout() == Erofs.LAYOUT_COMPRESSED_FULL && n.size() > 8192) {
                out.put(d.name(), n);
            }
        }
        return out;
    }

    /** Stores a fresh superblock checksum (the edited inodes live in block 0, which it covers). */
    private static void reseal(byte[] img) {
        int len = io.github.erofs4j.core.format.SuperBlock.checksumLength(4096);
        long crc = io.github.erofs4j.core.format.SuperBlock.checksum(img, len);
        java.nio.ByteBuffer.wrap(img).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(Erofs.SUPERBLOCK_OFFSET + 4,
                (int) crc);
    }

    private static long headerPos(ErofsInode n) {
        return (n.inodeOffset() + (n.extendedInode() ? 64 : 32) + n.xattrBodySize() + 7) & ~7L;
    }

    @Test
    void head2ReadsLikeHead1() throws Exception {
        byte[] img = Files.readAllBytes(TestImages.image("lz4hc-legacy"));
        Map<String, byte[]> expected = new LinkedHashMap<>();
        int patched = 0;
        try (ErofsImage orig = ErofsImage.open(TestImages.image("lz4hc-legacy"))) {
            for (Map.Entry<String, ErofsInode> e : fullLayoutFiles(orig).entrySet()) {
                ErofsInode n = e.getValue();
                expected.put(e.getKey(), n.readAllBytes());
                int h = (int) headerPos(n);
                img[h + 6] = 0x00; // HEAD1 and HEAD2 both lz4
                long count = (n.size() + 4095) / 4096;
                for (long i = 0; i < count; i++) {
                    int at = (int) (h + 16 + 8 * i);
                    if ((img[at] & 3) == 1) { // HEAD1 -> HEAD2
                        img[at] |= 3;
                        patched++;
                    }
                }
            }
        }
        assertTrue(patched > 10, "patched " + patched + " heads");
        reseal(img);
        try (ByteArrayChannel ch = new ByteArrayChannel(img, img.length);
                ErofsImage edited = ErofsImage.open(ch, ReadOptions.defaults())) {
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertArrayEquals(e.getValue(), edited.resolve(e.getKey()).readAllBytes(), e.getKey());
            }
        }
    }

    @Test
    void algorithmNotEnabledIsAnError() throws Exception {
        byte[] img = Files.readAllBytes(TestImages.image("lz4hc-legacy"));
        String name;
        try (ErofsImage orig = ErofsImage.open(TestImages.image("lz4hc-legacy"))) {
            Map.Entry<String, ErofsInode> e = fullLayoutFiles(orig).entrySet().iterator().next();
            name = e.getKey();
            img[(int) headerPos(e.getValue()) + 6] = 0x03; // HEAD1 = zstd, which this lz4-only image lacks
        }
        reseal(img);
        try (ByteArrayChannel ch = new ByteArrayChannel(img, img.length);
                ErofsImage edited = ErofsImage.open(ch, ReadOptions.defaults())) {
            ErofsInode n = edited.resolve(name);
            ErofsFormatException ex = org.junit.jupiter.api.Assertions.assertThrows(ErofsFormatException.class,
                    n::readAllBytes);
            assertEquals(ErofsFormatException.Kind.CORRUPT, ex.kind(), ex.getMessage());
            assertTrue(ex.getMessage().contains("zstd") && ex.getMessage().contains("does not enable"),
                    ex.getMessage());
            assertEquals(true, ex.offset() > 0, ex.getMessage());
        }
    }
}
