package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * Content stored in a file on disk: a whole regular file (opened without following a symlink), or a byte range
 * of a file such as an archive's spool. The writer may copy it from file to image in the kernel. Equal only to
 * itself, like any content.
 */
final class DiskContent implements FileContent {
    /** The file holding the bytes. */
    final Path file;
    /** Where the content starts in it. */
    final long offset;
    private final long size;
    /** Whether the content is the whole file (and a symlink there must not be followed). */
    final boolean wholeFile;
    private final String description;

    DiskContent(Path file, long offset, long size, boolean wholeFile, String description) {
        this.file = file;
        this.offset = offset;
        this.size = size;
        this.wholeFile = wholeFile;
        this.description = description;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ReadableByteChannel open(long position) throws IOException {
        if (!wholeFile) {
            return new RangeChannel(FileChannel.open(file, Opening.READ), offset, size, position);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, Opening.READ_NOFOLLOW);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e, e);
        }
        if (position != 0) {
            ch.position(position);
        }
        return ch;
    }

    @Override
    public String describe() {
        return description;
    }
}
