package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over a byte array (used by {@link FileContent#of(byte[])}). */
final class ByteArrayChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private long pos;
    private boolean open = true;

    ByteArrayChannel(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (pos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - pos);
        dst.put(bytes, (int) pos, n);
        pos += n;
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
    public ByteArrayChannel position(long newPosition) {
        pos = newPosition;
        return this;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}

