package io.github.erofs4j.verity;

import java.util.Locale;

/** The hash algorithms fs-verity defines ({@code FS_VERITY_HASH_ALG_*}). */
public enum FsVerityHashAlgorithm {
    /** SHA-256: id 1, 32-byte digests, 64-byte compression blocks. */
    SHA256(1, "sha256", "SHA-256", 32, 64),
    /** SHA-512: id 2, 64-byte digests, 128-byte compression blocks. */
    SHA512(2, "sha512", "SHA-512", 64, 128);

    private final int id;
    private final String fsverityName;
    private final String jcaName;
    private final int digestSize;
    private final int compressionBlockSize;

    FsVerityHashAlgorithm(int id, String fsverityName, String jcaName, int digestSize, int compressionBlockSize) {
        this.id = id;
        this.fsverityName = fsverityName;
        this.jcaName = jcaName;
        this.digestSize = digestSize;
        this.compressionBlockSize = compressionBlockSize;
    }

    /** The kernel's algorithm number (1 or 2). */
    public int id() {
        return id;
    }

    /** The name fsverity-utils uses: "sha256" or "sha512". */
    public String fsverityName() {
        return fsverityName;
    }

    /** The JDK {@link java.security.MessageDigest} name. */
    public String jcaName() {
        return jcaName;
    }

    /** Digest size in bytes. */
    public int digestSize() {
        return digestSize;
    }

    /** The hash's internal block size; the salt is zero-padded to a multiple of it. */
    public int compressionBlockSize() {
        return compressionBlockSize;
    }

    /** Looks up "sha256"/"sha512" (case-insensitive). */
    public static FsVerityHashAlgorithm fromName(String name) throws VerityException {
        String n = name.toLowerCase(Locale.ROOT);
        for (FsVerityHashAlgorithm a : values()) {
            if (a.fsverityName.equals(n)) {
                return a;
            }
        }
        throw new VerityException("unknown hash algorithm: '" + name + "' (available: sha256 sha512)");
    }

    /** Looks up the kernel's algorithm number. */
    public static FsVerityHashAlgorithm fromId(int id) throws VerityException {
        for (FsVerityHashAlgorithm a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        throw new VerityException("unknown fs-verity hash algorithm number " + id);
    }
}
