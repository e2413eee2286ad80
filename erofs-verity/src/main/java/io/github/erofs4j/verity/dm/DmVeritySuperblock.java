package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerityException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * veritysetup's 512-byte little-endian superblock ({@code struct verity_sb}): "verity\0\0", version 1, hash type,
 * UUID (raw bytes in textual order), algorithm name (NUL-padded to 32), data and hash block sizes, le64 data
 * blocks, le16 salt size, the salt (zero-padded to 256). The kernel never reads it; veritysetup does.
 *
 * @param hashType 0 or 1
 * @param uuid the UUID
 * @param algorithm the hash algorithm
 * @param dataBlockSize data block size
 * @param hashBlockSize hash block size
 * @param dataBlocks number of data blocks
 * @param salt the raw salt (copied)
 */
public record DmVeritySuperblock(int hashType, UUID uuid, DmVerityHashAlgorithm algorithm, int dataBlockSize,
                                 int hashBlockSize, long dataBlocks, byte[] salt) {
    /** Encoded size. */
    public static final int SIZE = 512;

    private static final byte[] MAGIC = {'v', 'e', 'r', 'i', 't', 'y', 0, 0};

    /** Copies the salt. */
    public DmVeritySuperblock {
        salt = salt.clone();
    }

    /** The raw salt (a copy). */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The superblock for a tree built with {@code params} over {@code dataBlocks} blocks. */
    public static DmVeritySuperblock of(DmVerityParams params, long dataBlocks) {
        return new DmVeritySuperblock(params.hashType(), params.uuid(), params.algorithm(), params.dataBlockSize(),
                params.hashBlockSize(), dataBlocks, params.salt());
    }

    /** The 512 bytes. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, MAGIC);
        b.putInt(8, 1);
        b.putInt(12, hashType);
        ByteBuffer u = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        u.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        b.put(16, u.array());
        b.put(32, algorithm.kernelName().getBytes(StandardCharsets.US_ASCII));
        b.putInt(64, dataBlockSize);
        b.putInt(68, hashBlockSize);
        b.putLong(72, dataBlocks);
        b.putShort(80, (short) salt.length);
        b.put(88, salt);
        return b.array();
    }

    /**
     * Parses a superblock read at byte {@code offset} of a hash file (the offset is only used in messages).
     * Checks the magic, version, hash type, algorithm, block sizes and salt size.
     */
    public static DmVeritySuperblock decode(byte[] bytes, long offset) throws VerityException {
        if (bytes.length < SIZE) {
            throw bad(offset, ": truncated, " + bytes.length
                    + " of " + SIZE + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(bytes, 0, 8, MAGIC, 0, 8)) {
            throw bad(offset, ": no \"verity\" signature"
                    + " (not a VERITY device, or wrong --hash-offset)");
        }
        long version = b.getInt(8) & 0xFFFFFFFFL;
        if (version != 1) {
            throw bad(offset + 8, ": unsupported version "
                    + version);
        }
        long type = b.getInt(12) & 0xFFFFFFFFL;
        if (type > 1) {
            throw bad(offset + 12, ": unsupported hash type "
                    + type);
        }
        UUID uuid = new UUID(ByteBuffer.wrap(bytes, 16, 16).getLong(), ByteBuffer.wrap(bytes, 24, 8).getLong());
        int end = 32;
        while (end < 64 && bytes[end] != 0) {
            end++;
        }
        String alg = new String(bytes, 32, end - 32, StandardCharsets.US_ASCII);
        DmVerityHashAlgorithm a;
        try {
            a = DmVerityHashAlgorithm.fromName(alg);
        } catch (VerityException e) {
            throw bad(offset + 32, ": unsupported hash algorithm '"
                    + alg + "'", e);
        }
        int dbs = b.getInt(64);
        int hbs = b.getInt(68);
        for (int[] bs : new int[][] {{dbs, 64}, {hbs, 68}}) {
            if (bs[0] < 512 || bs[0] > 65536 || Integer.bitCount(bs[0]) != 1) {
                throw bad(offset + bs[1], ": unsupported block size " + Integer.toUnsignedString(bs[0]));
            }
        }
        long blocks = b.getLong(72);
        if (blocks <= 0) {
            throw bad(offset + 72, ": bad data block count "
                    + Long.toUnsignedString(blocks));
        }
        int saltSize = b.getShort(80) & 0xFFFF;
        if (saltSize > DmVerityParams.MAX_SALT) {
            throw bad(offset + 80, ": salt size " + saltSize
                    + " > " + DmVerityParams.MAX_SALT);
        }
        return new DmVeritySuperblock((int) type, uuid, a, dbs, hbs, blocks, Arrays.copyOfRange(bytes, 88, 88 + saltSize));
    }

    /** A superblock field that fails verification, at byte {@code at} of the hash file. */
    private static VerificationException bad(long at, String detail) {
        return bad(at, detail, null);
    }

    private static VerificationException bad(long at, String detail, Throwable cause) {
        return new VerificationException(VerificationException.Failure.BAD_SUPERBLOCK,
                "dm-verity superblock at byte " + at + detail, -1, at, cause);
    }

    /** Parameters equal to this superblock's, with the given hash offset. */
    public DmVerityParams toParams(long hashOffset) throws VerityException {
        return DmVerityParams.builder().hashType(hashType).algorithm(algorithm).dataBlockSize(dataBlockSize)
                .hashBlockSize(hashBlockSize).salt(salt).uuid(uuid).superblock(true).hashOffset(hashOffset)
                .dataBlocks(dataBlocks).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DmVeritySuperblock s && Arrays.equals(s.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DmVeritySuperblock[type=" + hashType + ", uuid=" + uuid + ", " + algorithm.kernelName() + ", "
                + dataBlockSize + "/" + hashBlockSize + ", blocks=" + dataBlocks + ", salt=" + salt.length + "B]";
    }
}
