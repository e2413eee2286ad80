package io.github.erofs4j.verity;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The parameters of an fs-verity Merkle tree: hash algorithm, Merkle block size, salt. Immutable.
 *
 * <p>Block sizes are powers of two from {@code 2 * digestSize} (what fsverity-utils accepts) up to 64 KiB;
 * kernels accept 1 KiB up to the page and filesystem block size (since 6.3; only the page size before).
 * Salts are 0 to 32 bytes. The default ({@link #defaults()}) is SHA-256, 4096 bytes, no salt, which is what
 * composefs and most tools use.
 */
public final class FsVerityParams {
    /** Largest salt fs-verity accepts. */
    public static final int MAX_SALT = 32;
    /** Largest Merkle block size this library accepts. */
    public static final int MAX_BLOCK_SIZE = 65536;

    private static final FsVerityParams DEFAULTS = new FsVerityParams(FsVerityHashAlgorithm.SHA256, 4096, new byte[0]);

    private final FsVerityHashAlgorithm algorithm;
    private final int blockSize;
    private final byte[] salt;

    private FsVerityParams(FsVerityHashAlgorithm algorithm, int blockSize, byte[] salt) {
        this.algorithm = algorithm;
        this.blockSize = blockSize;
        this.salt = salt;
    }

    /** SHA-256, 4096-byte blocks, no salt. */
    public static FsVerityParams defaults() {
        return DEFAULTS;
    }

    /** Checked factory. */
    public static FsVerityParams of(FsVerityHashAlgorithm algorithm, int blockSize, byte[] salt)
            throws VerityException {
        Objects.requireNonNull(algorithm, "algorithm");
        byte[] s = salt == null ? new byte[0] : salt.clone();
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new VerityException("Invalid block size: " + blockSize + ".  Must be power of 2");
        }
        if (blockSize < 2 * algorithm.digestSize()) {
            throw new VerityException("block size (" + blockSize + ") too small for " + algorithm.fsverityName());
        }
        if (blockSize > MAX_BLOCK_SIZE) {
            throw new VerityException("block size (" + blockSize + ") larger than " + MAX_BLOCK_SIZE);
        }
        if (s.length > MAX_SALT) {
            throw new VerityException("unsupported salt size (" + s.length + "), at most " + MAX_SALT + " bytes");
        }
        return new FsVerityParams(algorithm, blockSize, s);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The hash algorithm. */
    public FsVerityHashAlgorithm algorithm() {
        return algorithm;
    }

    /** The Merkle tree block size in bytes. */
    public int blockSize() {
        return blockSize;
    }

    /** log2 of the block size, as stored in the descriptor. */
    public int logBlockSize() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    /** The raw salt (a copy; empty when none). */
    public byte[] salt() {
        return salt.clone();
    }

    /** The salt zero-padded to a multiple of the hash's compression block size, as prepended to each block. */
    public byte[] paddedSalt() {
        if (salt.length == 0) {
            return new byte[0];
        }
        int cb = algorithm.compressionBlockSize();
        return Arrays.copyOf(salt, (salt.length + cb - 1) / cb * cb);
    }

    /** Hashes per Merkle tree block. */
    public int hashesPerBlock() {
        return blockSize / algorithm.digestSize();
    }

    /** The tree shape for a file of {@code dataSize} bytes. */
    public TreeLayout layoutFor(long dataSize) {
        if (dataSize < 0) {
            throw new IllegalArgumentException("negative size");
        }
        long blocks = dataSize / blockSize + (dataSize % blockSize == 0 ? 0 : 1);
        return TreeLayout.of(blocks, hashesPerBlock(), blockSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsVerityParams p && p.algorithm == algorithm && p.blockSize == blockSize
                && Arrays.equals(p.salt, salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, blockSize, Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "FsVerityParams[" + algorithm.fsverityName() + ", blockSize=" + blockSize + ", salt="
                + (salt.length == 0 ? "-" : HexFormat.of().formatHex(salt)) + "]";
    }

    /** Builder for {@link FsVerityParams}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private FsVerityHashAlgorithm algorithm;
        private int blockSize;
        private byte[] salt;

        private Builder(FsVerityParams p) {
            this.algorithm = p.algorithm;
            this.blockSize = p.blockSize;
            this.salt = p.salt;
        }

        /** Sets the hash algorithm. */
        public Builder algorithm(FsVerityHashAlgorithm a) {
            this.algorithm = Objects.requireNonNull(a);
            return this;
        }

        /** Sets the Merkle block size. */
        public Builder blockSize(int bs) {
            this.blockSize = bs;
            return this;
        }

        /** Sets the salt (null or empty for none). */
        public Builder salt(byte[] s) {
            this.salt = s == null ? new byte[0] : s.clone();
            return this;
        }

        /** Validates and builds. */
        public FsVerityParams build() throws VerityException {
            return FsVerityParams.of(algorithm, blockSize, salt);
        }
    }
}
