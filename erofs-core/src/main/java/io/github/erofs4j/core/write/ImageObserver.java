package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sees every byte of an image exactly once, in order from offset 0, as the writer produces it (the superblock
 * block already carries its final checksum). Use it to hash the image in the same pass, for example for a
 * verity digest. Called on one thread; the buffer is read-only and valid only during the call.
 */
@FunctionalInterface
public interface ImageObserver {
    void update(ByteBuffer bytes) throws IOException;
}
