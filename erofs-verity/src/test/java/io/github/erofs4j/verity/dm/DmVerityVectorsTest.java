package io.github.erofs4j.verity.dm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.verity.Fixtures;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every dm-verity vector of dmverity_vectors.txt and the dm-verity section of vectors.txt. */
class DmVerityVectorsTest {
    static final UUID UUID_FIXED = UUID.fromString("12345678-1234-1234-1234-123456789abc");

    record Vector(String file, long size, String alg, int type, int dbs, int hbs, String salt, long dataBlocks,
                  long hashFileBytes, String root, String sha256) {
        @Override
        public String toString() {
            return file + " " + alg + " type" + type + " " + dbs + "/" + hbs + " salt=" + salt;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        Set<String> lines = new LinkedHashSet<>(Fixtures.lines("dmverity_vectors.txt"));
        lines.addAll(Fixtures.lines("vectors.txt"));
        return lines.stream().filter(l -> !l.startsWith("#") && l.contains(" type")).map(l -> {
            String[] p = l.split(" \\| ");
            String[] f = p[0].trim().split(" ");
            String[] c = p[1].trim().split(" ");
            String[] s = p[2].trim().split(" ");
            return new Vector(f[0], Long.parseLong(f[1]), c[0], Integer.parseInt(c[1].substring(4)),
                    Integer.parseInt(c[2]), Integer.parseInt(c[3]), c[4], Long.parseLong(s[0]), Long.parseLong(s[1]),
                    p[3].trim(), p[4].trim());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesVector(Vector v, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.write(data, Fixtures.file(v.file()));
        Path hash = dir.resolve("hash");
        DmVerityParams p = DmVerityParams.builder().algorithm(DmVerityHashAlgorithm.fromName(v.alg()))
                .hashType(v.type()).dataBlockSize(v.dbs()).hashBlockSize(v.hbs()).salt(Fixtures.hex(v.salt()))
                .uuid(UUID_FIXED).build();
        DmVerityTree t = DmVerity.format(data, hash, p, Parallelism.of(2));
        assertEquals(v.root(), t.rootHashHex());
        assertEquals(v.dataBlocks(), t.dataBlocks());
        assertEquals(v.hashFileBytes(), Files.size(hash));
        assertEquals(v.hashFileBytes(), t.hashDeviceSize());
        assertEquals(v.sha256(), Fixtures.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(hash))));

        // and our verifier accepts it, reading the parameters from the superblock
        DmVerityTree back = DmVerity.verify(data, hash, t.rootHash(), DmVerityParams.defaults(), Parallelism.single());
        assertEquals(t.rootHashHex(), back.rootHashHex());
        byte[] wrong = t.rootHash();
        wrong[0] ^= 1;
        VerificationException e = assertThrows(VerificationException.class,
                () -> DmVerity.verify(data, hash, wrong, DmVerityParams.defaults(), Parallelism.single()));
        assertEquals(VerificationException.Failure.ROOT_HASH_MISMATCH, e.failure(), e.getMessage());
        if (t.layout().levels() > 0) {
            // flip one byte in the last data block: reported at that block's position
            byte[] d = Files.readAllBytes(data);
            long pos = (t.dataBlocks() - 1) * v.dbs() + 7;
            d[(int) pos] ^= 0x40;
            Files.write(data, d);
            VerificationException e2 = assertThrows(VerificationException.class,
                    () -> DmVerity.verify(data, hash, t.rootHash(), DmVerityParams.defaults(), Parallelism.single()));
            assertEquals((t.dataBlocks() - 1) * v.dbs(), e2.position(), e2.getMessage());
            assertEquals(VerificationException.Failure.DATA_BLOCK_MISMATCH, e2.failure(), e2.getMessage());
            // a truncated hash file is its own kind of failure
            d[(int) pos] ^= 0x40;
            Files.write(data, d);
            try (var ch = java.nio.channels.FileChannel.open(hash, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(hash) - 1);
            }
            VerificationException e3 = assertThrows(VerificationException.class,
                    () -> DmVerity.verify(data, hash, t.rootHash(), DmVerityParams.defaults(), Parallelism.single()));
            assertEquals(VerificationException.Failure.HASH_TREE_TRUNCATED, e3.failure(), e3.getMessage());
            assertTrue(e3.getMessage().contains(hash.toString()), e3.getMessage());
        }
    }
}
