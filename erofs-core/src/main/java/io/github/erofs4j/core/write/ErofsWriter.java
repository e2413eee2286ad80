package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;


/**
 * Writes an {@link FsTree} as an uncompressed EROFS image.
 *
 * <p>Example:
 * <pre>{@code
 * FsTree tree = new FsTree();
 * tree.put("etc/motd", Node.file("hello\n".getBytes(UTF_8)).mtime(1700000000, 0));
 * tree.put("bin/sh", Node.symlink("busybox"));
 * WriteSummary s = ErofsWriter.write(tree, Path.of("out.erofs"),
 *         WriteOptions.builder().buildTime(1700000000).build());
 * }</pre>
 *
 * <p>File contents are read while the image is written, so memory holds only metadata. The output is a
 * function of the tree and the options alone: not of the order in which nodes were added, nor of the number of
 * workers. Static methods only; each call is independent and thread-safe as long as the tree is not modified
 * during the call.
 */
public final class ErofsWriter {
    private ErofsWriter() {}

    /**
     * Writes the image to a file: to a temporary file next to it, renamed over {@code image} only once complete,
     * so a failed build leaves no image (and no temporary file) behind.
     */
    public static WriteSummary write(FsTree tree, Path image, WriteOptions options) throws IOException {
        Path abs = image.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        // Created by this one open, like any new file (mode 0666 minus the umask, unlike createTempFile's 0600),
        // and never truncated: on ext4, truncating a file (even an empty one) marks it for forced block allocation
        // at close, which costs a 200 MB image about 65 ms in close(2).
        // Readable too: the superblock checksum may be taken from block 0 as written.
        FileChannel created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        boolean ok = false;
        try {
            WriteSummary s;
            try (FileChannel ch = created) {
                // No fsync, like mkfs.erofs: the rename makes the image appear whole, and durability is the
                // caller's choice (it costs seconds on large images).
                s = new ImageBuilder(tree, options).buildFile(ch, tmp);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            ok = true;
            return s;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes the image to a channel from its current position onwards, sequentially (the channel is never
     * repositioned). The caller keeps ownership of the channel.
     */
    public static WriteSummary write(FsTree tree, SeekableByteChannel out, WriteOptions options)
            throws IOException {
        return new ImageBuilder(tree, options).build(out);
    }
}
