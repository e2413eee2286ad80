package io.github.erofs4j.overlay;

import io.github.erofs4j.core.internal.ReadOnlySeekableChannel;
import io.github.erofs4j.core.write.FileContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A seekable read-only channel over a file's content, opening the content at the position read from (again after a
 * seek, unless the content's channel can seek itself). Not thread-safe.
 */
final class ContentChannel extends ReadOnlySeekableChannel {
    private final FileContent content;
    private final long size;
    private ReadableByteChannel in;
    private long inPos;
    private final Runnable onClose;

    /** A channel over a content; {@code onClose} runs when it is closed. */
    ContentChannel(FileContent content, Runnable onClose) {
        super(content.size());
        this.content = content;
        this.size = content.size();
        this.onClose = onClose;
    }

    @Override
    protected int readAt(long pos, ByteBuffer dst) throws IOException {
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
        inPos = pos + n;
        return n;
    }

    @Override
    protected void closeResources() throws IOException {
        onClose.run();
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
