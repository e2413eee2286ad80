package io.github.erofs4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slices of a mapped file written to another file: the same bytes, and a file cut short under the mapping. */
class MappedFileTest {

    @TempDir
    Path dir;

    private Path file(int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("f" + seed);
        Files.write(p, b);
        return p;
    }

    /** Writes a slice to a new file through the kernel (as extraction does) and returns what arrived. */
    private byte[] written(ByteBuffer slice) throws IOException {
        Path out = Files.createTempFile(dir, "out", "");
        try (FileChannel w = FileChannel.open(out, StandardOpenOption.WRITE)) {
            while (slice.hasRemaining()) {
                w.write(slice);
            }
        }
        return Files.readAllBytes(out);
    }

    @Test
    void slicesAreTheFilesBytes() throws IOException {
        Path p = file(3 * 4096 + 123, 1);
        byte[] want = Files.readAllBytes(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedFile m = MappedFile.map(ch);
            assertNotNull(m);
            assertEquals(want.length, m.size());
            Random r = new Random(2);
            for (int i = 0; i < 50; i++) {
                int pos = r.nextInt(want.length);
                int len = r.nextInt(want.length - pos + 1);
                ByteBuffer s = m.slice(pos, len);
                assertTrue(s.isDirect());
                assertEquals(len, s.remaining());
                assertArrayEquals(Arrays.copyOfRange(want, pos, pos + len), written(s));
            }
            assertEquals(0, m.slice(want.length, 10).remaining());
            assertEquals(5, m.slice(want.length - 5, 10).remaining());
        }
    }

    @Test
    void aFileCutShortUnderTheMappingFailsTheWriteInTheKernel() throws IOException {
        Path p = file(4 * 4096, 3);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedFile m = MappedFile.map(ch);
            assertNotNull(m);
            ByteBuffer gone = m.slice(2 * 4096, 4096);
            try (FileChannel w = FileChannel.open(p, StandardOpenOption.WRITE)) {
                w.truncate(4096);
            }
            // An IOException from write(2) (EFAULT), not an InternalError from a fault in Java code.
            assertThrows(IOException.class, () -> written(gone));
            assertEquals(100, written(m.slice(0, 100)).length);
        }
    }

    @Test
    void anEmptyFileMapsToNothing() throws IOException {
        Path p = dir.resolve("empty");
        Files.write(p, new byte[0]);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedFile m = MappedFile.map(ch);
            assertNotNull(m);
            assertEquals(0, m.size());
            assertEquals(0, m.slice(0, 1).remaining());
        }
    }
}
