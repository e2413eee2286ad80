/**
 * erofs4j core: the EROFS on-disk format, the image reader, the image writer and its input sources.
 * Has no required runtime dependencies (JNA is optional, for Linux calls the JDK lacks). Compressed images
 * need decompressors, found through {@link io.github.erofs4j.core.spi.DecompressorProvider} (erofs-compress).
 */
module io.github.erofs4j.core {
    requires static com.sun.jna;

    exports io.github.erofs4j.core.format;
    exports io.github.erofs4j.core.read;
    exports io.github.erofs4j.core.nio;
    exports io.github.erofs4j.core.posix;
    exports io.github.erofs4j.core.spi;

    // JNA registers the native methods of the package-private libc binding.
    opens io.github.erofs4j.core.posix to com.sun.jna;

    uses io.github.erofs4j.core.spi.DecompressorProvider;

    provides java.nio.file.spi.FileSystemProvider with io.github.erofs4j.core.nio.ErofsFileSystemProvider;
}
