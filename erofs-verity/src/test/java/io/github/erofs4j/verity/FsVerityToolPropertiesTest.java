package io.github.erofs4j.verity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random files, block sizes, salts and algorithms against {@code fsverity digest} itself. */
class FsVerityToolPropertiesTest {

    @BeforeContainer
    static void tools() {
        assumeTrue(Fixtures.hasCommand("fsverity"), "fsverity (fsverity-utils) is not installed");
    }

    /** Sizes from 0 to 4 MiB, half of them within one byte of a multiple of a block size. */
    @Provide
    static Arbitrary<Integer> sizes() {
        Arbitrary<Integer> boundary = Combinators.combine(Arbitraries.integers().between(0, 1024),
                Arbitraries.integers().between(-1, 1), Arbitraries.of(1024, 4096, 65536))
                .as((k, d, b) -> Math.min(4 << 20, Math.max(0, k * b + d)));
        return Arbitraries.oneOf(boundary, Arbitraries.integers().between(0, 4 << 20).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(0, 9000));
    }

    @Provide
    static Arbitrary<byte[]> salts() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32));
    }

    @Property(tries = 60)
    void digestTreeAndDescriptorMatchFsverity(@ForAll("sizes") int size, @ForAll("salts") byte[] salt,
                                              @ForAll FsVerityHashAlgorithm alg,
                                              @ForAll("blockSizes") int blockSize,
                                              @ForAll long seed) throws IOException {
        Path dir = Files.createTempDirectory("fsv-prop");
        try {
            byte[] data = new byte[size];
            new Random(seed).nextBytes(data);
            Path f = Files.write(dir.resolve("f"), data);
            FsVerityParams p = FsVerityParams.builder().algorithm(alg).blockSize(blockSize).salt(salt).build();
            Path ourTree = dir.resolve("our.tree");
            FsVerityDigest d = FsVerity.digest(f, p, Parallelism.of(2), ourTree);

            List<String> cmd = new ArrayList<>(List.of("fsverity", "digest", f.toString(), "--compact",
                    "--hash-alg=" + alg.fsverityName(), "--block-size=" + blockSize,
                    "--out-merkle-tree=" + dir.resolve("ref.tree"), "--out-descriptor=" + dir.resolve("ref.desc")));
            if (salt.length > 0) {
                cmd.add("--salt=" + Fixtures.hex(salt));
            }
            Tools.Result r = Tools.run(cmd);
            assertEquals(0, r.exit(), r.err());
            assertEquals(r.out().trim(), d.hex());
            assertArrayEquals(Files.readAllBytes(dir.resolve("ref.desc")), d.descriptorBytes());
            assertArrayEquals(Files.readAllBytes(dir.resolve("ref.tree")), Files.readAllBytes(ourTree));

            // the stream path (spilled levels) gives the same tree
            Path streamTree = dir.resolve("stream.tree");
            try (InputStream in = Files.newInputStream(f)) {
                assertEquals(d.hex(), FsVerity.digest(in, p, Parallelism.of(3), streamTree).hex());
            }
            assertArrayEquals(Files.readAllBytes(ourTree), Files.readAllBytes(streamTree));
        } finally {
            deleteTree(dir);
        }
    }

    @Provide
    static Arbitrary<Integer> blockSizes() {
        return Arbitraries.of(1024, 2048, 4096, 8192, 16384, 65536);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
