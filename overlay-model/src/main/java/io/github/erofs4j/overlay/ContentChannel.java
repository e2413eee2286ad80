package io.github.erofs4j.overlay;

import io.github.erofs4j.core.write.FileContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A seekable read-only channel over a file's content, opening the content at the position read from (again after a
 * seek, unless the content's channel can seek itself). Not thread-safe.
 */
final class ContentChannel implements SeekableByteChannel {
    private final FileContent content;
    private final long size;
    private ReadableByteChannel in;
    private long inPos;
    private long pos;
    private final Runnable onClose;
    private boolean open = true;

    /** A channel over a content; {@code onClose} runs when it is closed. */
    ContentChannel(FileContent content, Runnable onClose) {
        this.content = content;
        this.size = content.size();
        this.onClose = onClose;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (pos >= size) {
            return -1;
        }
        if (in == null || inPos != pos) {
            if (in instanceof SeekableByteChannel s) {
                s.position(pos);
            } else {
                if (in != null) {
                    in.close();
                }
                in = content.open(pos);
            }
            inPos = pos;
        }
        int limit = dst.limit();
        if (dst.remaining() > size - pos) {
            dst.limit(dst.position() + (int) (size - pos));
        }
        int n;
        try {
            n = in.read(dst);
        } finally {
            dst.limit(limit);
        }
        if (n < 0) {
            throw new IOException(content.describe() + ": content ends at byte " + pos + " of " + size);
        }
        pos += n;
        inPos = pos;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return pos;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        pos = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        onClose.run();
        if (in != null) {
            in.close();
            in = null;
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
