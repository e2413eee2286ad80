package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file mapped into memory, read-only, in pieces of at most 1 GiB, whose bytes are handed out as direct buffers
 * for the kernel to copy from: a write of such a slice to another file copies once, from the page cache to the
 * page cache, where reading into a buffer and writing it copies twice and makes two system calls.
 *
 * <p>Only for system calls, never to be read from Java: if the file shrinks under the mapping, the kernel
 * answers a write from a page that is gone with an error ({@code EFAULT}), whereas a read of it in Java would
 * raise an {@link InternalError} at some later point of the thread.
 */
public final class MappedFile {
    /** The size of each mapping but the last; a power of two, below the 2 GiB a buffer can index. */
    private static final int PIECE_BITS = 30;
    private static final long PIECE_MASK = (1L << PIECE_BITS) - 1;

    private final long size;
    private final MappedByteBuffer[] pieces;

    private MappedFile(long size, MappedByteBuffer[] pieces) {
        this.size = size;
        this.pieces = pieces;
    }

    /**
     * Maps the whole file of {@code channel} as it is now; null where it cannot be mapped (not a regular file, or
     * a file system without mmap). The mapping outlives the channel until it is collected.
     */
    public static MappedFile map(FileChannel channel) throws IOException {
        long size = channel.size();
        int count = (int) ((size + PIECE_MASK) >>> PIECE_BITS);
        MappedByteBuffer[] pieces = new MappedByteBuffer[count];
        try {
            for (int i = 0; i < count; i++) {
                long start = (long) i << PIECE_BITS;
                pieces[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(PIECE_MASK + 1, size - start));
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        return new MappedFile(size, pieces);
    }

    /** The file's size when it was mapped. */
    public long size() {
        return size;
    }

    /**
     * The mapped bytes from {@code position}: at most {@code max}, fewer where a piece of the mapping ends (at
     * least one when {@code max > 0} and {@code position} is inside the file). A read-only direct buffer from
     * index 0; empty at or past the end of the file.
     */
    public ByteBuffer slice(long position, long max) {
        if (position < 0 || max < 0) {
            throw new IllegalArgumentException("negative position or length: " + position + ", " + max);
        }
        if (position >= size) {
            return ByteBuffer.allocateDirect(0);
        }
        MappedByteBuffer piece = pieces[(int) (position >>> PIECE_BITS)];
        int at = (int) (position & PIECE_MASK);
        return piece.slice(at, (int) Math.min(max, piece.limit() - at)).asReadOnlyBuffer();
    }
}
