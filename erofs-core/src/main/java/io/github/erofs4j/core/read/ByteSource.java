package io.github.erofs4j.core.read;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Positional read access to the bytes of an image or of one of its extra devices: a file, a region of memory, or
 * anything else that can read at an absolute position. {@link ErofsImage#open(ByteSource, ReadOptions)} reads an
 * image from one.
 *
 * <p>Implementations must be thread-safe: the reader calls {@link #read} from many threads at once, each call
 * with its own position and buffer, and relies on no shared position. {@link #size()} must not change while an
 * image reads the source. Whoever creates a source closes it; an {@link ErofsImage} never closes a source it was
 * given.
 */
public interface ByteSource extends Closeable {

    /** The number of bytes readable, from position 0. The reader never asks for bytes at or past it. */
    long size() throws IOException;

    /**
     * Reads bytes at {@code position} into the remaining space of {@code dst}, advancing its position.
     *
     * @return the number of bytes read (which may be less than requested, but more than 0 unless {@code dst} has
     *     no space left), or -1 when {@code position} is at or past the end of the source
     */
    int read(long position, ByteBuffer dst) throws IOException;

    /** Releases what the source holds; the default does nothing. */
    @Override
    default void close() throws IOException {}

    /**
     * A source over an open file channel, read with positional reads. Closing the source closes the channel
     * only when {@code closeChannel} is true.
     */
    static ByteSource of(FileChannel channel, boolean closeChannel) {
        return new FileChannelSource(Objects.requireNonNull(channel, "channel"), closeChannel);
    }

    /** A source over bytes in memory: the array itself, not a copy (do not change it while it is read). */
    static ByteSource of(byte[] bytes) {
        return new MemorySource(ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes")));
    }

    /**
     * A source over the bytes between the position and the limit of a buffer (heap, direct or memory-mapped).
     * The buffer's content is shared, not copied; its position and limit are not used after this call.
     */
    static ByteSource of(ByteBuffer buffer) {
        return new MemorySource(Objects.requireNonNull(buffer, "buffer").slice());
    }
}
