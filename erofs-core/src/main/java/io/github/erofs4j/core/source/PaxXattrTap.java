package io.github.erofs4j.core.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches a tar stream as the tar reader consumes it and keeps the raw bytes of the {@code SCHILY.xattr.*} PAX
 * records of the most recent member header. commons-compress decodes PAX values as UTF-8 strings, which would
 * alter binary xattr values (capabilities, overlayfs metadata); this tap recovers them exactly.
 *
 * <p>It follows the tar block structure: 512-byte headers (with GNU sparse extension headers), data rounded up
 * to 512 bytes, a PAX {@code size} record overriding the next member's size. If the stream looks inconsistent,
 * it stops tapping and the reader's own values are used.
 */
final class PaxXattrTap extends FilterInputStream {
    private final byte[] header = new byte[512];
    private int headerFill;
    private long skip; // bytes of data and padding still to pass before the next header
    private byte[] pax; // payload of a PAX 'x' header being collected
    private int paxFill;
    private int extBlocks; // GNU sparse extension headers still to come (-1: unknown)
    private Map<String, byte[]> pending = new TreeMap<>();
    private long pendingSize = -1;
    private Map<String, byte[]> current = Map.of();
    private boolean broken;

    PaxXattrTap(InputStream in) {
        super(in);
    }

    /** Raw xattrs (full names) of the member whose header was read last. */
    Map<String, byte[]> current() {
        return current;
    }

    boolean broken() {
        return broken;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            feed(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            feed(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        long done = 0;
        while (done < n) {
            int k = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (k < 0) {
                break;
            }
            done += k;
        }
        return done;
    }

    private void feed(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end && !broken) {
            if (pax != null) {
                int k = Math.min(end - p, pax.length - paxFill);
                System.arraycopy(b, p, pax, paxFill, k);
                paxFill += k;
                p += k;
                skip -= k;
                if (paxFill == pax.length) {
                    parsePax(pax);
                    pax = null;
                }
                continue;
            }
            if (skip > 0) {
                int k = (int) Math.min(end - p, skip);
                p += k;
                skip -= k;
                continue;
            }
            int k = Math.min(end - p, 512 - headerFill);
            System.arraycopy(b, p, header, headerFill, k);
            headerFill += k;
            p += k;
            if (headerFill == 512) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    private void onHeader() {
        if (extBlocks > 0 || extBlocks == -1) {
            // GNU sparse extension header: continue while its "isextended" byte is set.
            extBlocks = header[504] != 0 ? -1 : 0;
            if (extBlocks == 0) {
                skip = round512(sizeForData);
            }
            return;
        }
        boolean zero = true;
        for (byte x : header) {
            if (x != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return;
        }
        char type = (char) header[156];
        long size = size();
        if (size < 0) {
            broken = true;
            return;
        }
        switch (type) {
            case 'x' -> {
                if (size > (1 << 24)) {
                    broken = true;
                    return;
                }
                pax = new byte[(int) size];
                paxFill = 0;
                skip = round512(size);
                if (size == 0) {
                    pax = null;
                }
            }
            case 'g', 'L', 'K' -> skip = round512(size);
            default -> {
                current = pending;
                pending = new TreeMap<>();
                long dataSize = pendingSize >= 0 ? pendingSize : size;
                pendingSize = -1;
                if (type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6') {
                    dataSize = type == '5' || type == '1' || type == '2' ? 0 : dataSize;
                    if (type == '3' || type == '4' || type == '6') {
                        dataSize = 0;
                    }
                }
                if (type == 'S' && header[482] != 0) {
                    extBlocks = -1;
                    sizeForData = dataSize;
                    return;
                }
                skip = round512(dataSize);
            }
        }
    }

    private long sizeForData;

    private static long round512(long n) {
        return (n + 511) & ~511L;
    }

    private long size() {
        if ((header[124] & 0x80) != 0) {
            long v = header[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
                if (v < 0) {
                    return -1;
                }
            }
            return v;
        }
        long v = 0;
        for (int i = 124; i < 136; i++) {
            int c = header[i];
            if (c == 0 || c == ' ') {
                if (v > 0 || i > 124) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = (v << 3) | (c - '0');
        }
        return v;
    }

    private void parsePax(byte[] b) {
        int p = 0;
        while (p < b.length) {
            int sp = p;
            long len = 0;
            while (sp < b.length && b[sp] >= '0' && b[sp] <= '9') {
                len = len * 10 + (b[sp] - '0');
                sp++;
            }
            if (sp >= b.length || b[sp] != ' ' || len <= 0 || p + len > b.length) {
                broken = true;
                return;
            }
            int recEnd = (int) (p + len);
            int eq = sp + 1;
            while (eq < recEnd && b[eq] != '=') {
                eq++;
            }
            if (eq >= recEnd) {
                broken = true;
                return;
            }
            String key = new String(b, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            int vEnd = b[recEnd - 1] == '\n' ? recEnd - 1 : recEnd;
            byte[] value = java.util.Arrays.copyOfRange(b, eq + 1, vEnd);
            if (key.startsWith("SCHILY.xattr.")) {
                pending.put(key.substring("SCHILY.xattr.".length()), value);
            } else if (key.equals("size")) {
                try {
                    pendingSize = Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
                } catch (NumberFormatException e) {
                    broken = true;
                }
            }
            p = recEnd;
        }
    }
}
