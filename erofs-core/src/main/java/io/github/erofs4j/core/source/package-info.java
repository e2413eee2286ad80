/**
 * Sources that fill an {@link io.github.erofs4j.core.write.FsTree}: a directory
 * ({@link io.github.erofs4j.core.source.DirectorySource}), a tarball ({@link io.github.erofs4j.core.source.TarSource})
 * or a cpio initramfs ({@link io.github.erofs4j.core.source.CpioSource}), with the input kind and its compression
 * detected by content ({@link io.github.erofs4j.core.source.Sources}).
 *
 * <p>The tar source needs commons-compress, and compressed inputs need xz, zstd-jni or lz4-java; these are
 * optional dependencies of erofs-core, and a source whose library is missing fails with an IOException naming it.
 */
package io.github.erofs4j.core.source;
