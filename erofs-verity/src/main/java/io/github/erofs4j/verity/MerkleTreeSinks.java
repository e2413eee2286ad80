package io.github.erofs4j.verity;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ready-made {@link MerkleTreeSink}s that store a tree in kernel order (root-most level first).
 *
 * <p>Two strategies, chosen by whether the tree's shape is known before hashing starts:
 * <ul>
 *   <li>{@link #positional}: the data size is known (a file, a declared length), so the {@link TreeLayout} is
 *       known and each block is written straight to its final offset. No temporary storage.</li>
 *   <li>{@link #spilling}: the size is unknown (a stream, an image still being written). Each level goes to its
 *       own temporary file; {@link MerkleTreeSink#finish} copies the levels top-down to the target and deletes
 *       them. Memory stays at one copy buffer; disk use is the tree size.</li>
 * </ul>
 * {@link #memory} collects a small tree in a byte array (tests, tiny files).
 */
public final class MerkleTreeSinks {
    private MerkleTreeSinks() {
    }

    /**
     * Writes each block at {@code offset + layout.offsetOf(level, index)} of {@code channel}. Fails with a
     * {@link VerityException} if the tree turns out to differ from {@code expected} (the data size changed).
     * The caller closes the channel.
     */
    public static MerkleTreeSink positional(SeekableByteChannel channel, long offset, TreeLayout expected) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(expected, "expected");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        return new MerkleTreeSink() {
            @Override
            public void block(int level, long index, ByteBuffer block) throws IOException {
                if (level >= expected.levels() || index >= expected.blocks(level)) {
                    throw new VerityException("Merkle tree outgrew its declared shape " + expected
                            + " at level " + level + " block " + index + ": the data is longer than declared");
                }
                writeFully(channel, offset + expected.offsetOf(level, index), block);
            }

            @Override
            public void finish(TreeLayout layout) throws IOException {
                if (!layout.equals(expected)) {
                    throw new VerityException("Merkle tree shape " + layout + " differs from the declared "
                            + expected + ": the data size changed while hashing");
                }
            }
        };
    }

    /**
     * Keeps each level in a temporary file in {@code tempDir} (the default temporary directory when null) and,
     * on finish, appends the levels root-most first to {@code target} at its current position. Close the
     * returned sink to delete the temporary files if hashing fails before finish. The caller closes
     * {@code target}.
     */
    public static SpillingSink spilling(WritableByteChannel target, Path tempDir) {
        return new SpillingSink(Objects.requireNonNull(target, "target"), tempDir);
    }

    /**
     * Like {@link #spilling(WritableByteChannel, Path)}, but the target is chosen after the tree is finished:
     * call {@link SpillingSink#transferTo} once (it deletes the temporary files), or close the sink to discard.
     */
    public static SpillingSink spilling(Path tempDir) {
        return new SpillingSink(null, tempDir);
    }

    /** Collects the tree in memory; fails with a {@link VerityException} beyond {@code maxBytes}. */
    public static MemorySink memory(long maxBytes) {
        return new MemorySink(maxBytes);
    }

    static void writeFully(SeekableByteChannel ch, long pos, ByteBuffer src) throws IOException {
        ByteBuffer b = src.duplicate();
        if (ch instanceof FileChannel fc) {
            long p = pos;
            while (b.hasRemaining()) {
                p += fc.write(b, p);
            }
        } else {
            ch.position(pos);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** A sink keeping one temporary file per level; see {@link MerkleTreeSinks#spilling}. Not thread-safe. */
    public static final class SpillingSink implements MerkleTreeSink, Closeable {
        private final WritableByteChannel target;
        private final Path tempDir;
        private final List<FileChannel> levels = new ArrayList<>();
        private final List<Path> files = new ArrayList<>();

        SpillingSink(WritableByteChannel target, Path tempDir) {
            this.target = target;
            this.tempDir = tempDir;
        }

        @Override
        public void block(int level, long index, ByteBuffer block) throws IOException {
            while (levels.size() <= level) {
                Path f = tempDir == null ? Files.createTempFile("erofs4j-tree-", ".tmp")
                        : Files.createTempFile(tempDir, "erofs4j-tree-", ".tmp");
                files.add(f);
                levels.add(FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE));
            }
            FileChannel ch = levels.get(level);
            ByteBuffer b = block.duplicate();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        private TreeLayout finished;

        @Override
        public void finish(TreeLayout layout) throws IOException {
            finished = layout;
            if (target != null) {
                transferTo(target);
            }
        }

        /**
         * Appends the finished tree, root-most level first, to {@code out} at its current position, then deletes
         * the temporary files. Needs {@link #finish} to have been called.
         */
        public void transferTo(WritableByteChannel out) throws IOException {
            if (finished == null) {
                throw new IllegalStateException("tree not finished");
            }
            TreeLayout layout = finished;
            try {
                for (int level = layout.levels() - 1; level >= 0; level--) {
                    FileChannel ch = levels.get(level);
                    long size = ch.size();
                    if (size != layout.blocks(level) * layout.blockSize()) {
                        throw new VerityException("spilled tree level " + level + " has " + size
                                + " bytes, expected " + layout.blocks(level) * layout.blockSize());
                    }
                    long pos = 0;
                    while (pos < size) {
                        long n = ch.transferTo(pos, size - pos, out);
                        if (n <= 0) {
                            throw new IOException("could not copy tree level " + level + " at " + pos);
                        }
                        pos += n;
                    }
                }
            } finally {
                close();
            }
        }

        /** Deletes the temporary files. Idempotent. */
        @Override
        public void close() throws IOException {
            IOException first = null;
            for (int i = 0; i < levels.size(); i++) {
                try {
                    levels.get(i).close();
                    Files.deleteIfExists(files.get(i));
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            levels.clear();
            files.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /** A sink that collects the tree in memory in kernel order; see {@link MerkleTreeSinks#memory}. */
    public static final class MemorySink implements MerkleTreeSink {
        private final long maxBytes;
        private final List<ByteArrayOutputStream> levels = new ArrayList<>();
        private long total;
        private byte[] result;

        MemorySink(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void block(int level, long index, ByteBuffer block) throws IOException {
            total += block.remaining();
            if (total > maxBytes) {
                throw new VerityException("Merkle tree larger than the in-memory limit of " + maxBytes + " bytes");
            }
            while (levels.size() <= level) {
                levels.add(new ByteArrayOutputStream());
            }
            ByteBuffer b = block.duplicate();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            levels.get(level).write(a);
        }

        @Override
        public void finish(TreeLayout layout) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int level = levels.size() - 1; level >= 0; level--) {
                all.writeBytes(levels.get(level).toByteArray());
            }
            result = all.toByteArray();
        }

        /** The tree in kernel order; empty for a tree without levels. Valid after finish. */
        public byte[] toByteArray() {
            if (result == null) {
                throw new IllegalStateException("tree not finished");
            }
            return result.clone();
        }
    }
}
