package io.github.erofs4j.verity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming needs memory bounded by the tree height, not the data size: a child JVM with a 20 MiB heap hashes a
 * 512 MiB stream with SHA-512 and 1 KiB blocks (32 MiB of leaf hashes, 33 MiB of tree, both more than the
 * heap), writing the tree through per-level temporary files.
 */
class BoundedMemoryTest {
    static final long SIZE = 512L << 20;

    /** A deterministic stream of {@code size} bytes that needs no memory. */
    static InputStream synthetic(long size) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < size ? (int) (pos++ * 131 >>> 9) & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((pos + i) * 131 >>> 9);
                }
                pos += n;
                return n;
            }
        };
    }

    static FsVerityParams params() throws VerityException {
        return FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.SHA512).blockSize(1024).build();
    }

    /** Entry point of the child JVM: prints the digest and the tree size. */
    public static void main(String[] args) throws IOException {
        Path tree = Path.of(args[0]);
        FsVerityDigest d = FsVerity.digest(synthetic(SIZE), params(), Parallelism.of(2), tree);
        System.out.println(d.hex() + " " + Files.size(tree));
    }

    @Test
    void twentyMebibyteHeapHashesAHalfGibibyteStream(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Tools.Result r = Tools.run(List.of(java.toString(), "-Xmx20m", "-cp", System.getProperty("java.class.path"),
                BoundedMemoryTest.class.getName(), dir.resolve("tree").toString()));
        assertEquals(0, r.exit(), r.err());
        FsVerityDigest expected;
        try (FsVerityHasher h = FsVerityHasher.create(params(), Parallelism.of(2), null)) {
            h.update(synthetic(SIZE));
            expected = h.finish();
        }
        assertEquals(expected.hex() + " " + expected.layout().totalBytes(), r.out().trim());
    }
}
