package io.github.erofs4j.core.write;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of a regular file, read when the image is written (not when the tree is built), so that memory
 * stays bounded by metadata. The writer may open a content several times (the inline tail and the full blocks
 * are written at different moments), so {@link #open(long)} must give the same bytes each time.
 *
 * <p>Implementations must be safe to open from several threads at once; each opened channel is used by one
 * thread and closed by the writer.
 */
public interface FileContent {

    /** Size in bytes, as recorded in the inode. The writer fails if the bytes read do not match it. */
    long size();

    /**
     * Opens the content positioned at byte {@code position}. A {@link SeekableByteChannel} lets the writer
     * reposition instead of reopening; a {@link FileChannel} also lets it copy without a user-space buffer.
     */
    ReadableByteChannel open(long position) throws IOException;

    /** What this content is, for error messages: a path, an archive member name. */
    String describe();

    /** Content held in memory (the array is not copied: do not modify it afterwards). */
    static FileContent of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new FileContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public ReadableByteChannel open(long position) {
                ByteArrayChannel ch = new ByteArrayChannel(bytes);
                ch.position(position);
                return ch;
            }

            @Override
            public String describe() {
                return "in-memory content of " + bytes.length + " bytes";
            }
        };
    }

    /**
     * A sparse file: {@code size} zero bytes with no data of their own. The writer stores it as one hole chunk
     * (a chunk-based inode whose single map entry is a hole, the smallest power-of-two chunk covering the file,
     * at least a block), taking no data block, whatever the options; it reads back as zeros.
     */
    static FileContent hole(long size) {
        return new HoleContent(size);
    }

    /** The content of a regular file on disk; its size is read now, its bytes when the image is written. */
    static FileContent of(Path file) throws IOException {
        long size = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).size();
        return of(file, size);
    }

    /** The content of a regular file on disk with a size already known (for example from a directory scan). */
    static FileContent of(Path file, long size) {
        Objects.requireNonNull(file, "file");
        return new DiskContent(file, 0, size, true, file.toString());
    }

    /** A byte range of a file (for example a spool file holding the members of an archive). */
    static FileContent of(Path file, long offset, long size, String description) {
        Objects.requireNonNull(file, "file");
        return new DiskContent(file, offset, size, false, description);
    }

    /** Content produced by a stream supplier, which must give the same {@code size} bytes on each call. */
    static FileContent of(long size, StreamSupplier supplier, String description) {
        Objects.requireNonNull(supplier, "supplier");
        return new FileContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public ReadableByteChannel open(long position) throws IOException {
                InputStream in = supplier.open();
                long left = position;
                while (left > 0) {
                    long n = in.skip(left);
                    if (n <= 0) {
                        if (in.read() < 0) {
                            in.close();
                            throw new IOException(description + ": content ends before byte " + position);
                        }
                        n = 1;
                    }
                    left -= n;
                }
                return Channels.newChannel(in);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** Opens a fresh stream over a file's content. */
    @FunctionalInterface
    interface StreamSupplier {
        InputStream open() throws IOException;
    }
}
