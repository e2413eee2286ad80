package io.github.erofs4j.verity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fs-verity vector of vectors.txt: digest, root, tree shape, descriptors, formatted digests. */
class FsVerityVectorsTest {

    record Vector(String file, long size, String alg, int blockSize, String salt, int levels, long treeBytes,
                  String root, String digest) {
        @Override
        public String toString() {
            return file + " " + alg + "/" + blockSize + " salt=" + salt;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        for (String line : Fixtures.lines("vectors.txt")) {
            if (line.startsWith("#") || !line.contains(" | ")) {
                continue;
            }
            String[] parts = line.split(" \\| ");
            String[] head = parts[0].trim().split(" ");
            if (parts.length != 4 || head.length != 5) {
                continue;   // the dm-verity section has another shape
            }
            String[] shape = parts[1].trim().split(" ");
            out.add(new Vector(head[0], Long.parseLong(head[1]), head[2], Integer.parseInt(head[3]), head[4],
                    Integer.parseInt(shape[0]), Long.parseLong(shape[1]), parts[2].trim(), parts[3].trim()));
        }
        assertTrue(out.size() >= 70, "fs-verity vectors found: " + out.size());
        return out.stream();
    }

    private static final Map<String, byte[]> CACHE = new HashMap<>();

    static synchronized byte[] content(String name) {
        return CACHE.computeIfAbsent(name, Fixtures::file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesVector(Vector v) throws IOException {
        byte[] data = content(v.file());
        assertEquals(v.size(), data.length);
        FsVerityParams p = FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.fromName(v.alg()))
                .blockSize(v.blockSize()).salt(Fixtures.hex(v.salt())).build();
        MerkleTreeSinks.MemorySink tree = MerkleTreeSinks.memory(1 << 24);
        FsVerityDigest d;
        try (FsVerityHasher h = FsVerityHasher.create(p, Parallelism.of(2), tree)) {
            h.update(new ByteArrayInputStream(data));
            d = h.finish();
        }
        assertEquals(v.digest(), d.hex());
        assertEquals(v.root(), Fixtures.hex(d.rootHash()));
        assertEquals(v.levels(), d.layout().levels());
        assertEquals(v.treeBytes(), d.layout().totalBytes());
        assertEquals(v.treeBytes(), tree.toByteArray().length);
        assertEquals(p.layoutFor(data.length), d.layout());
        assertEquals(v.alg() + ":" + v.digest(), d.toString());
    }

    @Test
    void descriptorExamples() throws IOException {
        List<String> lines = Fixtures.lines("vectors.txt");
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("## ") || !l.contains("salt=") || l.contains("fsverity sign")) {
                continue;
            }
            String[] h = l.substring(3).split(" ");
            StringBuilder hex = new StringBuilder();
            for (int j = 1; j <= 8; j++) {
                hex.append(lines.get(i + j).trim());
            }
            FsVerityParams p = FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.fromName(h[1]))
                    .blockSize(Integer.parseInt(h[2])).salt(Fixtures.hex(h[3].substring(5))).build();
            FsVerityDigest d = digest(Fixtures.file(h[0]), p);
            assertEquals(hex.toString(), Fixtures.hex(d.descriptorBytes()), l);
            assertEquals(d.descriptor(), FsVerityDescriptor.decode(d.descriptorBytes()));
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void formattedDigests() throws IOException {
        int checked = 0;
        for (String l : Fixtures.lines("vectors.txt")) {
            if (!l.contains(" default-block: ")) {
                continue;
            }
            String[] t = l.split(" ");
            FsVerityParams p = FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.fromName(t[1])).build();
            assertEquals(t[3], Fixtures.hex(digest(Fixtures.file(t[0]), p).formattedDigest()), l);
            checked++;
        }
        assertEquals(3, checked);
    }

    /** The fsverity-utils known answers listed in vectors.txt (programs/test_compute_digest.c). */
    @Test
    void upstreamKnownAnswers() throws IOException {
        byte[] up = Fixtures.upstream(1_000_000);
        assertEquals("48df0c462329cd879661bd05b39aa81b05cc16afd27a7196a559da83531d39d9",
                digest(up, FsVerityParams.defaults()).hex());
        assertEquals("917900b0d299454aa304d5debc6f39e4af7b5abe33bdbc568d5d8f1e5c4d8652",
                digest(up, FsVerityParams.builder().salt("abcd".getBytes()).build()).hex());
        assertEquals("bc2d70324c048c220a2cb190832140863eb268e680427939e5d467bea5ec5ad9",
                digest(up, FsVerityParams.builder().salt("0123456789:;<=>?@ABCDEFGHIJKLMNO".getBytes()).build()).hex());
        assertEquals("e9df927c14fcb961d5f51c666d8ae4c14fe4ff98a374c733e898d00c9e74a8e3",
                digest(up, FsVerityParams.builder().blockSize(1024).build()).hex());
        assertEquals("0393ee3dfd4a28966e2af4e07cfa5b032c30da5bb8e8ef63b9a55bf963262334",
                digest(up, FsVerityParams.builder().blockSize(512).build()).hex());
        assertEquals("f2096a36c5cdca4fa33ee8852833150bb324992e5417a9d571f1bffff73b9efc",
                digest(Fixtures.upstream(100_000), FsVerityParams.defaults()).hex());
        // the vectors' comment lines agree with what is asserted here
        String text = String.join("\n", Fixtures.lines("vectors.txt"));
        assertTrue(text.contains("48df0c462329cd879661bd05b39aa81b05cc16afd27a7196a559da83531d39d9"));
        assertTrue(text.contains("f2096a36c5cdca4fa33ee8852833150bb324992e5417a9d571f1bffff73b9efc"));
    }

    static FsVerityDigest digest(byte[] data, FsVerityParams p) throws IOException {
        try (FsVerityHasher h = FsVerityHasher.create(p)) {
            h.update(data);
            return h.finish();
        }
    }

    @Test
    void descriptorRoundTripAndRejects() throws IOException {
        FsVerityDigest d = digest(Fixtures.pattern(5000), FsVerityParams.defaults());
        byte[] desc = d.descriptorBytes();
        assertArrayEquals(desc, FsVerityDescriptor.decode(desc).encode());
        desc[200] = 1;
        byte[] bad = desc;
        VerityException e = org.junit.jupiter.api.Assertions.assertThrows(VerityException.class,
                () -> FsVerityDescriptor.decode(bad));
        assertTrue(e.getMessage().contains("byte 200"), e.getMessage());
    }
}
