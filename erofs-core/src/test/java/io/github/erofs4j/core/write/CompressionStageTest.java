package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files compressed through the stage: the same results whatever the thread count; incompressible files left. */
class CompressionStageTest {
    @TempDir
    Path tmp;

    @Test
    void sameResultWithAndWithoutWorkersAndMultiSegmentFiles() throws IOException {
        List<FileContent> files = new ArrayList<>();
        Random r = new Random(7);
        files.add(FileContent.of(ZSegmentEncoderPropertyTest.data(100, 2, r)));
        files.add(FileContent.of(ZSegmentEncoderPropertyTest.data(50_000, 0, r))); // random: stays plain
        files.add(FileContent.of(new byte[ZSegmentEncoder.SEGMENT_SIZE + 5000])); // two segments of zeros
        files.add(FileContent.of(ZSegmentEncoderPropertyTest.data(200_000, 3, r)));
        files.add(FileContent.of(ZSegmentEncoderPropertyTest.data(9_000, 2, r)));
        CompressionStage.Settings s = new CompressionStage.Settings(12, 16384, true, true, true, 0, Long.MAX_VALUE);
        List<String> single = describe(s, files, null);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            assertEquals(single, describe(s, files, pool));
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> describe(CompressionStage.Settings s, List<FileContent> files, ExecutorService pool)
            throws IOException {
        List<String> out = new ArrayList<>();
        try (CompressionStage st = new CompressionStage(s, () -> ZSegmentEncoderPropertyTest.BISECT, pool, tmp)) {
            List<ZFile> z = st.compress(files, e -> { });
            assertEquals(files.size(), z.size());
            assertNull(z.get(1), "random data is not worth compressing");
            assertNotNull(z.get(2));
            assertTrue(z.get(2).extents.size() >= 2);
            for (ZFile f : z) {
                if (f == null) {
                    out.add("plain");
                    continue;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                st.copy(f, Channels.newChannel(bytes));
                assertEquals(f.dataBytes, bytes.size());
                out.add(f.extents + " " + java.util.Arrays.hashCode(bytes.toByteArray()) + " "
                        + java.util.Arrays.toString(f.map(32, 100)));
            }
        }
        try (var l = Files.list(tmp)) {
            assertEquals(0, l.count(), "spool left behind");
        }
        return out;
    }
}
