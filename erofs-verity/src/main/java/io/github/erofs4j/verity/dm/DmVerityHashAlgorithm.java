package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.VerityException;
import java.util.Locale;

/** Hash algorithms for dm-verity trees, by the kernel crypto name veritysetup stores in its superblock. */
public enum DmVerityHashAlgorithm {
    /** SHA-1 (legacy; 20-byte digests stored in 32-byte slots in format 1). */
    SHA1("sha1", "SHA-1", 20),
    /** SHA-224. */
    SHA224("sha224", "SHA-224", 28),
    /** SHA-256, the default. */
    SHA256("sha256", "SHA-256", 32),
    /** SHA-384. */
    SHA384("sha384", "SHA-384", 48),
    /** SHA-512. */
    SHA512("sha512", "SHA-512", 64);

    private final String kernelName;
    private final String jcaName;
    private final int digestSize;

    DmVerityHashAlgorithm(String kernelName, String jcaName, int digestSize) {
        this.kernelName = kernelName;
        this.jcaName = jcaName;
        this.digestSize = digestSize;
    }

    /** The name in the superblock and the dm table, e.g. "sha256". */
    public String kernelName() {
        return kernelName;
    }

    /** The JDK digest name. */
    public String jcaName() {
        return jcaName;
    }

    /** Digest size in bytes. */
    public int digestSize() {
        return digestSize;
    }

    /** Looks up a kernel name, case-insensitively. */
    public static DmVerityHashAlgorithm fromName(String name) throws VerityException {
        String n = name.toLowerCase(Locale.ROOT);
        for (DmVerityHashAlgorithm a : values()) {
            if (a.kernelName.equals(n)) {
                return a;
            }
        }
        throw new VerityException("Hash algorithm " + name + " not supported.");
    }
}
