package io.github.erofs4j.core.write;

import io.github.erofs4j.core.internal.Records;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.MapHeader;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The map encoder against mkfs.erofs: for every compressed file of the golden images, the extents the reader
 * finds are encoded again, and the map header and indexes must equal the image's bytes.
 */
class ZMapEncoderFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"lz4", "lz4hc-big", "lz4hc-legacy", "lz4hc-ztail", "lzma", "deflate"})
    void mapsEqualMkfsErofs(String fixture) throws IOException {
        int checked = 0;
        try (ErofsImage img = ErofsImage.open(Fixtures.image(fixture));
                FileChannel ch = FileChannel.open(Fixtures.image(fixture), StandardOpenOption.READ)) {
            boolean big = Records.superBlock(img).hasIncompat(Feature.INCOMPAT_BIG_PCLUSTER);
            int bits = Integer.numberOfTrailingZeros(img.blockSize());
            List<ErofsInode> todo = new ArrayList<>(List.of(img.root()));
            while (!todo.isEmpty()) {
                ErofsInode dir = todo.remove(todo.size() - 1);
                for (DirEntry e : dir.children()) {
                    ErofsInode n = img.inode(e.nid());
                    if (n.type() == FileType.DIRECTORY) {
                        todo.add(n);
                    } else if (n.type() == FileType.REGULAR && n.compressed()) {
                        check(ch, img, n, big, bits);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 10, "compressed files checked: " + checked);
    }

    private static void check(FileChannel ch, ErofsImage img, ErofsInode n, boolean big, int bits)
            throws IOException {
        int bs = 1 << bits;
        int isize = (n.extendedInode() ? 64 : 32) + n.xattrBodySize();
        long mapPos = n.inodeOffset() + ((isize + 7) & ~7);
        ByteBuffer hb = ByteBuffer.allocate(8);
        ch.read(hb, mapPos);
        byte[] header = hb.array();
        int idata = (header[2] & 0xFF) | (header[3] & 0xFF) << 8;
        int advise = (header[4] & 0xFF) | (header[5] & 0xFF) << 8;
        List<DataExtent> ext = n.dataExtents();
        long blocks = Records.core(n).u();
        long first = -1;
        for (int i = 0; i < ext.size() - (idata > 0 ? 1 : 0); i++) {
            DataExtent d = ext.get(i);
            if (d.physicalOffset() >= 0 && (first < 0 || d.physicalOffset() < first)) {
                first = d.physicalOffset();
            }
        }
        if (first < 0) {
            // Only an inline tail: no pcluster in the data area. mkfs.erofs still records the data block it had
            // reserved (readers never use it); take it from the image to compare the rest.
            assertTrue(n.dataLayout() == Erofs.LAYOUT_COMPRESSED_COMPACT && idata > 0, "nid " + n.nid());
            ByteBuffer w = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(w, mapPos + MapHeader.SIZE + 4);
            first = (w.getInt(0) + (big ? 0L : 1L)) << bits;
        }
        List<ZSegmentEncoder.Extent> extents = new ArrayList<>();
        for (int i = 0; i < ext.size(); i++) {
            DataExtent d = ext.get(i);
            boolean inline = idata > 0 && i == ext.size() - 1;
            int plen;
            if (inline) {
                plen = bs;
            } else if (i + 1 < ext.size() && !(idata > 0 && i + 1 == ext.size() - 1)) {
                plen = (int) (ext.get(i + 1).physicalOffset() - d.physicalOffset());
            } else {
                plen = (int) (first + blocks * bs - d.physicalOffset());
            }
            extents.add(new ZSegmentEncoder.Extent((int) d.length(), plen, !d.compressed(), inline));
        }
        ZMapEncoder enc = new ZMapEncoder(extents, n.size(), bits, big, first >> bits);
        int algorithm = header[6] & 0xFF;
        byte[] ours;
        if (n.dataLayout() == Erofs.LAYOUT_COMPRESSED_FULL) {
            ours = enc.full(advise, algorithm, idata);
        } else {
            ours = enc.compact(advise, algorithm, idata, ((isize + 7) & ~7) + MapHeader.SIZE, first >> bits);
        }
        ByteBuffer theirs = ByteBuffer.allocate(ours.length);
        ch.read(theirs, mapPos);
        assertArrayEquals(theirs.array(), ours, () -> "map of nid " + n.nid() + " (" + extents + ")");
    }
}
