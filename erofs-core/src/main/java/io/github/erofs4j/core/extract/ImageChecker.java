package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.read.ErofsImage;
import java.io.IOException;

/**
 * Checks a whole image as {@code fsck.erofs} does: every directory (names valid and strictly sorted, "." and ".."
 * pointing where they should, dirent types matching the inodes, no directory reachable twice), every inode and its
 * xattrs, and every byte of every file through the decompressors. Problems are collected, not thrown, so one
 * damaged file does not hide the next; each names its path and byte offset.
 *
 * <p>Stateless and thread-safe; the image may be shared with other readers meanwhile.
 */
public final class ImageChecker {
    private ImageChecker() {}

    /** Checks an image with one thread per CPU (at most 8). */
    public static CheckReport check(ErofsImage image) throws IOException {
        return check(image, 0);
    }

    /**
     * Checks an image.
     *
     * @param threads threads reading files, 0 for one per CPU (at most 8); the report does not depend on it
     * @throws IOException only when the walk cannot start (the root directory itself is unreadable); everything
     *     else wrong with the image is a {@link Problem} in the report
     */
    public static CheckReport check(ErofsImage image, int threads) throws IOException {
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("threads must be between 0 and 256: " + threads);
        }
        Walk walk = new Walk(image, null, threadCount(threads));
        walk.run();
        return walk.report();
    }

    /** {@code threads}, or one per CPU (at most 8) when it is 0. */
    static int threadCount(int threads) {
        return threads > 0 ? threads : Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }
}
