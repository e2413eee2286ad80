package io.github.erofs4j.core.read;

import java.nio.ByteBuffer;

/**
 * A {@link ByteSource} over a buffer in memory. Each read copies through an absolute bulk get, which touches
 * neither the buffer's position nor its limit, so concurrent reads need no lock.
 */
final class MemorySource implements ByteSource {
    private final ByteBuffer buffer;

    /** @param buffer the bytes from index 0 to the limit; never modified or repositioned here */
    MemorySource(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public long size() {
        return buffer.limit();
    }

    @Override
    public int read(long position, ByteBuffer dst) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        long size = buffer.limit();
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        dst.put(buffer.slice((int) position, n));
        return n;
    }

    @Override
    public String toString() {
        return "ByteSource[" + buffer.limit() + " bytes in memory]";
    }
}
