package io.github.erofs4j.core.write;

import io.github.erofs4j.core.posix.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Copies file contents from their source files into the image file inside the kernel ({@code copy_file_range(2)}),
 * at any offset and from any thread: the bytes do not pass through user space, and a file system that can share
 * or offload the copy may do so. Only for contents stored in files ({@link DiskContent}); the writer copies the
 * others itself, and does so too wherever this copier declines.
 */
final class KernelCopier implements AutoCloseable {
    private final Posix posix;
    private final int imageFd;
    /** Set at the first refusal (files on another file system, a kernel without the call): no file is tried after. */
    private volatile boolean refused;

    private KernelCopier(Posix posix, int imageFd) {
        this.posix = posix;
        this.imageFd = imageFd;
    }

    /** A copier writing into {@code image} (an existing file), or null where the native calls are not available. */
    static KernelCopier open(Path image) {
        if (image == null) {
            return null;
        }
        Posix posix = Posix.get();
        if (!posix.available()) {
            return null;
        }
        try {
            return new KernelCopier(posix, posix.openWrite(image));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Copies bytes {@code [0, len)} of a content to {@code at} in the image and reads the bytes that follow them
     * into {@code tail} (from its position to its limit, a direct buffer). Returns false when it could not do all
     * of it (not a file's content, a file system or kernel that cannot copy, a file shorter than its recorded size):
     * the caller then copies the content itself, from the start, which also reports a file that changed. A read or
     * write error is an exception naming the content.
     */
    boolean copy(FileContent c, long len, long at, ByteBuffer tail) throws IOException {
        if (refused || !(c instanceof DiskContent d)) {
            return false;
        }
        int fd;
        try {
            fd = d.wholeFile ? posix.openReadNoFollow(d.file) : posix.openRead(d.file);
        } catch (IOException e) {
            return false;
        }
        boolean closed = false;
        try {
            for (long done = 0; done < len; ) {
                long n = posix.copyFileRange(fd, d.offset + done, imageFd, at + done, len - done);
                if (n < 0) {
                    refused = true;
                    return false;
                }
                if (n == 0) {
                    return false;
                }
                done += n;
            }
            for (long from = d.offset + len; tail.hasRemaining(); ) {
                int n = posix.pread(fd, tail, from);
                if (n == 0) {
                    return false;
                }
                from += n;
            }
            closed = true;
            posix.close(fd);
            return true;
        } catch (IOException e) {
            throw ImageOutput.named(c, e);
        } finally {
            if (!closed) {
                try {
                    posix.close(fd);
                } catch (IOException e) {
                    // Read-only: nothing was lost; the copy's own outcome is what counts.
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        posix.close(imageFd);
    }
}
