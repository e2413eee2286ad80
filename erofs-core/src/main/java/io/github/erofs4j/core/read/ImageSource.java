package io.github.erofs4j.core.read;

import io.github.erofs4j.core.ErofsFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Every positional read of an image and its extra devices goes through here: each (offset, length) is checked
 * against the size of the device before anything is read or allocated, and a short read is reported as
 * truncation. Metadata reads of the primary device may be served from a small bounded cache of whole blocks.
 *
 * <p>Thread-safe: positional {@link FileChannel} reads do not move a shared position, and the cache is a
 * concurrent map of immutable (never modified after insertion) block arrays.
 */
final class ImageSource implements Closeable {
    private final FileChannel[] channels;
    private final long[] sizes;
    private final boolean[] owned;
    private int blockBits = 12;
    private BlockCache cache;

    ImageSource(FileChannel[] channels, boolean[] owned) throws IOException {
        this.channels = channels.clone();
        this.owned = owned.clone();
        this.sizes = new long[channels.length];
        for (int i = 0; i < channels.length; i++) {
            sizes[i] = channels[i].size();
        }
    }

    /** Enables the block cache once the block size is known. */
    void configure(int blockBits, long cacheBytes) {
        this.blockBits = blockBits;
        long blocks = cacheBytes >> blockBits;
        this.cache = blocks >= 4 ? new BlockCache((int) Math.min(blocks, 1 << 20)) : null;
    }

    int deviceCount() {
        return channels.length;
    }

    long size(int device) {
        return sizes[device];
    }

    /** Throws unless {@code [offset, offset + length)} lies inside the device. */
    void check(int device, long offset, long length, String structure) throws ErofsFormatException {
        long size = sizes[device];
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw ErofsFormatException.truncated(offset, deviceLabel(device) + structure, length, size - offset);
        }
    }

    private static String deviceLabel(int device) {
        return device == 0 ? "" : "device " + device + ": ";
    }

    /**
     * Reads {@code length} bytes of metadata at {@code offset} of the primary device into a new little-endian
     * buffer (position 0, limit {@code length}).
     */
    ByteBuffer meta(long offset, int length, String structure) throws IOException {
        check(0, offset, length, structure);
        byte[] out = new byte[length];
        BlockCache c = cache;
        if (c != null && length > 0 && (offset >>> blockBits) == ((offset + length - 1) >>> blockBits)) {
            long blk = offset >>> blockBits;
            byte[] block = c.get(blk);
            if (block == null) {
                long start = blk << blockBits;
                int n = (int) Math.min(1L << blockBits, sizes[0] - start);
                block = new byte[n];
                readFully(0, start, ByteBuffer.wrap(block), structure);
                c.put(blk, block);
            }
            System.arraycopy(block, (int) (offset - (blk << blockBits)), out, 0, length);
        } else {
            readFully(0, offset, ByteBuffer.wrap(out), structure);
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Fills {@code dst} (all its remaining bytes) from {@code offset} of a device. */
    void readFully(int device, long offset, ByteBuffer dst, String structure) throws IOException {
        int want = dst.remaining();
        check(device, offset, want, structure);
        FileChannel ch = channels[device];
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw ErofsFormatException.truncated(offset, deviceLabel(device) + structure, want,
                        pos - offset);
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < channels.length; i++) {
            if (owned[i]) {
                try {
                    channels[i].close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * A bounded map of block number to block bytes. Lock-free reads; when full, an arbitrary quarter of the
     * entries is dropped (cheaper than strict LRU under many reader threads, and just as bounded).
     */
    private static final class BlockCache {
        private final java.util.concurrent.ConcurrentHashMap<Long, byte[]> map =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final int maxBlocks;

        BlockCache(int maxBlocks) {
            this.maxBlocks = maxBlocks;
        }

        byte[] get(long blk) {
            return map.get(blk);
        }

        void put(long blk, byte[] block) {
            if (map.size() >= maxBlocks) {
                int drop = Math.max(1, maxBlocks / 4);
                java.util.Iterator<Long> it = map.keySet().iterator();
                while (drop-- > 0 && it.hasNext()) {
                    it.next();
                    it.remove();
                }
            }
            map.put(blk, block);
        }
    }
}
