package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compressed directory whose map header points its fragment outside the packed inode, wholly or in part, is an
 * {@link ErofsFormatException} naming the byte offset, not another exception or garbage entries.
 */
class CompressedDirectoryDamageTest {

    @TempDir
    Path tmp;

    @Test
    void fragmentBeyondThePackedInode() throws Exception {
        FsTree tree = new FsTree();
        Node d = tree.root().directory("d");
        for (int i = 0; i < 50; i++) {
            d.put("entry" + i, Node.file(("x" + i).getBytes()));
        }
        Path img = tmp.resolve("z.erofs");
        // No superblock checksum, so that the damaged map header is read rather than refused up front.
        ErofsWriter.write(tree, img, WriteOptions.builder().buildTime(0).superblockChecksum(false)
                .compression(Compression.builder("lz4hc").directories(true).build()).build());
        byte[] bytes = Files.readAllBytes(img);
        long dirNid;
        long mapAt;
        long packedSize;
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode dir = image.resolve("/d");
            assertEquals(Erofs.LAYOUT_COMPRESSED_FULL, dir.dataLayout());
            dirNid = dir.nid();
            mapAt = (dir.inodeOffset() + (dir.extendedInode() ? 64 : 32) + dir.xattrBodySize() + 7) & ~7L;
            packedSize = image.inode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                    .getLong(Erofs.SUPERBLOCK_OFFSET + 96)).size();
        }
        for (long offset : new long[] {packedSize - 5, packedSize + 4096, 1L << 40}) {
            byte[] bad = bytes.clone();
            ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong((int) mapAt, offset | 1L << 63);
            Path p = tmp.resolve("bad.erofs");
            Files.write(p, bad);
            try (ErofsImage image = ErofsImage.open(p)) {
                ErofsFormatException e = assertThrows(ErofsFormatException.class,
                        () -> image.inode(dirNid).children(), "fragment at " + offset);
                assertTrue(e.getMessage().contains("at byte"), e.getMessage());
            }
        }
    }
}
