package io.github.erofs4j.core.write;

import java.nio.ByteBuffer;

/** A read-only channel over a byte array (used by {@link FileContent#of(byte[])}). */
final class ByteArrayChannel extends ReadOnlyChannel {
    private final byte[] bytes;
    private boolean open = true;

    ByteArrayChannel(byte[] bytes) {
        super(bytes.length, 0);
        this.bytes = bytes;
    }

    @Override
    int readAt(ByteBuffer dst, long at, int want) {
        dst.put(bytes, (int) at, want);
        return want;
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
