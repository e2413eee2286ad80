package io.github.erofs4j.verity.dm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.verity.Fixtures;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random data, salts, block sizes, algorithms and layouts against {@code veritysetup format/verify}. */
class DmVerityToolPropertiesTest {

    @BeforeContainer
    static void tools() {
        assumeTrue(Fixtures.hasCommand("veritysetup"), "veritysetup (cryptsetup-bin) is not installed");
    }

    @Provide
    static Arbitrary<Integer> blockSizes() {
        return Arbitraries.of(512, 1024, 2048, 4096, 8192);
    }

    @Provide
    static Arbitrary<byte[]> salts() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(256));
    }

    /** Data sizes up to 3 MiB, often a block multiple plus or minus a little. */
    @Provide
    static Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(1, 768), Arbitraries.integers().between(-1, 1))
                        .as((k, d) -> Math.max(8192, k * 4096 + d)),
                Arbitraries.integers().between(8192, 3 << 20).withDistribution(RandomDistribution.uniform()));
    }

    @Property(tries = 50)
    void hashFileAndRootMatchVeritysetup(@ForAll("sizes") int size, @ForAll("salts") byte[] salt,
                                         @ForAll DmVerityHashAlgorithm alg, @ForAll("blockSizes") int dbs,
                                         @ForAll("blockSizes") int hbs, @ForAll boolean type1,
                                         @ForAll boolean superblock, @ForAll boolean appended,
                                         @ForAll long seed) throws IOException {
        Path dir = Files.createTempDirectory("dmv-prop");
        try {
            byte[] data = new byte[size];
            new Random(seed).nextBytes(data);
            long blocks = size / dbs;
            UUID uuid = new UUID(seed, ~seed);
            // appended: data and tree in one file, tree after the data blocks (an EROFS boot image layout)
            long offset = appended ? (size + 4095L) / 4096 * 4096 : 0;
            if (appended && !superblock) {
                offset = (offset + hbs - 1) / hbs * hbs;
            }
            DmVerityParams p = DmVerityParams.builder().algorithm(alg).hashType(type1 ? 1 : 0).dataBlockSize(dbs)
                    .hashBlockSize(hbs).salt(salt).uuid(uuid).superblock(superblock).hashOffset(offset)
                    .dataBlocks(appended ? blocks : 0).build();
            Path ours = Files.write(dir.resolve("ours"), data);
            Path ref = Files.write(dir.resolve("ref"), data);
            Path ourHash = appended ? ours : dir.resolve("ours.hash");
            Path refHash = appended ? ref : dir.resolve("ref.hash");
            DmVerityTree t = DmVerity.format(ours, ourHash, p, Parallelism.of(2));

            List<String> opts = new ArrayList<>(List.of("--hash=" + alg.kernelName(), "--format=" + (type1 ? 1 : 0),
                    "--data-block-size=" + dbs, "--hash-block-size=" + hbs,
                    "--salt=" + (salt.length == 0 ? "-" : Fixtures.hex(salt))));
            if (superblock) {
                opts.add("--uuid=" + uuid);
            } else {
                opts.add("--no-superblock");
            }
            if (appended) {
                opts.add("--hash-offset=" + offset);
                opts.add("--data-blocks=" + blocks);
            }
            List<String> fmt = new ArrayList<>(List.of("veritysetup", "format", ref.toString(), refHash.toString()));
            fmt.addAll(opts);
            Tools.Result r = Tools.run(fmt);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("Root hash:      \t" + t.rootHashHex() + "\n"), r.out());
            assertArrayEquals(Files.readAllBytes(refHash), Files.readAllBytes(ourHash));

            // veritysetup verify accepts our tree
            List<String> ver = new ArrayList<>(List.of("veritysetup", "verify", ours.toString(), ourHash.toString(),
                    t.rootHashHex()));
            if (!superblock) {
                ver.addAll(opts);
            } else if (appended) {
                ver.add("--hash-offset=" + offset);
            }
            Tools.Result v = Tools.run(ver);
            assertEquals(0, v.exit(), v.err());
            // and ours accepts veritysetup's
            DmVerity.verify(ref, refHash, t.rootHash(), p, Parallelism.single());
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    /** Trees without levels, where only the superblock's write unit decides the file size. */
    @Example
    void emptyTreesEndWhereVeritysetupEnds() throws IOException {
        int[][] cases = {{4096, 8192, 0}, {4096, 65536, 0}, {4096, 512, 0}, {4096, 512, 4608}, {8192, 8192, 8192},
            {1024, 2048, 2048}, {4096, 16384, 4096}};
        int compared = 0;
        for (int[] c : cases) {
            Path dir = Files.createTempDirectory("dmv-empty");
            try {
                Path data = Files.write(dir.resolve("d"), new byte[c[0] + 100]);
                DmVerityParams p = DmVerityParams.builder().dataBlockSize(c[0]).hashBlockSize(c[1]).hashOffset(c[2])
                        .uuid(UUID.fromString("12345678-1234-1234-1234-123456789abc")).build();
                DmVerity.format(data, dir.resolve("ours"), p, Parallelism.single());
                Tools.Result r = Tools.run(List.of("veritysetup", "format", data.toString(), dir.resolve("ref").toString(),
                        "--salt=-", "--data-block-size=" + c[0], "--hash-block-size=" + c[1], "--hash-offset=" + c[2],
                        "--uuid=12345678-1234-1234-1234-123456789abc"));
                if (r.exit() != 0) {
                    continue;   // veritysetup refuses some offsets in an empty file; we need not
                }
                assertArrayEquals(Files.readAllBytes(dir.resolve("ref")), Files.readAllBytes(dir.resolve("ours")),
                        java.util.Arrays.toString(c));
                compared++;
            } finally {
                try (var s = Files.walk(dir)) {
                    for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(x);
                    }
                }
            }
        }
        assertTrue(compared >= 5, "compared " + compared);
    }
}
