package io.github.erofs4j.core.write;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A file of zeros with no data of its own ({@link FileContent#hole(long)}): the writer stores it as one hole
 * chunk, taking no data block, whatever the options.
 */
record HoleContent(long size) implements FileContent {
    HoleContent {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }

    @Override
    public ReadableByteChannel open(long position) {
        return new Zeros(size, position);
    }

    @Override
    public String describe() {
        return "hole of " + size + " bytes";
    }

    /** Reads as zeros. */
    private static final class Zeros extends ReadOnlyChannel {
        private boolean open = true;

        Zeros(long size, long position) {
            super(size, position);
        }

        @Override
        int readAt(ByteBuffer dst, long at, int want) {
            for (int i = 0; i < want; i++) {
                dst.put((byte) 0);
            }
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
}
