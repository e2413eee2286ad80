package io.github.erofs4j.verity;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * One-call fs-verity digests and Merkle trees, byte-identical to {@code fsverity digest}.
 *
 * <pre>{@code
 * FsVerityDigest d = FsVerity.digest(Path.of("image.erofs"));               // sha256, 4 KiB, no salt
 * System.out.println(d);                                                     // sha256:<hex>
 * FsVerity.digest(path, params, Parallelism.allCores(), Path.of("tree"));   // also writes the Merkle tree
 * try (var img = ErofsImage.open(p)) {                                       // a file inside an EROFS image
 *     FsVerity.digest(img.resolve("/usr/bin/sh").newInputStream(), FsVerityParams.defaults());
 * }
 * }</pre>
 *
 * <p>Stream and channel variants read from the current position to the end and do not close their source.
 * Stateless and thread-safe.
 */
public final class FsVerity {
    private FsVerity() {
    }

    /** The digest of a file with the default parameters, using all cores for large files. */
    public static FsVerityDigest digest(Path file) throws IOException {
        return digest(file, FsVerityParams.defaults(), Parallelism.allCores(), null);
    }

    /** The digest of a file, using all cores for large files. */
    public static FsVerityDigest digest(Path file, FsVerityParams params) throws IOException {
        return digest(file, params, Parallelism.allCores(), null);
    }

    /**
     * The digest of a file; when {@code treeOut} is not null the Merkle tree is written there in kernel order
     * (replacing the file; empty when the file has at most one block), like {@code --out-merkle-tree}.
     */
    public static FsVerityDigest digest(Path file, FsVerityParams params, Parallelism parallelism, Path treeOut)
            throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return digest(in, params, parallelism, treeOut);
        }
    }

    /**
     * The digest of a channel's bytes from its current position to its end; tree as in
     * {@link #digest(Path, FsVerityParams, Parallelism, Path)}.
     */
    public static FsVerityDigest digest(SeekableByteChannel in, FsVerityParams params, Parallelism parallelism,
                                        Path treeOut) throws IOException {
        Objects.requireNonNull(params, "params");
        long remaining = Math.max(0, in.size() - in.position());
        if (treeOut == null) {
            try (FsVerityHasher h = FsVerityHasher.create(params, parallelism, null)) {
                h.update(in);
                return h.finish();
            }
        }
        try (FileChannel out = FileChannel.open(treeOut, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             FsVerityHasher h = FsVerityHasher.create(params, parallelism,
                     MerkleTreeSinks.positional(out, 0, params.layoutFor(remaining)))) {
            long n = h.update(in);
            if (n != remaining) {
                throw new VerityException("file size changed while hashing: expected " + remaining + " bytes, read " + n);
            }
            return h.finish();
        }
    }

    /** The digest of a channel's bytes from its current position to its end, computing only the digest. */
    public static FsVerityDigest digest(SeekableByteChannel in, FsVerityParams params) throws IOException {
        return digest(in, params, Parallelism.allCores(), null);
    }

    /** The digest of a stream's bytes to its end, computing only the digest. */
    public static FsVerityDigest digest(InputStream in, FsVerityParams params) throws IOException {
        return digest(in, params, Parallelism.allCores(), null);
    }

    /**
     * The digest of a stream's bytes to its end. The size is not known in advance, so a tree (when
     * {@code treeOut} is not null) is built with one temporary file per level next to {@code treeOut} and
     * assembled at the end.
     */
    public static FsVerityDigest digest(InputStream in, FsVerityParams params, Parallelism parallelism, Path treeOut)
            throws IOException {
        Objects.requireNonNull(params, "params");
        if (treeOut == null) {
            try (FsVerityHasher h = FsVerityHasher.create(params, parallelism, null)) {
                h.update(in);
                return h.finish();
            }
        }
        Path dir = treeOut.toAbsolutePath().getParent();
        try (FileChannel out = FileChannel.open(treeOut, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             MerkleTreeSinks.SpillingSink sink = MerkleTreeSinks.spilling(out, dir);
             FsVerityHasher h = FsVerityHasher.create(params, parallelism, sink)) {
            h.update(in);
            return h.finish();
        }
    }

    /**
     * The digest of a regular file inside an EROFS image, read through the image reader without extracting it
     * (what composefs puts in {@code trusted.overlay.metacopy}).
     */
    public static FsVerityDigest digest(ErofsInode file, FsVerityParams params, Parallelism parallelism)
            throws IOException {
        if (file.type() != FileType.REGULAR) {
            throw new VerityException("nid " + file.nid() + " is a " + file.type().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a regular file");
        }
        try (SeekableByteChannel ch = file.newByteChannel()) {
            return digest(ch, params, parallelism, null);
        }
    }

    /** The digest of the regular file at {@code path} inside an open EROFS image. */
    public static FsVerityDigest digest(ErofsImage image, String path, FsVerityParams params) throws IOException {
        return digest(image.resolve(path), params, Parallelism.allCores());
    }

    /** Writes the 256-byte descriptor of a result to a file, like {@code --out-descriptor}. */
    public static void writeDescriptor(FsVerityDigest digest, Path out) throws IOException {
        Files.write(out, digest.descriptorBytes());
    }
}
