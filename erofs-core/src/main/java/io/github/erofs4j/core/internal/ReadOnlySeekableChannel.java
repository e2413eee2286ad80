package io.github.erofs4j.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The read-only channels the file systems hand out (an image's file, an overlay view's file): the position, the
 * open state that every call but {@link #close()} checks, and refusing to write. Subclasses read at a position;
 * {@link #closeResources()} releases what they hold, once. Not thread-safe. (The writer's own channels over
 * sources, which check no open state, have theirs in {@code write}.)
 */
public abstract class ReadOnlySeekableChannel implements SeekableByteChannel {
    private final long size;
    private long pos;
    private volatile boolean open = true;

    /** @param size the file's size in bytes */
    protected ReadOnlySeekableChannel(long size) {
        this.size = size;
    }

    /**
     * Reads into {@code dst} from byte {@code position} of the file.
     *
     * @return the bytes read, or -1 at or beyond the end
     */
    protected abstract int readAt(long position, ByteBuffer dst) throws IOException;

    /** Releases what the channel holds; called once, by the first {@link #close()}. The default holds nothing. */
    protected void closeResources() throws IOException {}

    @Override
    public final int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int n = readAt(pos, dst);
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
    public final long position() throws IOException {
        ensureOpen();
        return pos;
    }

    @Override
    public final SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        pos = newPosition;
        return this;
    }

    @Override
    public final long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public final SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final void close() throws IOException {
        if (open) {
            open = false;
            closeResources();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
