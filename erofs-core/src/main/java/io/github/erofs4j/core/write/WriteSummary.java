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
 */
public record WriteSummary(long inodes, long blocks, int blockSize, long imageBytes, long metadataBlocks,
        int sharedXattrs, java.util.UUID uuid) {}
