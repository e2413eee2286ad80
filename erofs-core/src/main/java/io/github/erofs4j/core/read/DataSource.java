package io.github.erofs4j.core.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * How the data of one inode is found: one implementation per data layout, created by
 * {@link DataSources#create(ErofsInode)}. Implementations are immutable and thread-safe.
 */
interface DataSource {

    /**
     * Reads bytes at file position {@code pos} (0 &lt;= pos &lt; size) into {@code dst}.
     *
     * @return the number of bytes read, at least 1 when {@code dst} has room; may be fewer than requested (for
     *     example at an extent boundary)
     */
    int read(long pos, ByteBuffer dst) throws IOException;

    /** The data extents in logical order, covering the whole file. */
    List<DataExtent> extents() throws IOException;

    /**
     * Where file position {@code pos} is stored in the primary image, for error messages; -1 when that is not a
     * single byte of the primary image (holes, other devices, compressed data).
     */
    default long physicalOffset(long pos) {
        return -1;
    }
}
