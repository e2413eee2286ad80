package io.github.erofs4j.core.write;

/**
 * Compressed metadata ({@code -m SIZE[:ALG]} of mkfs.erofs): every inode of the tree, with its xattrs, map and
 * inline data, is stored in the data of one special inode, the metabox, compressed in pclusters of up to
 * {@code pclusterSize} bytes with algorithm {@code algorithm} of {@link Compression#algorithms()} (stored
 * uncompressed when the image has no compression). Nids of those inodes carry bit 63; the image needs the 48-bit
 * layout and Linux 6.17 or later.
 *
 * @param pclusterSize the largest pcluster of the metabox in bytes, a multiple of the block size and no larger than
 *     the image's largest pcluster
 * @param algorithm the index into {@link Compression#algorithms()} (0: the primary algorithm)
 */
public record Metabox(int pclusterSize, int algorithm) {
    public Metabox {
        if (pclusterSize <= 0 || pclusterSize > (1 << 20)) {
            throw new IllegalArgumentException("metabox pcluster size must be from 1 byte to 1 MiB: " + pclusterSize);
        }
        if (algorithm < 0) {
            throw new IllegalArgumentException("metabox algorithm index must not be negative: " + algorithm);
        }
    }
}
