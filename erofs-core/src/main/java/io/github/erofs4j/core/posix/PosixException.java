package io.github.erofs4j.core.posix;

import java.nio.file.FileSystemException;

/**
 * A failed Linux call, carrying its {@code errno}.
 *
 * <p>The message names the file, the call and the system's description of the error, for example
 * {@code "/x/y: lsetxattr trusted.a: Operation not permitted"}.
 */
public final class PosixException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** errno: operation not permitted. */
    public static final int EPERM = 1;
    /** errno: no such file or directory. */
    public static final int ENOENT = 2;
    /** errno: permission denied. */
    public static final int EACCES = 13;
    /** errno: file exists. */
    public static final int EEXIST = 17;
    /** errno: not a directory. */
    public static final int ENOTDIR = 20;
    /** errno: is a directory. */
    public static final int EISDIR = 21;
    /** errno: too many levels of symbolic links (also: {@code O_NOFOLLOW} met a symlink). */
    public static final int ELOOP = 40;
    /** errno: the attribute does not exist (ENODATA on Linux). */
    public static final int ENODATA = 61;
    /** errno: operation not supported (EOPNOTSUPP on Linux). */
    public static final int ENOTSUP = 95;

    private final int errno;
    private final String description;

    PosixException(String file, String call, int errno, String description) {
        super(file, null, call + ": " + description);
        this.errno = errno;
        this.description = description;
    }

    /** The system's description of the error alone, for example {@code "Operation not permitted"}. */
    public String description() {
        return description;
    }

    /** The {@code errno} value the call set. */
    public int errno() {
        return errno;
    }

    /** Whether the error means the caller lacks the privilege (EPERM, EACCES) or the filesystem lacks support. */
    public boolean isNotPermittedOrSupported() {
        return errno == EPERM || errno == EACCES || errno == ENOTSUP;
    }
}
