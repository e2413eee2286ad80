package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only temporary file holding archive member contents until the image is written. */
final class Spool implements Closeable {
    private final Path file;
    private final FileChannel ch;
    private final byte[] buf = new byte[1 << 16];
    private long size;

    /** Fills a tree from an archive, spooling member contents. */
    @FunctionalInterface
    interface Filler {
        void fill(FsTree tree, Spool spool) throws IOException;
    }

    /**
     * Reads an archive into a new tree with a new spool in {@code options}' spool directory; the spool is deleted
     * if reading fails, else handed to the returned tree, which deletes it when closed.
     */
    static SourceTree read(SourceOptions options, SourceKind kind, Compression compression, Filler filler)
            throws IOException {
        FsTree tree = new FsTree();
        Spool spool = new Spool(options.spoolDirectory());
        try {
            filler.fill(tree, spool);
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        return new SourceTree(tree, spool, kind, compression);
    }

    Spool(Path dir) throws IOException {
        this.file = dir == null ? Files.createTempFile("erofs4j-spool", ".tmp")
                : Files.createTempFile(dir, "erofs4j-spool", ".tmp");
        this.ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        file.toFile().deleteOnExit();
    }

    /** Copies exactly {@code len} bytes of {@code in} to the spool; returns the content, or fails naming it. */
    FileContent add(InputStream in, long len, String what) throws IOException {
        long start = size;
        long left = len;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(what + ": archive truncated in the middle of this member ("
                        + (len - left) + " of " + len + " bytes)");
            }
            // Runs of zeros (holes of sparse members, compression bombs of zeros) are left as holes of the spool
            // file: they cost no disk.
            if (!isZeros(buf, n)) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b, size + (n - b.remaining()));
                }
            }
            size += n;
            left -= n;
        }
        if (len > 0 && ch.size() < size) {
            ch.write(ByteBuffer.allocate(1), size - 1); // the file reaches the end of the member
        }
        return FileContent.of(file, start, len, what);
    }

    private static final byte[] ZEROS = new byte[1 << 16];

    private static boolean isZeros(byte[] b, int n) {
        return java.util.Arrays.mismatch(b, 0, n, ZEROS, 0, n) < 0;
    }

    @Override
    public void close() throws IOException {
        ch.close();
        Files.deleteIfExists(file);
    }
}
