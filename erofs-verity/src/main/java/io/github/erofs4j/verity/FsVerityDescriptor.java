package io.github.erofs4j.verity;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * {@code struct fsverity_descriptor}: the 256-byte little-endian record whose hash is the fs-verity file digest.
 *
 * <p>Layout: version (1), hash algorithm, log2 block size, salt size, 4 reserved bytes (zero when hashing;
 * ext4/f2fs keep the signature size there), le64 data size, root hash zero-padded to 64 bytes, salt zero-padded
 * to 32 bytes, 144 reserved zero bytes. Arrays are copied in and out.
 *
 * @param algorithm the hash algorithm
 * @param logBlockSize log2 of the Merkle block size
 * @param salt the raw salt, 0..32 bytes
 * @param dataSize the file size in bytes
 * @param rootHash the Merkle root, {@code algorithm.digestSize()} bytes
 */
public record FsVerityDescriptor(FsVerityHashAlgorithm algorithm, int logBlockSize, byte[] salt, long dataSize,
                                 byte[] rootHash) {
    /** Encoded size in bytes. */
    public static final int SIZE = 256;

    /** Copies the arrays and checks the lengths. */
    public FsVerityDescriptor {
        salt = salt.clone();
        rootHash = rootHash.clone();
        if (salt.length > FsVerityParams.MAX_SALT || rootHash.length != algorithm.digestSize() || dataSize < 0
                || logBlockSize < 0 || logBlockSize > 30) {
            throw new IllegalArgumentException("invalid fs-verity descriptor fields");
        }
    }

    /** The raw salt (a copy). */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The Merkle root (a copy). */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The 256 bytes, with the reserved/sig_size field zero. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 1);
        b.put(1, (byte) algorithm.id());
        b.put(2, (byte) logBlockSize);
        b.put(3, (byte) salt.length);
        b.putLong(8, dataSize);
        b.put(16, rootHash);
        b.put(80, salt);
        return b.array();
    }

    /** The fs-verity file digest: HASH(descriptor). */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance(algorithm.jcaName()).digest(encode());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses 256 bytes. The reserved field at offset 4 (sig_size on ext4/f2fs) is ignored; every other reserved
     * byte must be zero.
     */
    public static FsVerityDescriptor decode(byte[] bytes) throws VerityException {
        if (bytes.length != SIZE) {
            throw new VerityException("fs-verity descriptor must be " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(0) != 1) {
            throw new VerityException("fs-verity descriptor at byte 0: unsupported version " + (b.get(0) & 0xFF));
        }
        FsVerityHashAlgorithm alg = FsVerityHashAlgorithm.fromId(b.get(1) & 0xFF);
        int log = b.get(2) & 0xFF;
        int saltSize = b.get(3) & 0xFF;
        if (log < 6 || log > 16) {
            throw new VerityException("fs-verity descriptor at byte 2: unsupported log_blocksize " + log);
        }
        if (saltSize > FsVerityParams.MAX_SALT) {
            throw new VerityException("fs-verity descriptor at byte 3: salt size " + saltSize + " > 32");
        }
        long size = b.getLong(8);
        if (size < 0) {
            throw new VerityException("fs-verity descriptor at byte 8: data size too large");
        }
        for (int i = 16 + alg.digestSize(); i < 80; i++) {
            checkZero(bytes, i);
        }
        for (int i = 80 + saltSize; i < SIZE; i++) {
            checkZero(bytes, i);
        }
        return new FsVerityDescriptor(alg, log, Arrays.copyOfRange(bytes, 80, 80 + saltSize), size,
                Arrays.copyOfRange(bytes, 16, 16 + alg.digestSize()));
    }

    private static void checkZero(byte[] bytes, int i) throws VerityException {
        if (bytes[i] != 0) {
            throw new VerityException("fs-verity descriptor at byte " + i + ": reserved byte is not zero");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsVerityDescriptor d && d.algorithm == algorithm && d.logBlockSize == logBlockSize
                && d.dataSize == dataSize && Arrays.equals(d.salt, salt) && Arrays.equals(d.rootHash, rootHash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "FsVerityDescriptor[" + algorithm.fsverityName() + ", log=" + logBlockSize + ", size=" + dataSize + "]";
    }
}
