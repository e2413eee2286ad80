package io.github.erofs4j.core.read;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.XattrEntry;
import io.github.erofs4j.core.format.XattrHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an inode's xattrs: the shared ones it references, then its inline entries. Entries whose namespace the
 * kernel does not list (index 0, {@code lustre.}, unknown indexes, long prefixes on such a base) are skipped, as
 * the kernel's listxattr skips them.
 */
final class XattrReader {
    private XattrReader() {}

    static List<Xattr> read(ErofsInode inode) throws IOException {
        int bodySize = inode.xattrBodySize();
        if (bodySize == 0) {
            return List.of();
        }
        ErofsImage image = inode.image();
        MetaSpace src = inode.meta();
        String what = "xattr body of nid " + inode.nid();
        long bodyOff = inode.inodeOffset() + inode.core().coreSize();
        ByteBuffer body = src.meta(bodyOff, bodySize, what);
        XattrHeader h = XattrHeader.decode(body, 0);
        int shared = h.sharedCount();
        int p = XattrHeader.SIZE + 4 * shared;
        if (p > bodySize) {
            throw ErofsFormatException.corrupt(bodyOff + 4, what,
                    shared + " shared xattr ids do not fit in a body of " + bodySize + " bytes");
        }
        ReadOptions opts = image.options();
        if (shared > opts.maxXattrs()) {
            throw ErofsFormatException.limit(bodyOff + 4, what, "maxXattrs", opts.maxXattrs(), shared);
        }
        long[] bytes = {0};
        List<Xattr> out = new ArrayList<>();
        if (shared > 0) {
            long base = image.blockOffset(image.superBlock().xattrBlkaddr(), "superblock xattr_blkaddr",
                    Erofs.SUPERBLOCK_OFFSET + 44);
            MetaSpace sharedSpace = image.sharedXattrSpace();
            for (int i = 0; i < shared; i++) {
                long id = body.getInt(XattrHeader.SIZE + 4 * i) & 0xFFFFFFFFL;
                long off = base + 4 * id;
                String sw = "shared xattr " + id + " of nid " + inode.nid();
                ByteBuffer hb = sharedSpace.meta(off, XattrEntry.SIZE, sw);
                XattrEntry e = XattrEntry.decode(hb, 0);
                account(opts, bytes, e, off, sw);
                ByteBuffer rest = sharedSpace.meta(off + XattrEntry.SIZE, e.nameLen() + e.valueSize(), sw);
                Xattr x = decode(image, e, rest, 0, off, sw);
                if (x != null) {
                    out.add(x);
                }
            }
        }
        int index = 0;
        while (p < bodySize) {
            String ew = "inline xattr " + index + " of nid " + inode.nid();
            long entryOff = bodyOff + p;
            if (bodySize - p < XattrEntry.SIZE) {
                throw ErofsFormatException.corrupt(entryOff, ew, "entry header crosses the end of the xattr body");
            }
            XattrEntry e = XattrEntry.decode(body, p);
            int sz = e.entrySize();
            if (sz > bodySize - p) {
                throw ErofsFormatException.corrupt(entryOff, ew, "entry of " + sz
                        + " bytes crosses the end of the xattr body");
            }
            if (shared + index >= opts.maxXattrs()) {
                throw ErofsFormatException.limit(entryOff, ew, "maxXattrs", opts.maxXattrs(), shared + index + 1L);
            }
            account(opts, bytes, e, entryOff, ew);
            Xattr x = decode(image, e, body, p + XattrEntry.SIZE, entryOff, ew);
            if (x != null) {
                out.add(x);
            }
            p += sz;
            index++;
        }
        return out;
    }

    /** Adds an entry's name and value to {@code total[0]}, refusing to go beyond {@link ReadOptions#maxXattrBytes()}. */
    private static void account(ReadOptions opts, long[] total, XattrEntry e, long at, String what)
            throws ErofsFormatException {
        total[0] += e.nameLen() + e.valueSize();
        if (total[0] > opts.maxXattrBytes()) {
            throw ErofsFormatException.limit(at, what, "maxXattrBytes", opts.maxXattrBytes(), total[0]);
        }
    }

    /** Builds the full name; null when the kernel would not list the entry. */
    private static Xattr decode(ErofsImage image, XattrEntry e, ByteBuffer buf, int at, long entryOff, String what)
            throws IOException {
        byte[] prefix;
        int idx = e.nameIndex();
        if ((idx & Erofs.XATTR_LONG_PREFIX) != 0) {
            prefix = image.longPrefix(idx & 0x7F, entryOff, what);
        } else {
            String s = idx == Erofs.XATTR_INDEX_LUSTRE ? null : Erofs.xattrPrefix(idx);
            prefix = s == null ? null : s.getBytes(StandardCharsets.US_ASCII);
        }
        if (prefix == null) {
            return null;
        }
        byte[] name = new byte[prefix.length + e.nameLen()];
        System.arraycopy(prefix, 0, name, 0, prefix.length);
        buf.get(at, name, prefix.length, e.nameLen());
        byte[] value = new byte[e.valueSize()];
        buf.get(at + e.nameLen(), value);
        return new Xattr(new String(name, StandardCharsets.UTF_8), value);
    }
}
