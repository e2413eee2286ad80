package io.github.erofs4j.core.read;

/**
 * A run of file data mapped to one place: the unit of {@link ErofsInode#dataExtents()}.
 *
 * @param logicalOffset where the run starts in the file
 * @param length bytes of file data in the run
 * @param device the device holding the data: 0 for the primary image, k for the k-th extra device (after the
 *     unified-address rule is applied; with no extra device files given, always 0), or {@link #METABOX} for
 *     inline data of an inode kept in the metabox (then only the reader can fetch the bytes)
 * @param physicalOffset byte offset on that device (in the metabox's content for {@link #METABOX}), or -1 for
 *     a hole (reads as zeros)
 * @param compressed whether the run is stored compressed (then {@code length} is the uncompressed length)
 */
public record DataExtent(long logicalOffset, long length, int device, long physicalOffset, boolean compressed) {

    /** The {@link #device()} of data stored inside the metabox inode's content rather than on a device. */
    public static final int METABOX = -1;

    /** Whether this run is a hole. */
    public boolean hole() {
        return physicalOffset < 0;
    }
}
