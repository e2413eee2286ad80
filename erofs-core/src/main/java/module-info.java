/**
 * erofs4j core: the EROFS on-disk format, the image reader, the image writer and its input sources.
 * Has no required runtime dependencies: JNA is optional (Linux calls the JDK lacks), and commons-compress, xz,
 * zstd-jni and lz4-java are optional, needed only by the tar and cpio sources for the formats that use them.
 * Compressed images need decompressors, found through
 * {@link io.github.erofs4j.core.spi.DecompressorProvider} (erofs-compress).
 */
// "module": the qualified exports name sibling modules that are compiled after this one.
@SuppressWarnings("module")
module io.github.erofs4j.core {
    requires static com.sun.jna;
    requires static org.apache.commons.compress;
    requires static org.tukaani.xz;
    requires static com.github.luben.zstd_jni;
    requires static org.lz4.java;

    // The API: shared types (FileType, ErofsFormatException), reading, the file system provider, writing, the
    // writer's inputs, and the interface decompressor implementations plug into.
    exports io.github.erofs4j.core;
    exports io.github.erofs4j.core.read;
    exports io.github.erofs4j.core.nio;
    exports io.github.erofs4j.core.write;
    exports io.github.erofs4j.core.source;
    exports io.github.erofs4j.core.extract;
    exports io.github.erofs4j.core.spi;

    // Not API: the on-disk records change with the format and are an implementation detail of reading and writing
    // (the codecs need the algorithm ids; the CLI's dump prints the records). The libc binding, which hands out raw
    // file descriptors, is not exported at all: extraction uses it inside this module.
    exports io.github.erofs4j.core.format to io.github.erofs4j.compress, io.github.erofs4j.cli;
    exports io.github.erofs4j.core.internal to io.github.erofs4j.cli, io.github.erofs4j.overlay;

    // JNA registers the native methods of the package-private libc binding.
    opens io.github.erofs4j.core.posix to com.sun.jna;

    uses io.github.erofs4j.core.spi.DecompressorProvider;
    uses io.github.erofs4j.core.spi.CompressorProvider;

    provides java.nio.file.spi.FileSystemProvider with io.github.erofs4j.core.nio.ErofsFileSystemProvider;
}
