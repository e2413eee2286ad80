package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Feature;
import java.nio.ByteBuffer;

/**
 * A regular file stored compressed ({@code COMPRESSED_COMPACT} or {@code COMPRESSED_FULL}): its pclusters in
 * consecutive data blocks, its map after the inode's xattrs, and its tail inline after the map (ztailpacking)
 * where it fits in the inode's block, else in one more block after the pclusters.
 */
final class CompressedData extends DataPlan {
    final ZFile file;
    /** Bytes of the inode core and xattr body, which decide where the map starts. */
    private final int head;
    private final int mapBytes;
    /** First data block (the pclusters, then the tail block if any); where the next one would be if none. */
    long startBlk = -1;

    /** {@code mapBytes}: {@code file.mapSize(head)}, which the planner has already worked out. */
    CompressedData(ZFile file, int head, int mapBytes) {
        this.file = file;
        this.head = head;
        this.mapBytes = mapBytes;
    }

    @Override
    int layout() {
        return file.layout();
    }

    @Override
    int mapBytes() {
        return mapBytes;
    }

    @Override
    int mapOffset(int head) {
        return (head + 7) & ~7;
    }

    @Override
    int inlineBytes() {
        return file.inlineSize();
    }

    @Override
    void allocate(Blocks blocks) {
        startBlk = blocks.take(file.blocks());
        file.startBlk = startBlk;
    }

    @Override
    long rawBlockField(long size, int blockBits) {
        return file.blocks();
    }

    @Override
    void encodeMap(ByteBuffer inode, int at) {
        byte[] map = file.map(head, startBlk);
        inode.put(at, map, 0, map.length);
    }

    @Override
    int incompatFeatures() {
        int f = Feature.INCOMPAT_ZERO_PADDING;
        if (file.bigPcluster) {
            f |= Feature.INCOMPAT_BIG_PCLUSTER;
        }
        if (file.inlineSize() > 0) {
            f |= Feature.INCOMPAT_ZTAILPACKING;
        }
        if (file.fragmentOffset >= 0 || file.shared) {
            f |= Feature.INCOMPAT_FRAGMENTS;
        }
        return f;
    }

    /** The inline tail pcluster stored after the map. */
    byte[] inline() {
        return file.inline;
    }
}
