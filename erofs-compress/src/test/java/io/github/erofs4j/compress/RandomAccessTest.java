package io.github.erofs4j.compress;

import io.github.erofs4j.core.FileType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.spi.CodecConfig;
import io.github.erofs4j.core.spi.Decompressor;
import io.github.erofs4j.core.spi.DecompressorProvider;
import io.github.erofs4j.core.spi.Decompressors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a range decodes only the pclusters that cover it; sequential reads decode each pcluster once. */
class RandomAccessTest {

    /** Wraps every installed provider so decodes can be counted. */
    private static Decompressors counting(AtomicLong counter) {
        List<DecompressorProvider> ps = new ArrayList<>();
        for (DecompressorProvider p : List.of(new Lz4Decompressor(), new LzmaDecompressor(),
                new DeflateDecompressor(), new ZstdDecompressor())) {
            ps.add(new DecompressorProvider() {
                @Override
                public int algorithmId() {
                    return p.algorithmId();
                }

                @Override
                public String name() {
                    return p.name();
                }

                @Override
                public Decompressor create(CodecConfig config) throws IOException {
                    Decompressor d = p.create(config);
                    return new Decompressor() {
                        @Override
                        public int algorithmId() {
                            return d.algorithmId();
                        }

                        @Override
                        public String name() {
                            return d.name();
                        }

                        @Override
                        public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff,
                                int dstLen, boolean partial) throws IOException {
                            counter.incrementAndGet();
                            d.decompress(src, srcOff, srcLen, dst, dstOff, dstLen, partial);
                        }
                    };
                }
            });
        }
        return Decompressors.of(ps);
    }

    private static long compressedExtentsOverlapping(List<DataExtent> xs, long a, long b) {
        return xs.stream().filter(x -> x.compressed() && x.physicalOffset() >= 0)
                .filter(x -> x.logicalOffset() < b && x.logicalOffset() + x.length() > a).count();
    }

    /** Fixtures whose largest file spans many pclusters (in the big-pcluster ones it fits in one or two). */
    @ParameterizedTest
    @ValueSource(strings = {"lz4", "lz4hc-legacy", "lz4hc-ztail", "b48bit", "zdirs"})
    void lastHundredBytesDecodeOnlyTheirPclusters(String name) throws Exception {
        checkRandomAccess(TestImages.image(name), name);
    }

    /** A 6 MiB semi-compressible file in 64 KiB big pclusters, made at test time by mkfs.erofs (lz4hc). */
    @org.junit.jupiter.api.Test
    void bigPclustersOfALargeFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path src = java.nio.file.Files.createDirectory(tmp.resolve("src"));
        byte[] data = DecompressorRoundTripTest.data(99, 6 << 20);
        java.nio.file.Files.write(src.resolve("large.bin"), data);
        java.nio.file.Path image = tmp.resolve("large.erofs");
        MkfsErofs.assumeAvailable();
        MkfsErofs.run(image, src, "-zlz4hc", "-C65536");
        checkRandomAccess(image, "mkfs -zlz4hc -C65536");
    }

    private static void checkRandomAccess(java.nio.file.Path image, String name) throws Exception {
        // The file with the most compressed extents (big pclusters swallow the compressible files whole).
        String file = null;
        long best = -1;
        byte[] whole = null;
        try (ErofsImage img = ErofsImage.open(image, TestImages.readOptions().build())) {
            for (var d : img.root().children()) {
                ErofsInode n = img.inode(d.nid());
                if (n.type() == io.github.erofs4j.core.FileType.REGULAR && n.compressed()) {
                    long c = compressedExtentsOverlapping(n.dataExtents(), 0, n.size());
                    if (c > best) {
                        best = c;
                        file = d.name();
                        whole = n.readAllBytes();
                    }
                }
            }
        }
        AtomicLong decodes = new AtomicLong();
        ReadOptions opts = TestImages.readOptions().decompressors(counting(decodes)).build();
        try (ErofsImage img = ErofsImage.open(image, opts)) {
            ErofsInode f = img.resolve(file);
            assertTrue(f.compressed(), name);
            long size = f.size();
            List<DataExtent> xs = f.dataExtents();
            long totalCompressed = compressedExtentsOverlapping(xs, 0, size);
            long tail = compressedExtentsOverlapping(xs, size - 100, size);
            assertTrue(totalCompressed >= 3, name + ": " + file + " has few pclusters: " + totalCompressed);

            byte[] last = new byte[100];
            assertEquals(100, f.read(size - 100, last, 0, 100));
            assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 100, whole.length), last);
            assertEquals(tail, decodes.get(), name + ": decodes for the last 100 bytes");
            assertTrue(tail <= 2, name + ": the last 100 bytes span at most two extents");

            // A sequential read of the whole file in 4 KiB pieces decodes each pcluster once.
            decodes.set(0);
            byte[] buf = new byte[(int) size];
            for (int pos = 0; pos < size; pos += 4096) {
                f.read(pos, buf, pos, (int) Math.min(4096, size - pos));
            }
            assertArrayEquals(whole, buf);
            assertTrue(decodes.get() <= totalCompressed, name + ": " + decodes.get() + " decodes for "
                    + totalCompressed + " compressed extents");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lz4hc-big", "zstd"})
    void concurrentReadersSeeTheSameBytes(String name) throws Exception {
        try (ErofsImage img = ErofsImage.open(TestImages.image(name), TestImages.readOptions().build())) {
            ErofsInode f = img.resolve("big-text.log");
            byte[] whole = f.readAllBytes();
            ExecutorService ex = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    fs.add(ex.submit(() -> {
                        java.util.Random r = new java.util.Random(seed);
                        for (int i = 0; i < 200; i++) {
                            int a = r.nextInt(whole.length);
                            int n = 1 + r.nextInt(Math.min(20000, whole.length - a));
                            byte[] b = new byte[n];
                            if (f.read(a, b, 0, n) != n || !Arrays.equals(b, 0, n, whole, a, a + n)) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> fu : fs) {
                    assertTrue(fu.get(), name);
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }
}
