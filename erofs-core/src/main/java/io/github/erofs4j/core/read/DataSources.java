package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;

/** The one place that picks the {@link DataSource} for an inode's data layout. */
final class DataSources {
    private DataSources() {}

    static DataSource create(ErofsInode inode) throws IOException {
        int layout = inode.dataLayout();
        return switch (layout) {
            case Erofs.LAYOUT_FLAT_PLAIN, Erofs.LAYOUT_FLAT_INLINE -> FlatDataSource.create(inode);
            case Erofs.LAYOUT_CHUNK_BASED -> ChunkDataSource.create(inode);
            case Erofs.LAYOUT_COMPRESSED_FULL, Erofs.LAYOUT_COMPRESSED_COMPACT -> CompressedDataSource.create(inode);
            default -> throw ErofsFormatException.unsupported(inode.inodeOffset(), "inode nid " + inode.nid(),
                    "data layout " + layout, null);
        };
    }

    /** Fills {@code n} bytes of {@code dst} with zeros (a hole). */
    static void zeros(java.nio.ByteBuffer dst, int n) {
        if (dst.hasArray()) {
            int at = dst.arrayOffset() + dst.position();
            java.util.Arrays.fill(dst.array(), at, at + n, (byte) 0);
            dst.position(dst.position() + n);
            return;
        }
        int left = n;
        while (left > 0) {
            int k = Math.min(left, ZERO.length);
            dst.put(ZERO, 0, k);
            left -= k;
        }
    }

    private static final byte[] ZERO = new byte[8192];
}
