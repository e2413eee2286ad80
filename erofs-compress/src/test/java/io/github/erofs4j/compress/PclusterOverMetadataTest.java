package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.extract.CheckReport;
import io.github.erofs4j.core.extract.ExtractOptions;
import io.github.erofs4j.core.extract.ExtractSummary;
import io.github.erofs4j.core.extract.ImageChecker;
import io.github.erofs4j.core.extract.ImageExtractor;
import io.github.erofs4j.core.extract.Problem;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile layout of compressed data (the others are in erofs-core {@code HostileImageLayoutTest}): a pcluster
 * whose block address points at block 0, over the superblock and the inode table. Reading, checking and
 * extracting give the decoded bytes of whatever is there or an {@link ErofsFormatException} naming an offset, as a
 * reported problem; never another exception or a hang (the timeouts only guard against hangs).
 */
class PclusterOverMetadataTest {
    private static final Duration HANG = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void pclusterOverTheMetadataDecodesOrFailsWithAnOffset() throws Exception {
        Path img = tmp.resolve("overlap.erofs");
        byte[] bytes = Files.readAllBytes(Fixtures.image("lz4hc-legacy"));
        long victim;
        try (ErofsImage image = ErofsImage.open(Fixtures.image("lz4hc-legacy"))) {
            ErofsInode in = largestCompressed(image, image.root());
            victim = in.nid();
            long blk = in.dataExtents().get(0).physicalOffset() / image.blockSize();
            // The pcluster's block address lives in the inode's lcluster map after the inode: full (legacy)
            // indexes of 8 bytes, the block address in the last 4, aligned to 8 like the inode. The head index
            // of the first pcluster becomes block 0, which holds the superblock and the inode table.
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int from = (int) in.inodeOffset();
            int patched = 0;
            for (int i = from + 4; i < from + 1024 && patched == 0; i += 8) {
                if ((b.getInt(i) & 0xFFFFFFFFL) == blk) {
                    b.putInt(i, 0);
                    patched++;
                }
            }
            assertEquals(1, patched, "block address " + blk + " not found in the map");
        }
        Files.write(img, withChecksum(bytes));
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode in = image.inode(victim);
            List<DataExtent> x = in.dataExtents();
            assertTrue(x.get(0).physicalOffset() < image.blockSize(), "the pcluster is over block 0: " + x);
            ErofsFormatException failed = null;
            try {
                byte[] all = assertTimeoutPreemptively(HANG, in::readAllBytes);
                assertEquals(in.size(), all.length);
            } catch (Exception e) { // assertTimeoutPreemptively rethrows what the reader threw
                assertTrue(e instanceof ErofsFormatException f && f.offset() >= 0, e::toString);
                failed = (ErofsFormatException) e;
            }
            CheckReport check = assertTimeoutPreemptively(HANG, () -> ImageChecker.check(image));
            for (Problem p : check.problems()) {
                assertTrue(p.offset() >= 0, p::toString);
            }
            // The checker reads every byte of every file: it finds what the read found, at the same offset.
            long at = failed == null ? -1 : failed.offset();
            assertEquals(failed == null ? 0 : 1, check.problems().stream().filter(p -> p.offset() == at).count(),
                    check::toString);
            ExtractSummary s = assertTimeoutPreemptively(HANG,
                    () -> ImageExtractor.extract(image, tmp.resolve("out"), ExtractOptions.defaults()));
            assertEquals(check.problems(), s.check().problems());
        }
    }

    /** The largest file below {@code dir} whose data starts with a compressed extent, or null. */
    private static ErofsInode largestCompressed(ErofsImage image, ErofsInode dir) throws IOException {
        ErofsInode best = null;
        for (DirEntry e : dir.children()) {
            ErofsInode in = image.inode(e.nid());
            ErofsInode cand = in.type() == FileType.DIRECTORY ? largestCompressed(image, in)
                    : in.compressed() && in.dataExtents().get(0).compressed() ? in : null;
            if (cand != null && (best == null || cand.size() > best.size())) {
                best = cand;
            }
        }
        return best;
    }

    private static byte[] withChecksum(byte[] img) {
        SuperBlock sb = SuperBlock.decode(ByteBuffer.wrap(img), Erofs.SUPERBLOCK_OFFSET);
        long sum = SuperBlock.checksum(img, SuperBlock.checksumLength(sb.blockSize()));
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(Erofs.SUPERBLOCK_OFFSET + SuperBlock.CHECKSUM_OFFSET,
                (int) sum);
        return img;
    }
}
