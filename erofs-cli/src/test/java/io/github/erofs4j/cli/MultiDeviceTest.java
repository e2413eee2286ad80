package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-device image made at test time by Debian's {@code mkfs.erofs --blobdev} (chunked data in a blob):
 * {@code --device} is needed to read it, and with it extraction reproduces the source tree.
 */
class MultiDeviceTest {
    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void unlink() throws java.io.IOException {
        Cli.unlinkSymlinks(tmp);
    }

    @Test
    void extractWithTheBlobDevice() throws Exception {
        assumeTrue(Cli.isRoot(), "the source tree's manifest holds root's ownership only when run as root");
        assumeTrue(Cli.hasPython(), "python3 is needed to run manifest.py");
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        Files.write(src.resolve("a.bin"), data);
        Files.writeString(tmp.resolve("src/small"), "hi\n");
        Files.createSymbolicLink(tmp.resolve("src/link"), Path.of("d/a.bin"));
        Path image = tmp.resolve("main.erofs");
        Path blob = tmp.resolve("blob.img");
        Process mkfs;
        try {
            mkfs = new ProcessBuilder("mkfs.erofs", "--chunksize=4096", "--blobdev=" + blob, image.toString(),
                    tmp.resolve("src").toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "mkfs.erofs (erofs-utils) is not installed");
            return;
        }
        mkfs.getInputStream().readAllBytes();
        assertTrue(mkfs.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, mkfs.exitValue());

        String dump = Cli.run("dump", image.toString()).out();
        assertTrue(dump.contains("device_table") && dump.contains("Filesystem device 1:"), dump);

        Cli.Result without = Cli.run("extract", image.toString(), tmp.resolve("bad").toString());
        assertEquals(1, without.status(), without::toString);
        assertTrue(without.err().contains(image + ": /d/a.bin: "), without::toString);

        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("extract", "--device=" + blob, image.toString(), out.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(Cli.manifestOf(tmp.resolve("src")), Cli.manifestOf(out));
        assertEquals(0, Cli.run("fsck", "--device", blob.toString(), image.toString()).status());
    }
}
