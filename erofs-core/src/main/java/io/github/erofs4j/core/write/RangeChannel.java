package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A read-only window of a file channel; closing it closes the file channel. */
final class RangeChannel extends ReadOnlyChannel {
    private final FileChannel ch;
    private final long base;

    RangeChannel(FileChannel ch, long base, long size, long pos) {
        super(size, pos);
        this.ch = ch;
        this.base = base;
    }

    @Override
    int readAt(ByteBuffer dst, long at, int want) throws IOException {
        ByteBuffer d = dst.duplicate();
        d.limit(d.position() + want);
        int n = ch.read(d, base + at);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return ch.isOpen();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
