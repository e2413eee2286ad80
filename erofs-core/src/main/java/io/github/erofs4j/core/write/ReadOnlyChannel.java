package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over {@code size} bytes reached by absolute reads: the position bookkeeping and the
 * refused writes of {@link ByteArrayChannel} and {@link RangeChannel}. Not thread-safe.
 */
abstract class ReadOnlyChannel implements SeekableByteChannel {
    private final long size;
    private long pos;

    ReadOnlyChannel(long size, long pos) {
        this.size = size;
        this.pos = pos;
    }

    /**
     * Reads up to {@code want} bytes ({@code want <= dst.remaining()}, possibly 0) at offset {@code at} below the
     * size, advancing {@code dst}; returns how many were read.
     */
    abstract int readAt(ByteBuffer dst, long at, int want) throws IOException;

    @Override
    public final int read(ByteBuffer dst) throws IOException {
        if (pos >= size) {
            return -1;
        }
        int n = readAt(dst, pos, (int) Math.min(dst.remaining(), size - pos));
        if (n > 0) {
            pos += n;
        }
        return n;
    }

    @Override
    public final int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public final long position() {
        return pos;
    }

    @Override
    public final ReadOnlyChannel position(long newPosition) {
        pos = newPosition;
        return this;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final SeekableByteChannel truncate(long s) {
        throw new NonWritableChannelException();
    }
}
