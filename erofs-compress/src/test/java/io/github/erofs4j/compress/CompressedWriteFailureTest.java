package io.github.erofs4j.compress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A source that fails while it is compressed: the error names it, and no image (nor spool) is left behind. */
class CompressedWriteFailureTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void unreadableSourceNamedAndNothingLeft(int workers) throws IOException {
        FsTree tree = new FsTree();
        tree.root().put("ok.txt".getBytes(StandardCharsets.UTF_8),
                Node.file(FileContent.of(new byte[100_000])));
        long size = 3L << 20;
        tree.root().put("vanishing.bin".getBytes(StandardCharsets.UTF_8), Node.file(FileContent.of(size, () ->
                new InputStream() {
                    long left = size / 2;

                    @Override
                    public int read() throws IOException {
                        if (left-- <= 0) {
                            throw new IOException("Input/output error");
                        }
                        return 'a';
                    }
                }, "/src/vanishing.bin")));
        Path img = dir.resolve("out.erofs");
        WriteOptions opt = WriteOptions.builder().workers(workers)
                .compression(Compression.builder("lz4hc").spoolDirectory(dir).build()).build();
        IOException e = assertThrows(IOException.class, () -> ErofsWriter.write(tree, img, opt));
        assertTrue(String.valueOf(e.getMessage()).contains("vanishing.bin"), e.toString());
        assertFalse(Files.exists(img));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty(), "files left behind");
        }
    }
}
