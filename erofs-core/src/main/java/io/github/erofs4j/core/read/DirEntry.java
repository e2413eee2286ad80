package io.github.erofs4j.core.read;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One directory entry as stored on disk. Immutable: the name bytes are copied in and out.
 *
 * @param nameBytes the raw name (1 to 255 bytes, no NUL, no '/')
 * @param nid the nid of the inode the entry points to
 * @param fileType the dirent file type code ({@code Erofs.FT_*}) as stored
 */
public record DirEntry(byte[] nameBytes, long nid, int fileType) {

    public DirEntry {
        nameBytes = nameBytes.clone();
    }

    @Override
    public byte[] nameBytes() {
        return nameBytes.clone();
    }

    /** The name decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String name() {
        return new String(nameBytes, StandardCharsets.UTF_8);
    }

    /** Whether this is the "." or ".." entry. */
    public boolean isDotOrDotDot() {
        return (nameBytes.length == 1 && nameBytes[0] == '.')
                || (nameBytes.length == 2 && nameBytes[0] == '.' && nameBytes[1] == '.');
    }

    /** The raw name without copying, for the package. */
    byte[] rawName() {
        return nameBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirEntry d && nid == d.nid && fileType == d.fileType
                && Arrays.equals(nameBytes, d.nameBytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nameBytes) * 31 + Long.hashCode(nid) + fileType;
    }

    @Override
    public String toString() {
        return "DirEntry[name=" + name() + ", nid=" + nid + ", fileType=" + fileType + "]";
    }
}
