package io.github.erofs4j.verity.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes one block as {@code HASH(prefix || block || suffix)}: fs-verity puts the padded salt in front,
 * dm-verity format 1 the raw salt, dm-verity format 0 appends the raw salt. Not thread-safe: each thread uses
 * its own {@link #copy()}.
 */
public final class BlockHasher {
    private final String jcaName;
    private final MessageDigest md;
    private final byte[] prefix;
    private final byte[] suffix;
    private final int digestSize;

    /** Creates a hasher; {@code jcaName} must be a JDK digest name such as "SHA-256". */
    public BlockHasher(String jcaName, byte[] prefix, byte[] suffix) {
        this.jcaName = jcaName;
        try {
            this.md = MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.digestSize = md.getDigestLength();
    }

    /** A fresh hasher with the same algorithm and salt, for another thread. */
    public BlockHasher copy() {
        return new BlockHasher(jcaName, prefix, suffix);
    }

    /** Digest size in bytes. */
    public int digestSize() {
        return digestSize;
    }

    /** Hashes the remaining bytes of {@code block} (consuming them) into {@code out[outOff..]}. */
    public void hash(java.nio.ByteBuffer block, byte[] out, int outOff) {
        begin();
        md.update(block);
        finish(out, outOff);
    }

    /** Writes {@code HASH(prefix || b[off, off+len) || suffix)} to {@code out[outOff..]}. */
    public void hash(byte[] b, int off, int len, byte[] out, int outOff) {
        begin();
        md.update(b, off, len);
        finish(out, outOff);
    }

    private void begin() {
        if (prefix.length > 0) {
            md.update(prefix);
        }
    }

    private void finish(byte[] out, int outOff) {
        if (suffix.length > 0) {
            md.update(suffix);
        }
        try {
            md.digest(out, outOff, digestSize);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
