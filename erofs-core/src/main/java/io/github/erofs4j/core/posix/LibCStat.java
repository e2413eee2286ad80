package io.github.erofs4j.core.posix;

import com.sun.jna.LastErrorException;

/**
 * {@code statx(2)} through JNA direct mapping, bound on its own (glibc 2.28 and later have it): without it the
 * other calls of {@link LibC} still work and {@link Posix#lstat} reports itself unavailable.
 */
final class LibCStat {
    private LibCStat() {}

    /** {@code buf} receives a {@code struct statx} (256 bytes). */
    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;
}
