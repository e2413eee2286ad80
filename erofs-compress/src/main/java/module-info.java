/**
 * erofs4j decompressors (lz4, also for lz4hc images; MicroLZMA; raw deflate; zstd), found through ServiceLoader.
 * Exports nothing: the decompressors are reached only through erofs-core's {@code DecompressorProvider} service,
 * and the choice of LZ4 decoder through {@code ReadOptions}.
 */
module io.github.erofs4j.compress {
    requires io.github.erofs4j.core;
    requires org.lz4.java;
    requires com.github.luben.zstd_jni;
    requires org.tukaani.xz;

    provides io.github.erofs4j.core.spi.DecompressorProvider with
            io.github.erofs4j.compress.Lz4Decompressor,
            io.github.erofs4j.compress.LzmaDecompressor,
            io.github.erofs4j.compress.DeflateDecompressor,
            io.github.erofs4j.compress.ZstdDecompressor;

    provides io.github.erofs4j.core.spi.CompressorProvider with
            io.github.erofs4j.compress.Lz4Compressors.Fast,
            io.github.erofs4j.compress.Lz4Compressors.Hc,
            io.github.erofs4j.compress.LzmaCompressors.Provider,
            io.github.erofs4j.compress.DeflateCompressors,
            io.github.erofs4j.compress.ZstdCompressors;
}
