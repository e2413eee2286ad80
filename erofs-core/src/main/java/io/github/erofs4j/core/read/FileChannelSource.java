package io.github.erofs4j.core.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link ByteSource} over a {@link FileChannel}: positional reads, which move no shared position. */
final class FileChannelSource implements ByteSource {
    private final FileChannel channel;
    private final boolean closeChannel;

    FileChannelSource(FileChannel channel, boolean closeChannel) {
        this.channel = channel;
        this.closeChannel = closeChannel;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
        if (closeChannel) {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "ByteSource[" + channel + "]";
    }
}
