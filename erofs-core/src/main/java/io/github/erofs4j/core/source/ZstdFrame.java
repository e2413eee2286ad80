package io.github.erofs4j.core.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through exactly the bytes of one zstd frame (header, blocks, optional checksum) and then reports end
 * of stream, by following the frame's block headers; lets a buffering zstd decoder work on a stream that
 * continues with other data.
 */
final class ZstdFrame extends InputStream {
    private final InputStream in;
    private final byte[] pending = new byte[32];
    private int pendingPos;
    private int pendingLen;
    private long bodyLeft;
    private boolean lastBlock;
    private boolean checksum;
    private int stage; // 0 header, 1 block header next, 2 in block body, 3 checksum, 4 end

    ZstdFrame(InputStream in) throws IOException {
        this.in = in;
        byte[] h = new byte[5];
        readFully(h, 0, 5);
        int fhd = h[4] & 0xFF;
        int fcsFlag = fhd >>> 6;
        boolean single = (fhd & 0x20) != 0;
        checksum = (fhd & 4) != 0;
        int didFlag = fhd & 3;
        int extra = (single ? 0 : 1) + new int[] {0, 1, 2, 4}[didFlag]
                + (fcsFlag == 0 ? (single ? 1 : 0) : new int[] {0, 2, 4, 8}[fcsFlag]);
        System.arraycopy(h, 0, pending, 0, 5);
        readFully(pending, 5, extra);
        pendingLen = 5 + extra;
        stage = 1;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("zstd frame truncated");
        }
    }

    private boolean advance() throws IOException {
        while (pendingPos >= pendingLen && bodyLeft == 0) {
            pendingPos = 0;
            pendingLen = 0;
            switch (stage) {
                case 1 -> {
                    readFully(pending, 0, 3);
                    int bh = (pending[0] & 0xFF) | (pending[1] & 0xFF) << 8 | (pending[2] & 0xFF) << 16;
                    lastBlock = (bh & 1) != 0;
                    int type = (bh >>> 1) & 3;
                    int size = bh >>> 3;
                    if (type == 3) {
                        throw new IOException("corrupt zstd frame: reserved block type");
                    }
                    bodyLeft = type == 1 ? 1 : size;
                    pendingLen = 3;
                    stage = lastBlock ? (checksum ? 3 : 4) : 1;
                }
                case 3 -> {
                    readFully(pending, 0, 4);
                    pendingLen = 4;
                    stage = 4;
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        if (pendingPos < pendingLen) {
            int n = Math.min(len, pendingLen - pendingPos);
            System.arraycopy(pending, pendingPos, b, off, n);
            pendingPos += n;
            return n;
        }
        int n = in.read(b, off, (int) Math.min(len, bodyLeft));
        if (n < 0) {
            throw new EOFException("zstd frame truncated");
        }
        bodyLeft -= n;
        return n;
    }
}
