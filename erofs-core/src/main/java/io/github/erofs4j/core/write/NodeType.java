package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;

/** The type of a {@link Node}: the file types an EROFS image can hold. */
public enum NodeType {
    REGULAR(Erofs.S_IFREG, Erofs.FT_REG_FILE),
    DIRECTORY(Erofs.S_IFDIR, Erofs.FT_DIR),
    SYMLINK(Erofs.S_IFLNK, Erofs.FT_SYMLINK),
    CHAR_DEVICE(Erofs.S_IFCHR, Erofs.FT_CHRDEV),
    BLOCK_DEVICE(Erofs.S_IFBLK, Erofs.FT_BLKDEV),
    FIFO(Erofs.S_IFIFO, Erofs.FT_FIFO),
    SOCKET(Erofs.S_IFSOCK, Erofs.FT_SOCK);

    private final int modeBits;
    private final int direntType;

    NodeType(int modeBits, int direntType) {
        this.modeBits = modeBits;
        this.direntType = direntType;
    }

    /** The st_mode type bits ({@code S_IF*}). */
    public int modeBits() {
        return modeBits;
    }

    /** The dirent file type code ({@code Erofs.FT_*}). */
    public int direntType() {
        return direntType;
    }

    /** The type of an st_mode value, or null if its type bits name no known type. */
    public static NodeType ofMode(int mode) {
        int t = mode & Erofs.S_IFMT;
        for (NodeType n : values()) {
            if (n.modeBits == t) {
                return n;
            }
        }
        return null;
    }
}
