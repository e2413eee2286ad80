package io.github.erofs4j.core.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The legacy LZ4 format the kernel reads for initramfs ({@code lz4 -l}): a 4-byte magic, then blocks of
 * (u32 little-endian compressed size, raw LZ4 block) each decoding to at most 8 MiB; a repeated magic starts a
 * new stream. Ends at the end of input, or at a size field that cannot be a block (as when another archive
 * follows), in which case those 4 bytes are pushed back when the input is the cpio reader's stream.
 */
final class Lz4Legacy extends InputStream {
    private static final int MAGIC = 0x184C2102;
    private static final int MAX_BLOCK = 8 << 20;

    private final InputStream in;
    private final net.jpountz.lz4.LZ4SafeDecompressor dec =
            net.jpountz.lz4.LZ4Factory.safeInstance().safeDecompressor();
    private byte[] out = new byte[0];
    private int pos;
    private int lim;
    private boolean eof;

    Lz4Legacy(InputStream in) throws IOException {
        this.in = in;
        int m = readLe32(true);
        if (m != MAGIC) {
            throw new IOException("not a legacy lz4 stream");
        }
    }

    private int readLe32(boolean required) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0 && !required) {
                    return -1;
                }
                throw new EOFException("legacy lz4 stream truncated");
            }
            v |= b << (8 * i);
        }
        return v;
    }

    private boolean fill() throws IOException {
        while (pos >= lim) {
            if (eof) {
                return false;
            }
            int size = readLe32(false);
            if (size == MAGIC) {
                continue;
            }
            if (size == -1 || size == 0 || size < 0
                    || size > net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor().maxCompressedLength(MAX_BLOCK)) {
                if (size != -1 && in instanceof CpioSource.Counting c) {
                    c.unread(new byte[] {(byte) size, (byte) (size >>> 8), (byte) (size >>> 16),
                        (byte) (size >>> 24)}, 0, 4);
                }
                eof = true;
                return false;
            }
            byte[] src = in.readNBytes(size);
            if (src.length != size) {
                throw new EOFException("legacy lz4 block truncated");
            }
            if (out.length < MAX_BLOCK) {
                out = new byte[MAX_BLOCK];
            }
            try {
                lim = dec.decompress(src, 0, size, out, 0, MAX_BLOCK);
            } catch (net.jpountz.lz4.LZ4Exception e) {
                throw new IOException("corrupt legacy lz4 block: " + e.getMessage(), e);
            }
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? out[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
