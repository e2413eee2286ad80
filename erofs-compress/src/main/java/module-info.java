/** erofs4j compressors and decompressors (lz4, lz4hc, lzma, deflate, zstd), found through ServiceLoader. */
module io.github.erofs4j.compress {
    requires io.github.erofs4j.core;
    requires org.lz4.java;
    requires com.github.luben.zstd_jni;
    requires org.tukaani.xz;

    exports io.github.erofs4j.compress;

    provides io.github.erofs4j.core.spi.DecompressorProvider with
            io.github.erofs4j.compress.Lz4Decompressor,
            io.github.erofs4j.compress.LzmaDecompressor,
            io.github.erofs4j.compress.DeflateDecompressor,
            io.github.erofs4j.compress.ZstdDecompressor;

    provides io.github.erofs4j.core.spi.CompressorProvider with
            io.github.erofs4j.compress.Lz4Compressors.Fast,
            io.github.erofs4j.compress.Lz4Compressors.Hc;
}
