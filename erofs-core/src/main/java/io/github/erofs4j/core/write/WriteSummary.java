package io.github.erofs4j.core.write;

/**
 * What a build produced.
 *
 * @param inodes number of inodes
 * @param blocks number of blocks in the image
 * @param blockSize block size
 * @param imageBytes image size in bytes ({@code blocks * blockSize})
 * @param metadataBlocks blocks holding the superblock, inodes, inline data and shared xattrs
 * @param sharedXattrs number of shared xattr entries
 * @param uuid volume UUID
 * @param compressedFiles regular files stored compressed
 * @param compressedSourceBytes the size of those files
 * @param compressedStoredBytes what they take in the image: pclusters, tail blocks and inline tails (maps not
 *     counted)
 */
public record WriteSummary(long inodes, long blocks, int blockSize, long imageBytes, long metadataBlocks,
        int sharedXattrs, java.util.UUID uuid, long compressedFiles, long compressedSourceBytes,
        long compressedStoredBytes) {

    /** A summary of an image without compressed files. */
    public WriteSummary(long inodes, long blocks, int blockSize, long imageBytes, long metadataBlocks,
            int sharedXattrs, java.util.UUID uuid) {
        this(inodes, blocks, blockSize, imageBytes, metadataBlocks, sharedXattrs, uuid, 0, 0, 0);
    }
}
