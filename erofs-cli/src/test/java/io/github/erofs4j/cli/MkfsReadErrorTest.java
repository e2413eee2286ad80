package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source file whose read fails part way with an I/O error (a file on a mounted EROFS image whose compressed
 * data was damaged in the middle: the kernel reports the error only when that part is read): {@code erofs mkfs}
 * exits with status 1, names the file, and leaves no image nor any temporary file behind, compressed or not.
 */
@Tag("kernel")
class MkfsReadErrorTest {
    private Path work;
    private Path mnt;

    @BeforeEach
    void mountDamagedTree() throws Exception {
        assumeTrue(Cli.isRoot() && Files.exists(Path.of("/dev/loop-control")), "needs root and loop devices");
        work = Files.createTempDirectory("erofs4j-readerr");
        // A tree with a small good file and a 4 MB compressible file, compressed with lz4: damaging the block in
        // the middle of the image damages a pcluster in the middle of the big file.
        Random r = new Random(1);
        String[] words = new String[500];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                w.append((char) ('a' + r.nextInt(8)));
            }
            words[i] = w.toString();
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 4_000_000) {
            text.append(words[r.nextInt(words.length)]).append(' ');
        }
        FsTree tree = new FsTree();
        tree.root().put(b("ok.txt"), Node.file(FileContent.of(b("ok\n"))));
        tree.root().put(b("bad.bin"), Node.file(FileContent.of(b(text.toString()))));
        Path lower = work.resolve("lower.erofs");
        ErofsWriter.write(tree, lower, WriteOptions.builder().compression(Compression.builder("lz4").build()).build());
        long blocks = Files.size(lower) / 4096;
        try (RandomAccessFile f = new RandomAccessFile(lower.toFile(), "rw")) {
            f.seek(blocks / 2 * 4096);
            byte[] junk = new byte[4096];
            java.util.Arrays.fill(junk, (byte) 0xFF);
            f.write(junk);
        }
        mnt = work.resolve("mnt");
        Files.createDirectories(mnt);
        KernelTools.sh("mount -t erofs -o loop,ro " + lower + " " + mnt, work);
        // The premise: the file's metadata is fine and its data fails part way.
        assertEquals(text.length(), Files.size(mnt.resolve("bad.bin")));
        assertThrows(IOException.class, () -> Files.readAllBytes(mnt.resolve("bad.bin")));
    }

    @AfterEach
    void unmount() throws Exception {
        if (work != null) {
            KernelTools.sh("umount " + mnt + " || true", work);
            KernelTools.sh("rm -rf " + work, Path.of("/"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-zlz4hc --workers=1", "-zlz4hc --workers=2", "-zlz4 -C65536 --chunksize=4096"})
    void failsNamingTheFileAndLeavesNothing(String options) throws Exception {
        Path out = work.resolve("out");
        Files.createDirectories(out);
        Path img = out.resolve("image.erofs");
        List<String> args = new java.util.ArrayList<>(List.of("mkfs", "--quiet"));
        if (!options.isEmpty()) {
            args.addAll(List.of(options.split(" ")));
        }
        args.addAll(List.of(img.toString(), mnt.toString()));
        Cli.Result res = Cli.run(args.toArray(String[]::new));
        assertEquals(1, res.status(), res.toString());
        assertTrue(res.err().contains(mnt.resolve("bad.bin").toString()), "names the file: " + res.err());
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList(), "nothing left in the image's directory");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
