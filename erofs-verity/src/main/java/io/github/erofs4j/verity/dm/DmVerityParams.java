package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.VerityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Parameters of a dm-verity hash device, as {@code veritysetup format} takes them. Immutable; build with
 * {@link #builder()} ({@link Builder#build()} validates and throws {@link VerityException}).
 *
 * <p>Defaults: format (hash type) 1, sha256, 4096-byte data and hash blocks, <b>no salt</b> and the nil UUID
 * (so output is deterministic; veritysetup picks a random salt and UUID, and the CLI does the same), with a
 * superblock, hash offset 0, data blocks derived from the data size.
 */
public final class DmVerityParams {
    /** Largest salt veritysetup accepts. */
    public static final int MAX_SALT = 256;

    private final int hashType;
    private final DmVerityHashAlgorithm algorithm;
    private final int dataBlockSize;
    private final int hashBlockSize;
    private final byte[] salt;
    private final UUID uuid;
    private final boolean superblock;
    private final long hashOffset;
    private final long dataBlocks;

    private DmVerityParams(Builder b) {
        this.hashType = b.hashType;
        this.algorithm = b.algorithm;
        this.dataBlockSize = b.dataBlockSize;
        this.hashBlockSize = b.hashBlockSize;
        this.salt = b.salt.clone();
        this.uuid = b.uuid;
        this.superblock = b.superblock;
        this.hashOffset = b.hashOffset;
        this.dataBlocks = b.dataBlocks;
    }

    /** The defaults (see the class comment). */
    public static DmVerityParams defaults() {
        try {
            return builder().build();
        } catch (VerityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hashType = hashType;
        b.algorithm = algorithm;
        b.dataBlockSize = dataBlockSize;
        b.hashBlockSize = hashBlockSize;
        b.salt = salt.clone();
        b.uuid = uuid;
        b.superblock = superblock;
        b.hashOffset = hashOffset;
        b.dataBlocks = dataBlocks;
        return b;
    }

    /** Hash type: 1 (normal: salt prepended, digests in power-of-2 slots) or 0 (Chrome OS: salt appended). */
    public int hashType() {
        return hashType;
    }

    /** The hash algorithm. */
    public DmVerityHashAlgorithm algorithm() {
        return algorithm;
    }

    /** Data block size in bytes. */
    public int dataBlockSize() {
        return dataBlockSize;
    }

    /** Hash block size in bytes. */
    public int hashBlockSize() {
        return hashBlockSize;
    }

    /** The raw salt (copy). */
    public byte[] salt() {
        return salt.clone();
    }

    /** The UUID written to the superblock. */
    public UUID uuid() {
        return uuid;
    }

    /** Whether a 512-byte superblock precedes the tree. */
    public boolean superblock() {
        return superblock;
    }

    /** Byte offset of the superblock (or of the tree without one) in the hash file. */
    public long hashOffset() {
        return hashOffset;
    }

    /** Number of data blocks to protect, or 0 to use all whole blocks of the data. */
    public long dataBlocks() {
        return dataBlocks;
    }

    /** Bytes one digest occupies in a hash block. */
    public int slotSize() {
        int ds = algorithm.digestSize();
        return hashType == 1 ? Integer.highestOneBit(ds - 1) << 1 : ds;
    }

    /** Digests per hash block (a power of two). */
    public int hashesPerBlock() {
        return Integer.highestOneBit(hashBlockSize / algorithm.digestSize());
    }

    /** Byte offset in the hash file where the tree starts. */
    public long treeOffset() {
        if (!superblock) {
            return hashOffset;
        }
        long hbs = hashBlockSize;
        return (hashOffset + DmVeritySuperblock.SIZE + hbs - 1) / hbs * hbs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DmVerityParams p && p.hashType == hashType && p.algorithm == algorithm
                && p.dataBlockSize == dataBlockSize && p.hashBlockSize == hashBlockSize
                && Arrays.equals(p.salt, salt) && p.uuid.equals(uuid) && p.superblock == superblock
                && p.hashOffset == hashOffset && p.dataBlocks == dataBlocks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hashType, algorithm, dataBlockSize, hashBlockSize, Arrays.hashCode(salt), uuid,
                superblock, hashOffset, dataBlocks);
    }

    @Override
    public String toString() {
        return "DmVerityParams[type=" + hashType + ", " + algorithm.kernelName() + ", data=" + dataBlockSize
                + ", hash=" + hashBlockSize + ", salt=" + (salt.length == 0 ? "-" : HexFormat.of().formatHex(salt))
                + ", uuid=" + uuid + ", superblock=" + superblock + ", hashOffset=" + hashOffset
                + ", dataBlocks=" + dataBlocks + "]";
    }

    /** Builder for {@link DmVerityParams}. Not thread-safe. */
    public static final class Builder {
        private int hashType = 1;
        private DmVerityHashAlgorithm algorithm = DmVerityHashAlgorithm.SHA256;
        private int dataBlockSize = 4096;
        private int hashBlockSize = 4096;
        private byte[] salt = new byte[0];
        private UUID uuid = new UUID(0, 0);
        private boolean superblock = true;
        private long hashOffset;
        private long dataBlocks;

        private Builder() {
        }

        /** Hash type 0 or 1. */
        public Builder hashType(int t) {
            this.hashType = t;
            return this;
        }

        /** Hash algorithm. */
        public Builder algorithm(DmVerityHashAlgorithm a) {
            this.algorithm = Objects.requireNonNull(a);
            return this;
        }

        /** Data block size (power of two, 512..65536). */
        public Builder dataBlockSize(int n) {
            this.dataBlockSize = n;
            return this;
        }

        /** Hash block size (power of two, 512..65536). */
        public Builder hashBlockSize(int n) {
            this.hashBlockSize = n;
            return this;
        }

        /** Salt, 0..256 bytes (null for none). */
        public Builder salt(byte[] s) {
            this.salt = s == null ? new byte[0] : s.clone();
            return this;
        }

        /** UUID for the superblock. */
        public Builder uuid(UUID u) {
            this.uuid = Objects.requireNonNull(u);
            return this;
        }

        /** Whether to write (or, when verifying, read) a superblock. */
        public Builder superblock(boolean sb) {
            this.superblock = sb;
            return this;
        }

        /** Hash offset in bytes (multiple of 512; of the hash block size without a superblock). */
        public Builder hashOffset(long off) {
            this.hashOffset = off;
            return this;
        }

        /** Data blocks to protect (0: all whole blocks of the data). */
        public Builder dataBlocks(long n) {
            this.dataBlocks = n;
            return this;
        }

        /** Validates and builds. */
        public DmVerityParams build() throws VerityException {
            if (hashType != 0 && hashType != 1) {
                throw new VerityException("Unsupported VERITY hash type " + hashType + " (0 or 1).");
            }
            checkBlockSize("data", dataBlockSize);
            checkBlockSize("hash", hashBlockSize);
            if (hashBlockSize / algorithm.digestSize() < 2) {
                throw new VerityException("hash block size " + hashBlockSize + " too small for "
                        + algorithm.kernelName());
            }
            if (salt.length > MAX_SALT) {
                throw new VerityException("salt too long: " + salt.length + " bytes (at most " + MAX_SALT + ")");
            }
            if (hashOffset < 0 || hashOffset % 512 != 0) {
                throw new VerityException("Unsupported VERITY hash offset " + hashOffset + " (a multiple of 512).");
            }
            if (!superblock && hashOffset % hashBlockSize != 0) {
                throw new VerityException("hash offset " + hashOffset + " must be a multiple of the hash block size "
                        + hashBlockSize + " without a superblock");
            }
            if (dataBlocks < 0) {
                throw new VerityException("negative data block count " + dataBlocks);
            }
            return new DmVerityParams(this);
        }

        private static void checkBlockSize(String what, int n) throws VerityException {
            if (n < 512 || n > 65536 || Integer.bitCount(n) != 1) {
                throw new VerityException("Unsupported VERITY block size: " + what + " block size " + n
                        + " (a power of two from 512 to 65536).");
            }
        }
    }
}
