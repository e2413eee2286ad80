package io.github.erofs4j.compress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.read.SymlinkLoopException;
import io.github.erofs4j.core.read.Xattr;
import io.github.erofs4j.core.spi.Lz4Decoder;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the reader: the input is an image. It is opened and walked completely (superblock,
 * inodes, directories with every lookup, xattrs, symlinks, path resolution, chunk and compressed maps, the data of
 * every file through every decoder) and must end in a result or an {@link ErofsFormatException}: any other
 * exception, a hang or an {@link OutOfMemoryError} is a finding. The seeds ({@code ImageFuzzTestInputs/walk}) are
 * small images written by {@code testdata/tools/fuzz-seeds.sh} with each option set of the golden fixtures; the
 * build runs them and every finding kept there as regression inputs.
 */
class ImageFuzzTest {
    /** What one input may read in all: a hostile image may declare huge sparse files. */
    private static final long READ_BUDGET = 4L << 20;

    @FuzzTest(maxDuration = "10m")
    void walk(byte[] image) throws IOException {
        // The last byte picks the LZ4 decoder, so both are fuzzed with the same images.
        Lz4Decoder lz4 = image.length > 0 && (image[image.length - 1] & 1) != 0 ? Lz4Decoder.LZ4_JAVA
                : Lz4Decoder.BUILTIN;
        ReadOptions opts = ReadOptions.builder().verifyChecksum(false).cacheBytes(1 << 20).lz4Decoder(lz4).build();
        try (ByteArrayChannel ch = new ByteArrayChannel(image, image.length);
             ErofsImage img = ErofsImage.open(ch, opts)) {
            walkAll(img);
        } catch (ErofsFormatException expected) {
            // a clean rejection
        }
    }

    static void walkAll(ErofsImage img) throws IOException {
        long[] budget = {READ_BUDGET};
        byte[] buf = new byte[16384];
        Set<Long> seen = new HashSet<>();
        ArrayDeque<ErofsInode> todo = new ArrayDeque<>();
        todo.add(img.root());
        img.volumeLabel();
        img.uuid();
        while (!todo.isEmpty()) {
            ErofsInode n = todo.poll();
            if (!seen.add(n.nid())) {
                continue;
            }
            for (Xattr x : n.xattrs()) {
                n.xattr(x.name());
            }
            switch (n.type()) {
                case DIRECTORY -> {
                    List<DirEntry> entries = n.entries();
                    for (DirEntry e : entries) {
                        // A damaged directory may list names out of order; lookup need not find them then.
                        n.lookup(e.nameBytes());
                        if (!e.isDotOrDotDot() && seen.size() + todo.size() < 4096) {
                            todo.add(img.inode(e.nid()));
                        }
                    }
                    n.lookup("no-such-name");
                }
                case SYMLINK -> n.readSymlink();
                case REGULAR -> readData(n, buf, budget);
                default -> { }
            }
        }
        for (String path : new String[] {"/d/link", "/d/e/zeros", "/a", "/d/longlink/x"}) {
            try {
                img.resolve(path, true);
            } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException
                     | SymlinkLoopException expected) {
                // the path need not exist in a mutated image
            }
        }
    }

    private static void readData(ErofsInode n, byte[] buf, long[] budget) throws IOException {
        long covered = 0;
        for (DataExtent e : n.dataExtents()) {
            if (e.logicalOffset() != covered) {
                throw new AssertionError("extents of nid " + n.nid() + " not contiguous at " + covered);
            }
            covered += e.length();
        }
        if (covered != n.size()) {
            throw new AssertionError("extents of nid " + n.nid() + " cover " + covered + " of " + n.size());
        }
        long end = Math.min(n.size(), budget[0]);
        long pos = 0;
        while (pos < end) {
            int r = n.read(pos, buf, 0, (int) Math.min(buf.length, end - pos));
            if (r <= 0) {
                throw new AssertionError("read of nid " + n.nid() + " returned " + r + " at " + pos);
            }
            pos += r;
        }
        budget[0] -= end;
        // And a read at the far end, where a hostile map is most likely to point outside.
        if (n.size() > 0) {
            n.read(n.size() - 1, buf, 0, 1);
        }
    }
}
