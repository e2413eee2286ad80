package io.github.erofs4j.initramfs;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds where the uncompressed cpio archives at the start of an initramfs end (the early-microcode part that
 * distributions put before the compressed main archive). Only newc and crc headers are walked; nothing is
 * decoded.
 */
final class EarlyCpio {
    private static final int HEADER = 110;

    private EarlyCpio() {}

    /**
     * The length of the leading uncompressed cpio part, including the zero padding after it, when a compressed
     * member follows; 0 when the file starts with a compressed member or holds no compressed member at all.
     */
    static long length(Path initrd) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(initrd), 1 << 16)) {
            long pos = 0;
            long end = 0;
            byte[] header = new byte[HEADER];
            while (true) {
                in.mark(HEADER);
                int b = in.read();
                if (b < 0) {
                    return 0; // nothing compressed follows: the whole file is one plain part
                }
                if (b == 0) {
                    pos++;
                    end = pos;
                    continue;
                }
                in.reset();
                if (b != '0' || (pos & 3) != 0) {
                    return end; // a compressed member (or junk the kernel would reject) starts here
                }
                int n = in.readNBytes(header, 0, HEADER);
                String magic = new String(header, 0, Math.min(6, n), StandardCharsets.US_ASCII);
                if (n < HEADER || !(magic.equals("070701") || magic.equals("070702"))) {
                    throw new IOException("initramfs: not a newc cpio header at byte " + pos);
                }
                long fileSize = hex(header, 54, pos);
                long nameSize = hex(header, 94, pos);
                long skip = align4(HEADER + nameSize) - HEADER + align4(fileSize);
                skipFully(in, skip, pos);
                pos += HEADER + skip;
                end = pos;
            }
        }
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    private static long hex(byte[] h, int off, long at) throws IOException {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            int d = Character.digit(h[i], 16);
            if (d < 0) {
                throw new IOException("initramfs: bad hex digit in the cpio header at byte " + (at + i));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static void skipFully(InputStream in, long n, long at) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("initramfs: cpio member at byte " + at + " is truncated");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
