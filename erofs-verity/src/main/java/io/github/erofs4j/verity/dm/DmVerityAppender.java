package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.MerkleTreeSinks;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds a dm-verity tree while an image is being written, and stores it (superblock and tree) once the image is
 * complete, either after the image in the same file or in a separate hash file. One pass: the image bytes are
 * hashed as they are produced; the tree levels wait in temporary files (the tree is about 1/128 of the image)
 * until {@link #finish} knows where the tree goes.
 *
 * <pre>{@code
 * try (DmVerityAppender a = DmVerityAppender.create(params, Parallelism.allCores(), tmpDir)) {
 *     a.update(buf, 0, n);                         // every image byte, in order
 *     ...
 *     DmVerityTree t = a.finish(imageChannel, imageSize);   // appended: --hash-offset=imageSize
 *     System.out.println("Root hash: " + t.rootHashHex());
 * }
 * }</pre>
 * The result is byte-identical to {@code veritysetup format IMG IMG --hash-offset=SIZE --data-blocks=SIZE/DBS}
 * (or, with a separate file and offset 0, to {@code veritysetup format IMG HASH}). The hash offset and data
 * block count in {@code params} are ignored: they come from {@link #finish}. Not thread-safe.
 */
public final class DmVerityAppender implements AutoCloseable {
    private final DmVerityParams params;
    private final MerkleTreeSinks.SpillingSink spill;
    private final DmVerityTreeBuilder builder;

    private DmVerityAppender(DmVerityParams params, Parallelism parallelism, Path tempDir) throws VerityException {
        this.params = params.toBuilder().hashOffset(0).dataBlocks(0).build();
        this.spill = MerkleTreeSinks.spilling(tempDir);
        this.builder = DmVerityTreeBuilder.create(this.params, parallelism, spill);
    }

    /** Creates an appender; temporary level files go to {@code tempDir} (null: the default temporary directory). */
    public static DmVerityAppender create(DmVerityParams params, Parallelism parallelism, Path tempDir)
            throws VerityException {
        return new DmVerityAppender(Objects.requireNonNull(params, "params"), Objects.requireNonNull(parallelism),
                tempDir);
    }

    /** Feeds image bytes, in order. */
    public void update(byte[] b, int off, int len) throws IOException {
        builder.update(b, off, len);
    }

    /** Feeds the remaining bytes of a buffer, in order. */
    public void update(ByteBuffer b) throws IOException {
        builder.update(b);
    }

    /** Image bytes fed so far. */
    public long size() {
        return builder.size();
    }

    /**
     * Completes the tree over the whole data blocks fed (a trailing partial block is not covered, as with
     * veritysetup) and writes the superblock (unless disabled) and the tree to {@code hashFile} starting at
     * {@code hashOffset}. For an appended tree pass the image's own channel and its size (a multiple of 512,
     * not below the data). The caller closes the channel.
     */
    public DmVerityTree finish(FileChannel hashFile, long hashOffset) throws IOException {
        DmVerityTree t = builder.finish();
        DmVerityParams p = params.toBuilder().hashOffset(hashOffset).dataBlocks(t.dataBlocks()).build();
        hashFile.position(p.treeOffset());
        spill.transferTo(hashFile);
        if (p.superblock()) {
            DmVerity.writeSuperblock(hashFile, p, t.dataBlocks());
        }
        return new DmVerityTree(p, t.rootHash(), t.dataBlocks(), t.layout());
    }

    /** Deletes the temporary files and stops worker threads. */
    @Override
    public void close() throws IOException {
        builder.close();
        spill.close();
    }
}
