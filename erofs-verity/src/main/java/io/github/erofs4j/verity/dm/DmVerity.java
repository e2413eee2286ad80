package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.MerkleTreeSink;
import io.github.erofs4j.verity.MerkleTreeSinks;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.TreeLayout;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * dm-verity over files: {@link #format} (like {@code veritysetup format}) and {@link #verify} (like
 * {@code veritysetup verify}). Stateless and thread-safe.
 *
 * <pre>{@code
 * // tree appended to the image itself, as for an EROFS boot image:
 * long size = Files.size(img);
 * DmVerityTree t = DmVerity.format(img, img, DmVerityParams.builder()
 *         .hashOffset(size).dataBlocks(size / 4096).build(), Parallelism.allCores());
 * DmVerity.verify(img, img, t.rootHash(), DmVerityParams.builder().hashOffset(size).build(), Parallelism.allCores());
 * }</pre>
 */
public final class DmVerity {
    private DmVerity() {
    }

    /**
     * Builds the tree over {@code data} and writes superblock (unless disabled) and tree into {@code hashFile} at
     * the hash offset. Like veritysetup, the hash file is created if missing and is not truncated. {@code data}
     * and {@code hashFile} may be the same file when the hash area starts after the data blocks.
     */
    public static DmVerityTree format(Path data, Path hashFile, DmVerityParams params, Parallelism parallelism)
            throws IOException {
        Objects.requireNonNull(params, "params");
        try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
            long size = in.size();
            long blocks = params.dataBlocks() != 0 ? params.dataBlocks() : size / params.dataBlockSize();
            if (blocks == 0) {
                throw new VerityException("Device " + data + " is too small: no whole data block of "
                        + params.dataBlockSize() + " bytes");
            }
            if (blocks > size / params.dataBlockSize()) {
                throw new VerityException("Device " + data + " is too small: " + blocks + " data blocks of "
                        + params.dataBlockSize() + " bytes need " + blocks * params.dataBlockSize() + ", it has "
                        + size);
            }
            if (Files.exists(hashFile) && Files.isSameFile(data, hashFile)
                    && params.hashOffset() < blocks * params.dataBlockSize()) {
                throw new VerityException("Data area overlaps with hash area: data ends at "
                        + blocks * params.dataBlockSize() + ", hash offset is " + params.hashOffset());
            }
            DmVerityParams p = params.toBuilder().dataBlocks(blocks).build();
            TreeLayout layout = TreeLayout.of(blocks, p.hashesPerBlock(), p.hashBlockSize());
            try (FileChannel out = FileChannel.open(hashFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                MerkleTreeSink sink = MerkleTreeSinks.positional(out, p.treeOffset(), layout);
                DmVerityTree tree;
                try (DmVerityTreeBuilder b = DmVerityTreeBuilder.create(p, parallelism, sink)) {
                    b.update(in.position(0));
                    tree = b.finish();
                }
                if (p.superblock()) {
                    writeSuperblock(out, p, blocks);
                }
                return tree;
            }
        }
    }

    /**
     * Checks {@code data} against the tree in {@code hashFile} and {@code rootHash}, like
     * {@code veritysetup verify}. With {@link DmVerityParams#superblock()} the parameters come from the
     * superblock at the hash offset (only the offset is taken from {@code params}); without, from
     * {@code params}. Recomputes the tree in one pass over the data, comparing every hash block with the stored
     * one.
     *
     * @return the tree read from the hash file when it matches
     * @throws VerificationException when the data, a stored hash block or the root hash differ
     * @throws VerityException when the superblock or the hash file is malformed or too short
     */
    public static DmVerityTree verify(Path data, Path hashFile, byte[] rootHash, DmVerityParams params,
                                      Parallelism parallelism) throws IOException {
        Objects.requireNonNull(rootHash, "rootHash");
        try (FileChannel hash = FileChannel.open(hashFile, StandardOpenOption.READ);
             FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
            DmVerityParams p = params;
            if (params.superblock()) {
                byte[] sb = new byte[DmVeritySuperblock.SIZE];
                int n = readFully(hash, params.hashOffset(), ByteBuffer.wrap(sb));
                if (n < sb.length) {
                    throw new VerificationException(VerificationException.Failure.BAD_SUPERBLOCK, "Device " + hashFile
                            + " is not a valid VERITY device: superblock at byte " + params.hashOffset()
                            + " truncated (" + Math.max(n, 0) + " of 512 bytes)", -1, params.hashOffset());
                }
                p = DmVeritySuperblock.decode(sb, params.hashOffset()).toParams(params.hashOffset());
            } else if (p.dataBlocks() == 0) {
                p = p.toBuilder().dataBlocks(in.size() / p.dataBlockSize()).build();
            }
            if (rootHash.length != p.algorithm().digestSize()) {
                throw new VerityException("Invalid root hash: " + rootHash.length + " bytes, " + p.algorithm().kernelName()
                        + " needs " + p.algorithm().digestSize());
            }
            long blocks = p.dataBlocks();
            if (blocks == 0 || blocks > in.size() / p.dataBlockSize()) {
                throw new VerityException("Device " + data + " is too small: " + blocks + " data blocks of "
                        + p.dataBlockSize() + " bytes, it has " + in.size() + " bytes");
            }
            TreeLayout layout = TreeLayout.of(blocks, p.hashesPerBlock(), p.hashBlockSize());
            long end = p.treeOffset() + layout.totalBytes();
            if (layout.totalBytes() > 0 && hash.size() < end) {
                throw new VerificationException(VerificationException.Failure.HASH_TREE_TRUNCATED, "hash file "
                        + hashFile + " truncated: the tree needs bytes up to " + end + ", the file has " + hash.size(),
                        -1, hash.size());
            }
            ComparingSink cmp = new ComparingSink(hash, p, layout);
            DmVerityTree tree;
            try (DmVerityTreeBuilder b = DmVerityTreeBuilder.create(p, parallelism, cmp)) {
                b.update(in.position(0));
                tree = b.finish();
            }
            if (!MessageDigest.isEqual(tree.rootHash(), rootHash)) {
                throw new VerificationException(VerificationException.Failure.ROOT_HASH_MISMATCH,
                        "Verification of root hash failed: expected " + HexFormat.of().formatHex(rootHash)
                                + ", the tree gives " + tree.rootHashHex(), -1, -1);
            }
            return tree;
        }
    }

    /** Compares produced hash blocks with the stored ones. */
    private static final class ComparingSink implements MerkleTreeSink {
        private final FileChannel hash;
        private final DmVerityParams p;
        private final TreeLayout layout;
        private final ByteBuffer stored;

        ComparingSink(FileChannel hash, DmVerityParams p, TreeLayout layout) {
            this.hash = hash;
            this.p = p;
            this.layout = layout;
            this.stored = ByteBuffer.allocate(p.hashBlockSize());
        }

        @Override
        public void block(int level, long index, ByteBuffer block) throws IOException {
            long off = p.treeOffset() + layout.offsetOf(level, index);
            stored.clear();
            if (readFully(hash, off, stored) < stored.capacity()) {
                throw new VerificationException(VerificationException.Failure.HASH_TREE_TRUNCATED,
                        "hash file truncated at byte " + off, -1, off);
            }
            stored.flip();
            ByteBuffer computed = block.duplicate();
            int mismatch = computed.mismatch(stored);
            if (mismatch < 0) {
                return;
            }
            if (level == 0) {
                long slot = index * p.hashesPerBlock() + mismatch / p.slotSize();
                throw new VerificationException(VerificationException.Failure.DATA_BLOCK_MISMATCH,
                        "Verification failed at position " + slot * p.dataBlockSize() + ": data block " + slot
                                + " does not match hash-file byte " + (off + mismatch),
                        slot * p.dataBlockSize(), off + mismatch);
            }
            throw new VerificationException(VerificationException.Failure.HASH_BLOCK_MISMATCH,
                    "Verification failed: hash block " + index + " of level " + level + " at hash-file byte " + off
                            + " does not match the blocks below it", -1, off);
        }
    }

    /**
     * Writes the superblock the way veritysetup does, after the tree: the 512 bytes at the hash offset, in a write
     * unit of {@code min(hash block size, 4096)} bytes whose other bytes are kept (zeros past the end of the
     * file). So the file ends where veritysetup's would, also when the tree is empty.
     */
    static void writeSuperblock(FileChannel out, DmVerityParams p, long dataBlocks) throws IOException {
        writeFully(out, p.hashOffset(), ByteBuffer.wrap(DmVeritySuperblock.of(p, dataBlocks).encode()));
        long unit = Math.min(p.hashBlockSize(), 4096);
        long unitEnd = (p.hashOffset() + DmVeritySuperblock.SIZE + unit - 1) / unit * unit;
        long size = out.size();
        if (size < unitEnd) {
            writeFully(out, size, ByteBuffer.allocate((int) (unitEnd - size)));
        }
    }

    static int readFully(FileChannel ch, long pos, ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static void writeFully(FileChannel ch, long pos, ByteBuffer src) throws IOException {
        long p = pos;
        while (src.hasRemaining()) {
            p += ch.write(src, p);
        }
    }
}
