package io.github.erofs4j.verity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fs-verity digests of files inside a golden EROFS image, through the reader, against fsverity digest. */
class ErofsImageDigestTest {

    @Test
    void digestsOfImageFilesMatchFsverityOnTheExtractedBytes(@TempDir Path dir) throws Exception {
        Path fixtures = Fixtures.verityDir().getParent();
        Path image = fixtures.resolve("plain.erofs");
        List<String[]> regular = Files.readAllLines(fixtures.resolve("plain.manifest")).stream()
                .map(l -> l.split("\t")).filter(f -> f[1].equals("f")).toList();
        assertTrue(regular.size() > 10);
        boolean tool = Fixtures.hasCommand("fsverity");
        int checked = 0;
        try (ErofsImage img = ErofsImage.open(image)) {
            for (String[] f : regular) {
                if (checked >= 25 && Long.parseLong(f[5]) < 100_000) {
                    continue;   // bounded: 25 files plus every large one
                }
                String path = "/" + f[0];
                ErofsInode inode = img.resolve(path);
                FsVerityDigest viaChannel = FsVerity.digest(inode, FsVerityParams.defaults(), Parallelism.of(2));
                FsVerityDigest viaStream;
                try (InputStream in = inode.newInputStream()) {
                    viaStream = FsVerity.digest(in, FsVerityParams.defaults());
                }
                assertEquals(viaChannel.hex(), viaStream.hex(), path);
                assertEquals(Long.parseLong(f[5]), viaChannel.dataSize(), path);
                byte[] content = inode.readAllBytes();
                // the bytes hashed are the file's: the manifest holds the kernel's SHA-256 of them
                assertEquals(f[9], Fixtures.hex(MessageDigest.getInstance("SHA-256").digest(content)), path);
                if (tool) {
                    Path x = Files.write(dir.resolve("x"), content);
                    Tools.Result r = Tools.run(List.of("fsverity", "digest", "--compact", x.toString()));
                    assertEquals(r.out().trim(), viaChannel.hex(), path);
                }
                checked++;
            }
            assertTrue(checked >= 25);
            assertThrows(VerityException.class, () -> FsVerity.digest(img, "/", FsVerityParams.defaults()));
        }
    }
}
