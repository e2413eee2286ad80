package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With compression and a chunk size, as with mkfs.erofs: a file that compresses is compressed; one that does not
 * falls back to chunks (and so shares duplicate chunks), not to flat data.
 */
class CompressedChunkMixTest {
    @TempDir
    Path dir;

    @Test
    void compressibleCompressedTheRestChunked() throws Exception {
        byte[] text = "the same line again and again\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        byte[] noise = new byte[5 * 8192];
        new Random(7).nextBytes(noise);
        FsTree tree = new FsTree();
        tree.root().put(b("text"), Node.file(FileContent.of(text)));
        tree.root().put(b("noise"), Node.file(FileContent.of(noise)));
        tree.root().put(b("noise-copy"), Node.file(FileContent.of(noise.clone())));
        Path img = dir.resolve("t.erofs");
        ErofsWriter.write(tree, img, WriteOptions.builder().chunkSize(8192)
                .compression(Compression.builder("lz4hc").build()).build());
        try (ErofsImage image = ErofsImage.open(img)) {
            ErofsInode t = image.resolve("/text");
            ErofsInode n = image.resolve("/noise");
            ErofsInode c = image.resolve("/noise-copy");
            assertEquals(true, t.compressed());
            assertEquals(4, n.dataLayout(), "noise is chunk-based");
            assertEquals(4, c.dataLayout(), "its copy is chunk-based");
            assertArrayEquals(text, t.readAllBytes());
            assertArrayEquals(noise, n.readAllBytes());
            assertArrayEquals(noise, c.readAllBytes());
            // Five 8 KiB chunks of noise stored once, shared by both files; text compresses to far less.
            assertEquals(true, java.nio.file.Files.size(img) < 2L * noise.length, "duplicate chunks shared");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
