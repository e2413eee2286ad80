package io.github.erofs4j.verity;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The result of hashing a file for fs-verity: parameters, data size, Merkle root, tree shape, the 256-byte
 * descriptor and the file digest. Immutable; arrays are copied.
 */
public final class FsVerityDigest {
    private final FsVerityParams params;
    private final long dataSize;
    private final byte[] rootHash;
    private final TreeLayout layout;
    private final FsVerityDescriptor descriptor;
    private final byte[] digest;

    /** Builds the result from the root hash (all zero bytes for an empty file). */
    public FsVerityDigest(FsVerityParams params, long dataSize, byte[] rootHash, TreeLayout layout) {
        this.params = Objects.requireNonNull(params);
        this.dataSize = dataSize;
        this.rootHash = rootHash.clone();
        this.layout = Objects.requireNonNull(layout);
        this.descriptor = new FsVerityDescriptor(params.algorithm(), params.logBlockSize(), params.salt(), dataSize,
                rootHash);
        this.digest = descriptor.digest();
    }

    /** The parameters used. */
    public FsVerityParams params() {
        return params;
    }

    /** The file size. */
    public long dataSize() {
        return dataSize;
    }

    /** The Merkle tree root hash (zeros for an empty file). */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The tree shape (what {@code --out-merkle-tree} writes: {@link TreeLayout#totalBytes()} bytes). */
    public TreeLayout layout() {
        return layout;
    }

    /** The descriptor record. */
    public FsVerityDescriptor descriptor() {
        return descriptor;
    }

    /** The 256 descriptor bytes, as {@code fsverity digest --out-descriptor} writes them. */
    public byte[] descriptorBytes() {
        return descriptor.encode();
    }

    /** The fs-verity file digest (what {@code FS_IOC_MEASURE_VERITY} reports). */
    public byte[] digest() {
        return digest.clone();
    }

    /** The digest in lowercase hex. */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * {@code struct fsverity_formatted_digest}, what builtin signatures sign: "FSVerity", le16 algorithm,
     * le16 digest size, digest.
     */
    public byte[] formattedDigest() {
        ByteBuffer b = ByteBuffer.allocate(12 + digest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("FSVerity".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putShort((short) params.algorithm().id());
        b.putShort((short) digest.length);
        b.put(digest);
        return b.array();
    }

    /** "sha256:HEX", as {@code fsverity digest} prints it. */
    @Override
    public String toString() {
        return params.algorithm().fsverityName() + ":" + hex();
    }
}
