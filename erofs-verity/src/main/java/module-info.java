/** erofs4j verity: fs-verity Merkle trees, digests and signatures; dm-verity hash trees. */
module io.github.erofs4j.verity {
    requires io.github.erofs4j.core;
}
