package io.github.erofs4j.core.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One gzip member decoded without consuming a byte past its trailer (the JDK's GZIPInputStream reads ahead and
 * swallows what follows), so that the cpio reader can continue with the next archive. Checks the CRC and size.
 */
final class ExactGzip extends InputStream {
    private final CpioSource.Counting in;
    private final Inflater inf = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] ibuf = new byte[1 << 16];
    private boolean done;

    ExactGzip(CpioSource.Counting in) throws IOException {
        this.in = in;
        int id1 = in.read();
        int id2 = in.read();
        int cm = in.read();
        int flg = in.read();
        if (id1 != 0x1F || (id2 != 0x8B && id2 != 0x9E) || cm != 8) {
            throw new IOException("not a gzip member");
        }
        skipN(6); // mtime, xfl, os
        if ((flg & 4) != 0) {
            int xlen = u8() | u8() << 8;
            skipN(xlen);
        }
        if ((flg & 8) != 0) {
            while (u8() != 0) {
                // file name
            }
        }
        if ((flg & 16) != 0) {
            while (u8() != 0) {
                // comment
            }
        }
        if ((flg & 2) != 0) {
            skipN(2);
        }
    }

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("gzip header truncated");
        }
        return b;
    }

    private void skipN(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            u8();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        while (true) {
            int n;
            try {
                n = inf.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new IOException("corrupt gzip data: " + e.getMessage(), e);
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inf.finished()) {
                int rem = inf.getRemaining();
                if (rem > 0) {
                    in.unread(ibuf, lastLen - rem, rem);
                }
                long c = le32();
                long isize = le32();
                if (c != crc.getValue() || isize != (inf.getBytesWritten() & 0xFFFFFFFFL)) {
                    throw new IOException("gzip member fails its CRC or size check");
                }
                done = true;
                return -1;
            }
            if (inf.needsInput()) {
                int k = in.read(ibuf, 0, ibuf.length);
                if (k < 0) {
                    throw new EOFException("gzip data truncated");
                }
                lastLen = k;
                inf.setInput(ibuf, 0, k);
            } else if (inf.needsDictionary()) {
                throw new IOException("gzip data needs a preset dictionary");
            }
        }
    }

    private int lastLen;

    private long le32() throws IOException {
        return (u8() | u8() << 8 | u8() << 16 | (long) u8() << 24) & 0xFFFFFFFFL;
    }

    @Override
    public void close() {
        inf.end();
    }
}
