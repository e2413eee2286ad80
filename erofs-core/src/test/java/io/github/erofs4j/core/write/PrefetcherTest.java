package io.github.erofs4j.core.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The ring buffer read-ahead hands out every range's bytes, in order, whatever the sizes and the window. */
class PrefetcherTest {

    @Property(tries = 60)
    void everyRangeInOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int window,
            @ForAll @IntRange(min = 0, max = 3) int threads) throws IOException {
        Random rnd = new Random(seed);
        List<byte[]> contents = new ArrayList<>();
        List<Prefetcher.Range> ranges = new ArrayList<>();
        int n = rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            // Mostly small, sometimes around or over the window.
            int len = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(window + 2);
                case 2 -> window - 1 + rnd.nextInt(3);
                default -> rnd.nextInt(64);
            };
            byte[] file = new byte[len + rnd.nextInt(10)];
            rnd.nextBytes(file);
            int off = file.length - len;
            contents.add(Arrays.copyOfRange(file, off, file.length));
            ranges.add(new Prefetcher.Range(FileContent.of(file), off, Math.max(len, 0)));
        }
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        try (Prefetcher p = new Prefetcher(ranges, pool, window)) {
            for (int i = 0; i < n; i++) {
                Prefetcher.Slice s = p.next();
                assertEquals(contents.get(i).length, s.length(), "range " + i);
                assertArrayEquals(contents.get(i),
                        Arrays.copyOfRange(s.array(), s.offset(), s.offset() + s.length()), "range " + i);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    @Property(tries = 20)
    void aShortFileIsReportedWithItsName(@ForAll @IntRange(min = 0, max = 3) int threads) {
        byte[] three = {1, 2, 3};
        FileContent c = FileContent.of(three.length + 5L, () -> new java.io.ByteArrayInputStream(three), "short.bin");
        List<Prefetcher.Range> ranges = List.of(new Prefetcher.Range(c, 0, 8));
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        try (Prefetcher p = new Prefetcher(ranges, pool, 4)) {
            IOException e = assertThrows(IOException.class, p::next);
            assertTrue(e.getMessage().contains("short.bin"), e.getMessage());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
