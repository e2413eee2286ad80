package io.github.erofs4j.core.read;

import io.github.erofs4j.core.ErofsFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every positional read of an image and its extra devices goes through here: each (offset, length) is checked
 * against the size of the device before anything is read or allocated, and a short read is reported as
 * truncation. Metadata reads of the primary device may be served from a small bounded cache of whole blocks.
 *
 * <p>Thread-safe: {@link ByteSource} reads are positional, and the cache is a concurrent map of immutable (never
 * modified after insertion) block arrays. The sizes are taken once, when the image is opened.
 */
final class ImageSource implements Closeable {
    private final ByteSource[] devices;
    private final long[] sizes;
    private final boolean[] owned;
    private int blockBits = 12;
    private BlockCache cache;

    /**
     * @param devices the primary device first, then the extra devices in device-table order
     * @param owned which of them {@link #close()} closes
     */
    ImageSource(ByteSource[] devices, boolean[] owned) throws IOException {
        this.devices = devices.clone();
        this.owned = owned.clone();
        this.sizes = new long[devices.length];
        for (int i = 0; i < devices.length; i++) {
            long n = devices[i].size();
            if (n < 0) {
                throw new IOException("byte source " + devices[i] + " reports a negative size " + n);
            }
            sizes[i] = n;
        }
    }

    /** Enables the block cache once the block size is known. */
    void configure(int blockBits, long cacheBytes) {
        this.blockBits = blockBits;
        long blocks = cacheBytes >> blockBits;
        this.cache = blocks >= 4 ? new BlockCache((int) Math.min(blocks, 1 << 20)) : null;
    }

    int deviceCount() {
        return devices.length;
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
        ByteSource src = devices[device];
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = src.read(pos, dst);
            if (n <= 0) {
                throw ErofsFormatException.truncated(offset, deviceLabel(device) + structure, want,
                        pos - offset);
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < devices.length; i++) {
            if (owned[i]) {
                try {
                    devices[i].close();
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
    static final class BlockCache {
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
