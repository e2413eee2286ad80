package io.github.erofs4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Random (version 4) UUIDs from the kernel's generator, as mkfs.erofs makes them. {@link UUID#randomUUID()} draws
 * from the same source but first sets up a {@code SecureRandom}, which costs a short command 15 to 25 ms.
 */
final class RandomUuid {
    private RandomUuid() {}

    static UUID next() {
        byte[] b = new byte[16];
        try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
            if (in.readNBytes(b, 0, 16) != 16) {
                return UUID.randomUUID();
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return UUID.randomUUID();
        }
        b[6] = (byte) ((b[6] & 0x0F) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3F) | 0x80); // IETF variant
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
