package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/** A read-only window of a file channel; closing it closes the file channel. */
final class RangeChannel implements SeekableByteChannel {
    private final FileChannel ch;
    private final long base;
    private final long size;
    private long pos;

    RangeChannel(FileChannel ch, long base, long size, long pos) {
        this.ch = ch;
        this.base = base;
        this.size = size;
        this.pos = pos;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (pos >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - pos);
        ByteBuffer d = dst.duplicate();
        d.limit(d.position() + want);
        int n = ch.read(d, base + pos);
        if (n > 0) {
            dst.position(dst.position() + n);
            pos += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public RangeChannel position(long newPosition) {
        pos = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
        throw new java.nio.channels.NonWritableChannelException();
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
