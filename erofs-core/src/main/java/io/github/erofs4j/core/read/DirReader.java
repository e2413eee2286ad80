package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Dirent;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Directory blocks: iteration in on-disk order and the kernel's two-level binary search. Every block is read
 * through the directory's {@link DataSource}, so flat, chunk-based and compressed directories look the same.
 */
final class DirReader {
    private DirReader() {}

    /** Block {@code b} of the directory, zero-padded to the block size. */
    private static ByteBuffer block(ErofsInode dir, long b) throws IOException {
        int bits = dir.image().blockBits();
        int bs = 1 << bits;
        long start = b << bits;
        int n = (int) Math.min(bs, dir.size() - start);
        byte[] buf = new byte[bs];
        int got = dir.read(start, buf, 0, n);
        if (got != n) {
            throw ErofsFormatException.truncated(dir.inodeOffset(), "directory block " + b + " of nid " + dir.nid(),
                    n, Math.max(0, got));
        }
        return ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long blockCount(ErofsInode dir) {
        int bits = dir.image().blockBits();
        long size = dir.size();
        return (size >>> bits) + ((size & ((1L << bits) - 1)) != 0 ? 1 : 0);
    }

    private static String where(ErofsInode dir, long b) {
        return "directory block " + b + " of nid " + dir.nid();
    }

    /** Byte offset in the image of a position inside directory block {@code b}, or -1 if not known. */
    private static long offsetOf(ErofsInode dir, long b, int within) {
        try {
            long pos = (b << dir.image().blockBits()) + within;
            if (pos >= dir.size()) {
                return -1;
            }
            long at = dir.data().physicalOffset(pos);
            return at;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Number of dirents in a block, validated as the kernel's readdir does. */
    private static int direntCount(ErofsInode dir, long b, ByteBuffer blk, int maxsize) throws IOException {
        int nameoff0 = blk.getShort(8) & 0xFFFF;
        if (nameoff0 < Dirent.SIZE || nameoff0 >= maxsize) {
            throw ErofsFormatException.corrupt(offsetOf(dir, b, 8), where(dir, b), "first name offset " + nameoff0
                    + " outside [12, " + maxsize + ")");
        }
        return nameoff0 / Dirent.SIZE;
    }

    /** Refuses a directory larger than {@link ReadOptions#maxDirectoryBytes()}. */
    private static void checkSize(ErofsInode dir) throws ErofsFormatException {
        long max = dir.image().options().maxDirectoryBytes();
        if (dir.size() > max) {
            throw ErofsFormatException.limit(dir.inodeOffset(), "directory nid " + dir.nid(), "maxDirectoryBytes", max,
                    dir.size());
        }
    }

    static List<DirEntry> entries(ErofsInode dir) throws IOException {
        checkSize(dir);
        int bs = dir.image().blockSize();
        long blocks = blockCount(dir);
        int maxEntries = dir.image().options().maxDirectoryEntries();
        List<DirEntry> out = new ArrayList<>();
        // A chunk map may point every block of a huge directory at one block; listing it would multiply one
        // block's entries without bound. Real directories never share blocks, so a repeat is corruption.
        java.util.Set<Long> seen = new java.util.HashSet<>();
        DataSource data = blocks > 1 ? dir.data() : null;
        for (long b = 0; b < blocks; b++) {
            if (data != null) {
                long phys = data.physicalOffset(b << dir.image().blockBits());
                if (phys >= 0 && !seen.add(phys)) {
                    throw ErofsFormatException.corrupt(phys, where(dir, b), "stored in the same place as an earlier "
                            + "block of the directory");
                }
            }
            ByteBuffer blk = block(dir, b);
            int maxsize = (int) Math.min(bs, dir.size() - b * bs);
            int n = direntCount(dir, b, blk, maxsize);
            if (out.size() + n > maxEntries) {
                throw ErofsFormatException.limit(offsetOf(dir, b, 8), where(dir, b), "maxDirectoryEntries", maxEntries,
                        (long) out.size() + n);
            }
            for (int i = 0; i < n; i++) {
                Dirent d = Dirent.decode(blk, i * Dirent.SIZE);
                int nameoff = d.nameOff();
                int len;
                if (i + 1 < n) {
                    len = (blk.getShort((i + 1) * Dirent.SIZE + 8) & 0xFFFF) - nameoff;
                } else {
                    len = 0;
                    if (nameoff < maxsize) {
                        while (nameoff + len < maxsize && blk.get(nameoff + len) != 0) {
                            len++;
                        }
                    }
                }
                if (nameoff < n * Dirent.SIZE || len < 1 || len > Erofs.NAME_LEN_MAX || nameoff + len > maxsize) {
                    throw ErofsFormatException.corrupt(offsetOf(dir, b, i * Dirent.SIZE), "dirent " + i + " of "
                            + where(dir, b),
                            "bad name (offset " + nameoff + ", length " + len + ")");
                }
                byte[] name = new byte[len];
                blk.get(nameoff, name);
                out.add(new DirEntry(name, d.nid(), d.fileType()));
            }
        }
        return out;
    }

    /** Compares the target with an on-disk name ending at the first NUL or at {@code end}, from {@code from}. */
    private static int compare(byte[] target, ByteBuffer blk, int nameOff, int end, int[] matched) {
        int i = matched[0];
        while (nameOff + i < end && blk.get(nameOff + i) != 0) {
            int t = i < target.length ? target[i] & 0xFF : 0;
            int d = blk.get(nameOff + i) & 0xFF;
            if (t != d) {
                matched[0] = i;
                return t > d ? 1 : -1;
            }
            i++;
        }
        matched[0] = i;
        return i == target.length ? 0 : 1;
    }

    private static int nameOff(ByteBuffer blk, int i, int bs) {
        return (blk.getShort(i * Dirent.SIZE + 8) & 0xFFFF) & (bs - 1);
    }

    static Optional<DirEntry> lookup(ErofsInode dir, byte[] name) throws IOException {
        checkSize(dir);
        int bs = dir.image().blockSize();
        long head = 0;
        long back = blockCount(dir) - 1;
        int startPrefix = 0;
        int endPrefix = 0;
        ByteBuffer candidate = null;
        long candidateNo = -1;
        int candidateCount = 0;
        int[] matched = new int[1];
        while (head <= back) {
            long mid = head + (back - head) / 2;
            ByteBuffer blk = block(dir, mid);
            int nameoff = nameOff(blk, 0, bs);
            int n = nameoff / Dirent.SIZE;
            if (n == 0) {
                throw ErofsFormatException.corrupt(offsetOf(dir, mid, 8), where(dir, mid), "no dirents");
            }
            matched[0] = Math.min(startPrefix, endPrefix);
            int end = n == 1 ? bs : nameOff(blk, 1, bs);
            int diff = compare(name, blk, nameoff, end, matched);
            if (diff == 0) {
                return Optional.of(entry(blk, 0, name));
            } else if (diff > 0) {
                head = mid + 1;
                startPrefix = matched[0];
                candidate = blk;
                candidateNo = mid;
                candidateCount = n;
            } else {
                back = mid - 1;
                endPrefix = matched[0];
            }
        }
        if (candidate == null) {
            return Optional.empty();
        }
        int lo = 1;
        int hi = candidateCount - 1;
        startPrefix = 0;
        endPrefix = 0;
        if ((long) candidateCount * Dirent.SIZE > bs) {
            throw ErofsFormatException.corrupt(offsetOf(dir, candidateNo, 8), where(dir, candidateNo),
                    candidateCount + " dirents");
        }
        while (lo <= hi) {
            int mid = lo + (hi - lo) / 2;
            int off = nameOff(candidate, mid, bs);
            int end = mid >= candidateCount - 1 ? bs : nameOff(candidate, mid + 1, bs);
            matched[0] = Math.min(startPrefix, endPrefix);
            int ret = compare(name, candidate, off, end, matched);
            if (ret == 0) {
                return Optional.of(entry(candidate, mid, name));
            } else if (ret > 0) {
                lo = mid + 1;
                startPrefix = matched[0];
            } else {
                hi = mid - 1;
                endPrefix = matched[0];
            }
        }
        return Optional.empty();
    }

    private static DirEntry entry(ByteBuffer blk, int i, byte[] name) {
        Dirent d = Dirent.decode(blk, i * Dirent.SIZE);
        return new DirEntry(name, d.nid(), d.fileType());
    }
}
