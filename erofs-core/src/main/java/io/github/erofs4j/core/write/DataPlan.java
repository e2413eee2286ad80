package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * How one inode's data is stored: the decision of {@link DataPlanner}, read by the later stages through this
 * interface only (placement asks for the map size and inline bytes, the inode encoder for the layout, the
 * {@code i_u} field and the map, the superblock for feature bits). A new storage form (compressed files with
 * their cluster map) is a new subclass and a new case in {@link DataPlanner} and {@link DataEmitter}.
 */
abstract sealed class DataPlan permits FlatData, ChunkedData, CompressedData {

    /** The inode's {@code datalayout}. */
    abstract int layout();

    /** Bytes of the map (chunk entries, cluster indexes) stored after the xattrs; 0 for none. */
    int mapBytes() {
        return 0;
    }

    /** Offset of the map from the inode's start, given the bytes of core and xattrs before it. */
    int mapOffset(int head) {
        return head;
    }

    /** Bytes of data stored inline after the inode (and its map). */
    int inlineBytes() {
        return 0;
    }

    /** Gives this inode's data blocks from the allocator; called again when the data area moves. */
    abstract void allocate(Blocks blocks) throws IOException;

    /** The {@code i_u} field of a regular file, directory or symlink. */
    abstract long rawBlockField(long size, int blockBits);

    /** Writes the map at {@code at} of the inode's bytes. */
    void encodeMap(ByteBuffer inode, int at) {
    }

    /** Incompatible feature bits that this form of storage needs in the superblock. */
    int incompatFeatures() {
        return 0;
    }

    /** Data block allocation in inode order, with content-addressed sharing of chunks. */
    static final class Blocks {
        private final int blockBits;
        private long next;
        private final Map<ByteKey, Long> byDigest = new HashMap<>();

        Blocks(long base, int blockBits) {
            this.next = base;
            this.blockBits = blockBits;
        }

        /** The first of {@code count} fresh blocks. */
        long take(long count) {
            long at = next;
            next += count;
            return at;
        }

        /** The block where content with this key already is, or -1. */
        long find(byte[] key) {
            Long b = byDigest.get(new ByteKey(key));
            return b == null ? -1 : b;
        }

        /** Fresh blocks for {@code bytes} of content with this key, remembered for later equal content. */
        long takeFor(byte[] key, long bytes) {
            long at = take((bytes + (1L << blockBits) - 1) >>> blockBits);
            byDigest.put(new ByteKey(key), at);
            return at;
        }

        /** The first block not given out yet. */
        long next() {
            return next;
        }
    }
}
