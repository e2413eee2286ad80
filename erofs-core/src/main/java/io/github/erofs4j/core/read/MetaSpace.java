package io.github.erofs4j.core.read;

import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where the metadata of an inode lives: its core, xattr body, inline (tail-packed) data, chunk map and
 * compressed indexes. That is the primary device for most inodes; for an inode whose nid has bit 63 set (an image
 * with the metabox feature) it is the content of the metabox inode, and offsets count from the start of that
 * content. Shared xattrs and long xattr prefixes may live in the metabox too.
 *
 * <p>Thread-safe.
 */
abstract class MetaSpace {

    /** Throws unless {@code [offset, offset + length)} lies inside the space. */
    abstract void check(long offset, long length, String structure) throws ErofsFormatException;

    /** Reads {@code length} bytes at {@code offset} into a new little-endian buffer (position 0). */
    abstract ByteBuffer meta(long offset, int length, String structure) throws IOException;

    /** Whether this is the metabox rather than the primary device. */
    abstract boolean metabox();

    /** The primary device, through the image's block cache. */
    static MetaSpace primary(ImageSource source) {
        return new MetaSpace() {
            @Override
            void check(long offset, long length, String structure) throws ErofsFormatException {
                source.check(0, offset, length, structure);
            }

            @Override
            ByteBuffer meta(long offset, int length, String structure) throws IOException {
                return source.meta(offset, length, structure);
            }

            @Override
            boolean metabox() {
                return false;
            }
        };
    }

    /**
     * The content of the metabox inode. Reads are served from whole blocks of that content kept in a small
     * bounded cache, since inode cores and indexes are read a few bytes at a time and the metabox may be
     * compressed.
     */
    static final class Metabox extends MetaSpace {
        private static final String LABEL = "metabox: ";
        private final ErofsInode box;
        private final long size;
        private final int blockBits;
        private final ImageSource.BlockCache cache;

        Metabox(ErofsInode box, int blockBits, long cacheBytes) {
            this.box = box;
            this.size = box.size();
            this.blockBits = blockBits;
            long blocks = cacheBytes >> blockBits;
            this.cache = new ImageSource.BlockCache((int) Math.max(16, Math.min(blocks, 1 << 20)));
        }

        /** The metabox inode. */
        ErofsInode inode() {
            return box;
        }

        @Override
        void check(long offset, long length, String structure) throws ErofsFormatException {
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                throw ErofsFormatException.truncated(offset, LABEL + structure, length, size - offset);
            }
        }

        @Override
        ByteBuffer meta(long offset, int length, String structure) throws IOException {
            check(offset, length, structure);
            byte[] out = new byte[length];
            int done = 0;
            while (done < length) {
                long pos = offset + done;
                long blk = pos >>> blockBits;
                byte[] block = block(blk, structure);
                int within = (int) (pos - (blk << blockBits));
                int n = Math.min(length - done, block.length - within);
                if (n <= 0) {
                    throw ErofsFormatException.truncated(offset, LABEL + structure, length, done);
                }
                System.arraycopy(block, within, out, done, n);
                done += n;
            }
            return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        }

        private byte[] block(long blk, String structure) throws IOException {
            byte[] block = cache.get(blk);
            if (block != null) {
                return block;
            }
            long start = blk << blockBits;
            int n = (int) Math.min(1L << blockBits, size - start);
            block = new byte[n];
            int done = 0;
            while (done < n) {
                int k = box.read(start + done, block, done, n - done);
                if (k <= 0) {
                    throw ErofsFormatException.truncated(start, LABEL + structure + " (metabox inode nid "
                            + box.nid() + ")", n, done);
                }
                done += k;
            }
            cache.put(blk, block);
            return block;
        }

        @Override
        boolean metabox() {
            return true;
        }
    }
}
