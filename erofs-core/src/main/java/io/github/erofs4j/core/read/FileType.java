package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;

/** The type of an inode, derived from the type bits of its {@code st_mode}. */
public enum FileType {
    /** A regular file. */
    REGULAR('f', Erofs.S_IFREG),
    /** A directory. */
    DIRECTORY('d', Erofs.S_IFDIR),
    /** A symbolic link. */
    SYMLINK('l', Erofs.S_IFLNK),
    /** A character device. */
    CHAR_DEVICE('c', Erofs.S_IFCHR),
    /** A block device. */
    BLOCK_DEVICE('b', Erofs.S_IFBLK),
    /** A named pipe. */
    FIFO('p', Erofs.S_IFIFO),
    /** A Unix domain socket. */
    SOCKET('s', Erofs.S_IFSOCK);

    private final char code;
    private final int modeBits;

    FileType(char code, int modeBits) {
        this.code = code;
        this.modeBits = modeBits;
    }

    /** The one-letter code used by manifests and {@code ls}: f d l c b p s. */
    public char manifestCode() {
        return code;
    }

    /** The {@code S_IFMT} bits of this type. */
    public int modeBits() {
        return modeBits;
    }

    /** The dirent file type code ({@code Erofs.FT_*}) of this type. */
    public int direntType() {
        return Erofs.fileTypeOfMode(modeBits);
    }

    /**
     * The type of an {@code st_mode}.
     *
     * @throws IllegalArgumentException if the type bits name no known type
     */
    public static FileType ofMode(int mode) {
        int fmt = mode & Erofs.S_IFMT;
        for (FileType t : values()) {
            if (t.modeBits == fmt) {
                return t;
            }
        }
        throw new IllegalArgumentException("no file type for mode 0" + Integer.toOctalString(mode));
    }

    /** The type of an {@code st_mode}, or null when its type bits name no known type. */
    static FileType ofModeOrNull(int mode) {
        int fmt = mode & Erofs.S_IFMT;
        for (FileType t : values()) {
            if (t.modeBits == fmt) {
                return t;
            }
        }
        return null;
    }
}
