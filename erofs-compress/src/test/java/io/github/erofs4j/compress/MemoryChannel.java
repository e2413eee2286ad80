package io.github.erofs4j.compress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** A read-only {@link FileChannel} over a byte array, so damaged images need no temporary files. */
final class MemoryChannel extends FileChannel {
    private final byte[] data;
    private final int length;
    private long position;

    MemoryChannel(byte[] data, int length) {
        this.data = data;
        this.length = length;
    }

    @Override
    public int read(ByteBuffer dst, long pos) {
        if (pos >= length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), length - pos);
        dst.put(data, (int) pos, n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst) {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int len) {
        long total = 0;
        for (int i = offset; i < offset + len; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
        }
        return total;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int len) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public void force(boolean metaData) {}

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        throw new IOException("unsupported");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) throws IOException {
        throw new IOException("unsupported");
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) throws IOException {
        throw new IOException("unsupported");
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
        throw new IOException("unsupported");
    }

    @Override
    protected void implCloseChannel() {}
}
