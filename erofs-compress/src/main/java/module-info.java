/** erofs4j compressors and decompressors (lz4, lz4hc, lzma, deflate, zstd), found through ServiceLoader. */
module io.github.erofs4j.compress {
    requires io.github.erofs4j.core;
}
