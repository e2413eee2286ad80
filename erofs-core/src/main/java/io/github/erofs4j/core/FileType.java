package io.github.erofs4j.core;

import java.util.Optional;

/**
 * The type of a file, as the mode's {@code S_IFMT} bits and a directory entry's {@code file_type} byte tell it.
 * Used by both the reader (what an inode is) and the writer (what a node becomes).
 */
public enum FileType {
    /** A regular file. */
    REGULAR('f', 0100000, 1),
    /** A directory. */
    DIRECTORY('d', 0040000, 2),
    /** A symbolic link. */
    SYMLINK('l', 0120000, 7),
    /** A character device (an overlayfs whiteout when its device number is 0:0). */
    CHAR_DEVICE('c', 0020000, 3),
    /** A block device. */
    BLOCK_DEVICE('b', 0060000, 4),
    /** A named pipe. */
    FIFO('p', 0010000, 5),
    /** A Unix domain socket. */
    SOCKET('s', 0140000, 6);

    private static final int S_IFMT = 0170000;

    private final char code;
    private final int modeBits;
    private final int direntType;

    FileType(char code, int modeBits, int direntType) {
        this.code = code;
        this.modeBits = modeBits;
        this.direntType = direntType;
    }

    /** The one-letter code of {@code find -printf %y} and of image manifests ({@code f d l c b p s}). */
    public char manifestCode() {
        return code;
    }

    /** The {@code S_IFMT} bits of this type. */
    public int modeBits() {
        return modeBits;
    }

    /** The {@code file_type} byte EROFS stores in directory entries ({@code EROFS_FT_*}). */
    public int direntType() {
        return direntType;
    }

    /**
     * The type of a mode.
     *
     * @throws IllegalArgumentException if the mode's {@code S_IFMT} bits name no file type
     */
    public static FileType ofMode(int mode) {
        return fromMode(mode).orElseThrow(
                () -> new IllegalArgumentException("no file type for mode 0" + Integer.toOctalString(mode)));
    }

    /** The type of a mode, or empty when its {@code S_IFMT} bits name no file type. */
    public static Optional<FileType> fromMode(int mode) {
        int fmt = mode & S_IFMT;
        for (FileType t : values()) {
            if (t.modeBits == fmt) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
