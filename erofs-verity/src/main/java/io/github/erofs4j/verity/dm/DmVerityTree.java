package io.github.erofs4j.verity.dm;

import io.github.erofs4j.verity.TreeLayout;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A built dm-verity tree: the root hash, the number of data blocks, the tree shape and where it lies in the hash
 * file. Immutable.
 */
public final class DmVerityTree {
    private final DmVerityParams params;
    private final byte[] rootHash;
    private final long dataBlocks;
    private final TreeLayout layout;

    /** Creates the result. */
    public DmVerityTree(DmVerityParams params, byte[] rootHash, long dataBlocks, TreeLayout layout) {
        this.params = Objects.requireNonNull(params);
        this.rootHash = rootHash.clone();
        this.dataBlocks = dataBlocks;
        this.layout = Objects.requireNonNull(layout);
    }

    /** The parameters used (with {@code dataBlocks} as given; see {@link #dataBlocks()} for the count used). */
    public DmVerityParams params() {
        return params;
    }

    /** The root hash (bare tree root, no size or descriptor). */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The root hash in lowercase hex, as veritysetup prints and the dm table takes it. */
    public String rootHashHex() {
        return HexFormat.of().formatHex(rootHash);
    }

    /** Data blocks covered. */
    public long dataBlocks() {
        return dataBlocks;
    }

    /** The tree shape; {@link TreeLayout#totalBlocks()} is veritysetup's "Hash blocks". */
    public TreeLayout layout() {
        return layout;
    }

    /** Byte offset of the tree in the hash file. */
    public long treeOffset() {
        return params.treeOffset();
    }

    /** Hash block number where the tree starts (the dm table's hash_start_block). */
    public long hashStartBlock() {
        return params.treeOffset() / params.hashBlockSize();
    }

    /** Bytes of the hash file used: tree offset plus tree size. */
    public long hashDeviceSize() {
        return params.treeOffset() + layout.totalBytes();
    }

    /** The superblock for this tree. */
    public DmVeritySuperblock superblock() {
        return DmVeritySuperblock.of(params, dataBlocks);
    }

    /**
     * The dm-verity target parameters for a device-mapper table line:
     * {@code version data_dev hash_dev dbs hbs data_blocks hash_start alg root salt}.
     */
    public String tableParams(String dataDevice, String hashDevice) {
        byte[] salt = params.salt();
        return params.hashType() + " " + dataDevice + " " + hashDevice + " " + params.dataBlockSize() + " "
                + params.hashBlockSize() + " " + dataBlocks + " " + hashStartBlock() + " "
                + params.algorithm().kernelName() + " " + rootHashHex() + " "
                + (salt.length == 0 ? "-" : HexFormat.of().formatHex(salt));
    }

    @Override
    public String toString() {
        return "DmVerityTree[root=" + rootHashHex() + ", dataBlocks=" + dataBlocks + ", " + layout + "]";
    }
}
