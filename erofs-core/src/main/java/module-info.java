/**
 * erofs4j core: the EROFS on-disk format, the image reader, the image writer and its input sources.
 * Has no runtime dependencies.
 */
module io.github.erofs4j.core {
    exports io.github.erofs4j.core.format;
}
