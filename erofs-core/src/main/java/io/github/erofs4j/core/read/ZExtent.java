package io.github.erofs4j.core.read;

/**
 * One extent of a compressed inode, as the index describes it: logical bytes {@code [la, la + llen)} come from
 * the physical range {@code [pa, pa + plen)} decoded with {@code format}.
 *
 * @param la logical start in the file
 * @param llen logical length (the whole extent, not just the part a read needs)
 * @param pa physical byte address in the image; for {@link #FRAGMENT} the byte offset in the packed inode
 * @param plen physical length in bytes (0 for fragments and holes)
 * @param format an algorithm id ({@code Erofs.ALG_*}) or one of {@link #SHIFTED}, {@link #INTERLACED},
 *     {@link #FRAGMENT}, {@link #HOLE}
 * @param partialRef the extent uses only a prefix of its pcluster's decoded output (dedupe)
 * @param inline the pcluster is stored inline after the inode's indexes (ztailpacking), so {@code pa} is an
 *     offset in the inode's metadata space (the metabox's content for an inode kept there)
 */
record ZExtent(long la, long llen, long pa, int plen, int format, boolean partialRef, boolean inline) {

    /** An extent whose pcluster is not inline. */
    ZExtent(long la, long llen, long pa, int plen, int format, boolean partialRef) {
        this(la, llen, pa, plen, format, partialRef, false);
    }

    /** Uncompressed pcluster, the extent's bytes from its start. */
    static final int SHIFTED = -1;
    /** Uncompressed pcluster, rotated so in-block offsets match the file's. */
    static final int INTERLACED = -2;
    /** The bytes live in the packed inode at offset {@code pa}. */
    static final int FRAGMENT = -3;
    /** No data: reads as zeros (an encoded extent with no physical length). */
    static final int HOLE = -4;

    boolean compressed() {
        return format >= 0;
    }

    long end() {
        return la + llen;
    }
}
