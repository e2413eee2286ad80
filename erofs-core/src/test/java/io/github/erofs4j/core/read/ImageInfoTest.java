package io.github.erofs4j.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Superblock-level facts of the fixtures, and error messages that name offsets. */
class ImageInfoTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "compact", "b48bit", "chunk-index", "tar"})
    void uuidAndBuildTimeFromOptionsTsv(String name) throws IOException {
        try (ErofsImage img = ErofsImage.open(Fixtures.image(name))) {
            assertEquals(UUID.fromString("0b2ad6b4-52b2-4d3e-9c3c-1f0c6a6e5a01"), img.uuid());
            assertEquals(Instant.ofEpochSecond(1_700_000_000L), img.buildTime());
            assertEquals("", img.volumeLabel());
            assertEquals(Fixtures.image(name), img.path());
            assertEquals(name.equals("b1024") ? 1024 : 4096, img.blockSize());
        }
    }

    @Test
    void corruptDirentNamesItsOffset() throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.image("plain"));
        long at;
        try (ErofsImage img = ErofsImage.open(Fixtures.image("plain"))) {
            DataExtent first = img.root().dataExtents().get(0);
            at = first.physicalOffset();
        }
        b[(int) at + 8] = 5; // nameoff of dirent 0: below the size of one dirent
        b[(int) at + 9] = 0;
        try (ErofsImage img = ErofsImage.open(new ByteArrayChannel(b, b.length),
                ReadOptions.builder().verifyChecksum(false).build())) {
            ErofsFormatException e = assertThrows(ErofsFormatException.class, () -> img.root().entries());
            assertEquals(at + 8, e.offset());
            assertTrue(e.getMessage().contains("directory block 0 of nid " + img.rootNid()), e.getMessage());
        }
    }
}
