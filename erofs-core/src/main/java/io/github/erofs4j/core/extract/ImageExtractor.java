package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.read.ErofsImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Extracts a whole image below a target directory, checking it on the way exactly as {@link ImageChecker} does.
 *
 * <p>Restored, where the effective user may: type, mode with setuid/setgid/sticky, owner, mtime with nanoseconds
 * (symlinks too), xattrs of every namespace, hard links, devices, fifos, sockets and holes. Names that are not
 * valid UTF-8 are written by their bytes. What cannot be restored (not root, not supported by the target file
 * system, the native helper JNA missing) is told to the {@link ExtractListener} and summarised in the
 * {@link ExtractSummary}; entries the image gets wrong become {@link Problem}s of the summary's check.
 *
 * <p>Safety: every entry is written as a name the walk checked (non-empty, no '/', no NUL, not "." or "..") inside
 * a directory of the target that this run created or found to be a real directory. With the native helper every
 * call is relative to an open directory descriptor, directories are opened without following symlinks, files are
 * created exclusively without following symlinks and written through their own descriptor, and entries in the
 * way are removed (with {@link ExtractOptions#overwrite()}), never followed: nothing is written outside the target,
 * whatever the image holds and whatever the target held before, even if another process swaps a symlink in
 * while the extraction runs. Hard links only point at files this run wrote.
 *
 * <p>Stateless and thread-safe. The output does not depend on the number of threads.
 */
public final class ImageExtractor {
    private ImageExtractor() {}

    /**
     * Extracts {@code image} into {@code target}, created if missing.
     *
     * @return the check of the image and what could not be restored; the extraction is complete exactly when
     *     {@code summary.check().isClean()}
     * @throws IOException when the target cannot be created or is not a directory
     */
    public static ExtractSummary extract(ErofsImage image, Path target, ExtractOptions options) throws IOException {
        Posix posix = Posix.get();
        if (!posix.available()) {
            options.listener().warning(posix.unavailableReason() + "; xattrs outside user.*, device nodes, fifos, "
                    + "sockets and nanosecond symlink times cannot be restored");
        }
        boolean owner = options.preserveOwner().orElse(posix.available() && posix.geteuid() == 0);
        int umask = options.umask() >= 0 ? options.umask() : posix.available() ? posix.umask() : 022;
        TargetWriter.Options resolved = new TargetWriter.Options(owner, options.preservePermissions(),
                options.xattrs(), options.overwrite(), umask);
        Path file = image.path();
        try (FileChannel raw = file == null || !posix.available() ? null : FileChannel.open(file, StandardOpenOption.READ);
                TargetWriter writer = posix.available()
                        ? new FdTargetWriter(target, resolved, posix, options.listener(), file, raw)
                        : new PathTargetWriter(target, resolved, options.listener())) {
            Walk walk = new Walk(image, writer, ImageChecker.threadCount(options.threads()));
            walk.run();
            return new ExtractSummary(target, walk.report(), writer.notRestored());
        }
    }

    /**
     * Whether the process runs as root, which makes owners restored by default; empty when it cannot be told
     * without the native helper.
     */
    public static Optional<Boolean> runningAsRoot() {
        Posix posix = Posix.get();
        return posix.available() ? Optional.of(posix.geteuid() == 0) : Optional.empty();
    }

    /**
     * Why the native helper (JNA) cannot be used here, or empty when it can. Without it xattrs outside
     * {@code user.*}, device nodes, fifos, sockets, nanosecond symlink times and names that are not valid UTF-8
     * cannot be restored. The first call loads the helper.
     */
    public static Optional<String> nativeHelperUnavailable() {
        Posix posix = Posix.get();
        return posix.available() ? Optional.empty() : Optional.of(posix.unavailableReason());
    }
}
