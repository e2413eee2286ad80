/**
 * erofs4j verity: fs-verity Merkle trees, file digests and builtin signatures; dm-verity hash trees,
 * superblocks and root-hash signatures. Byte-identical to fsverity-utils and veritysetup.
 */
module io.github.erofs4j.verity {
    requires transitive io.github.erofs4j.core;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;

    exports io.github.erofs4j.verity;
    exports io.github.erofs4j.verity.dm;
    exports io.github.erofs4j.verity.sign;
}
