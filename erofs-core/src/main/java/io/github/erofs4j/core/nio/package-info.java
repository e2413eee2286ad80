/**
 * A {@link java.nio.file.spi.FileSystemProvider} for EROFS images (scheme {@code "erofs"}):
 * {@code FileSystems.newFileSystem(Path.of("image.erofs"))} gives a read-only, thread-safe
 * {@link java.nio.file.FileSystem} backed by {@link io.github.erofs4j.core.read.ErofsImage}. Only the provider
 * class is public; paths, attributes and streams are reached through the {@code java.nio.file} API.
 */
package io.github.erofs4j.core.nio;
