package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.testing.KernelTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse files take no data block, read back as zeros, and leave small files flat and inline. */
class HoleContentTest {
    @Test
    void holesTakeNoData(@TempDir Path dir) throws Exception {
        FsTree t = new FsTree();
        long[] sizes = {1, 4095, 4096, 4097, 10L << 20, (1L << 32) + 5};
        for (long s : sizes) {
            t.put("h" + s, Node.file(FileContent.hole(s)));
        }
        t.put("small", Node.file(new byte[] {1, 2, 3}));
        Path img = dir.resolve("h.erofs");
        ErofsWriter.write(t, img, WriteOptions.defaults());
        // The small file's tail is inline; the holes add metadata only.
        assertEquals(4096, Files.size(img), "image size");
        try (ErofsImage im = ErofsImage.open(img)) {
            for (long s : sizes) {
                ErofsInode in = im.resolve("h" + s);
                assertEquals(s, in.size());
                if (s < (1 << 24)) {
                    try (InputStream is = java.nio.channels.Channels.newInputStream(in.newByteChannel())) {
                        byte[] all = is.readAllBytes();
                        assertEquals(s, all.length);
                        for (byte b : all) {
                            assertEquals(0, b);
                        }
                    }
                }
            }
        }
        if (KernelTools.machineProblem() == null) {
            List<String> out = KernelTools.fsck(img);
            assertEquals(List.of(), out.stream().filter(l -> l.contains("rror")).toList());
        }
    }
}
