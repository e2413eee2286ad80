/**
 * Thin access to the Linux calls the JDK lacks, for extracting images and for reading source trees: extended
 * attributes of every namespace on any file type (including symlinks), {@code mknod} for devices, fifos and
 * sockets, and timestamps with nanoseconds on symlinks.
 *
 * <p>The calls go through JNA, an optional dependency of erofs-core. {@link io.github.erofs4j.core.posix.Posix#get()}
 * always returns an instance; when JNA is absent or the platform is not Linux, {@link
 * io.github.erofs4j.core.posix.Posix#available()} is false, {@link
 * io.github.erofs4j.core.posix.Posix#unavailableReason()} says why, and every call throws {@link
 * java.lang.UnsupportedOperationException}. What the JDK does well (ownership, permission bits including
 * setuid, setgid and sticky through the {@code unix:mode} attribute, {@code lstat}-like attributes through
 * {@code unix:*} with {@code NOFOLLOW_LINKS}) is left to the JDK.
 *
 * <p>Not API: it hands out raw file descriptors and mirrors libc. The module exports this package only to
 * erofs-cli (extraction); erofs-core's sources use it internally.
 */
package io.github.erofs4j.core.posix;
