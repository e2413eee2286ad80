package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.SuperBlock;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Sequential image output: buffers writes, patches the superblock checksum into the first flush (block 0 is
 * complete by then), feeds the observer every byte in order, reports progress, and copies file data with
 * {@link FileChannel#transferTo} when nothing needs to see the bytes.
 */
final class ImageOutput implements Closeable {
    private static final int BUF = 1 << 20;
    private static final long PROGRESS_STEP = 8L << 20;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final WritableByteChannel ch;
    private final ImageObserver observer;
    private final WriteListener listener;
    private final long total;
    private final int csumEnd;
    private final boolean checksum;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUF);
    private long flushed;
    private long nextProgress = PROGRESS_STEP;

    /**
     * {@code base} is the image offset at which the channel's position stands: positions given to and returned by
     * this class are image offsets. The superblock checksum can only be patched when writing from offset 0.
     */
    ImageOutput(WritableByteChannel ch, ImageObserver observer, WriteListener listener, long total, long base,
            int csumEnd, boolean checksum) {
        this.ch = ch;
        this.observer = observer;
        this.listener = listener;
        this.total = total;
        this.csumEnd = csumEnd;
        this.checksum = checksum;
        this.flushed = base;
        this.nextProgress = base + PROGRESS_STEP;
        if (checksum && base != 0) {
            throw new IllegalArgumentException("the checksum needs the output to start at offset 0");
        }
    }

    long position() {
        return flushed + buf.position();
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes zeros up to an absolute offset. */
    void zerosTo(long offset) throws IOException {
        long n = offset - position();
        if (n < 0) {
            throw new IllegalStateException("output went past " + offset + " (at " + position() + ")");
        }
        while (n > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int k = (int) Math.min(Math.min(n, buf.remaining()), ZEROS.length);
            buf.put(ZEROS, 0, k);
            n -= k;
        }
    }

    /** Copies {@code len} bytes of a content channel, positioned at {@code from}, to the output. */
    void copy(ReadableByteChannel src, long from, long len, FileContent c) throws IOException {
        try {
            copyUnnamed(src, from, len, c);
        } catch (IOException e) {
            throw named(c, e);
        }
    }

    /**
     * A read error of a source file that names the file: {@code e} itself when its message already does (or when
     * it reports an interruption), else a new exception with the file's description in front and {@code e} as
     * its cause.
     */
    static IOException named(FileContent c, IOException e) {
        String d = c.describe();
        String m = e.getMessage();
        if (e instanceof InterruptedIOException
                || e instanceof ClosedByInterruptException || (m != null && m.contains(d))) {
            return e;
        }
        return new IOException(d + ": " + (m != null ? m : e.toString()), e);
    }

    private void copyUnnamed(ReadableByteChannel src, long from, long len, FileContent c) throws IOException {
        if (observer == null && src instanceof FileChannel fsrc && ch instanceof FileChannel fdst
                && len >= 64 * 1024) {
            flush();
            long done = 0;
            while (done < len) {
                long n = fsrc.transferTo(from + done, len - done, fdst);
                if (n <= 0) {
                    if (fsrc.size() < from + len) {
                        throw shrank(c);
                    }
                    throw new IOException(c.describe() + ": copy made no progress");
                }
                done += n;
            }
            flushed += len;
            progress();
            return;
        }
        long left = len;
        while (left > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            ByteBuffer d = buf.duplicate();
            d.limit((int) Math.min(buf.limit(), buf.position() + left));
            int n = src.read(d);
            if (n < 0) {
                throw shrank(c);
            }
            buf.position(d.position());
            left -= n;
        }
    }

    static IOException shrank(FileContent c) {
        return new IOException(c.describe() + ": shorter than its recorded size of " + c.size()
                + " bytes (did it change while the image was built?)");
    }

    /** Fills {@code dst} from a source file's channel; a read error names the file. */
    static void readFully(ReadableByteChannel ch, ByteBuffer dst, FileContent c) throws IOException {
        while (dst.hasRemaining()) {
            int n;
            try {
                n = ch.read(dst);
            } catch (IOException e) {
                throw named(c, e);
            }
            if (n < 0) {
                throw shrank(c);
            }
        }
    }

    void flush() throws IOException {
        buf.flip();
        if (flushed == 0 && checksum) {
            if (buf.limit() < csumEnd) {
                throw new IllegalStateException("superblock block not complete at the first flush");
            }
            byte[] head = new byte[csumEnd];
            buf.get(0, head);
            long crc = SuperBlock.checksum(head, csumEnd - io.github.erofs4j.core.format.Erofs.SUPERBLOCK_OFFSET);
            buf.order(ByteOrder.LITTLE_ENDIAN).putInt(io.github.erofs4j.core.format.Erofs.SUPERBLOCK_OFFSET
                    + SuperBlock.CHECKSUM_OFFSET, (int) crc);
        }
        int n = buf.remaining();
        if (observer != null && n > 0) {
            observer.update(buf.asReadOnlyBuffer());
        }
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
        flushed += n;
        progress();
    }

    private void progress() {
        if (flushed >= nextProgress) {
            listener.onEvent(new WriteEvent.Progress(flushed, total));
            nextProgress = flushed + PROGRESS_STEP;
        }
    }

    void finish() throws IOException {
        flush();
        listener.onEvent(new WriteEvent.Progress(flushed, total));
    }

    @Override
    public void close() {
        // The channel belongs to the caller.
    }
}
