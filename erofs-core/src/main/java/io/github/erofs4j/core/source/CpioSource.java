package io.github.erofs4j.core.source;

import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.FileType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads cpio archives the way the Linux kernel unpacks an initramfs: {@code newc} and {@code crc} headers;
 * several archives in a row separated by zero padding; any of them compressed (gzip, xz, lzma, zstd, bzip2, lz4
 * legacy or frame), detected by its magic, and a compressed member may itself hold several archives; later
 * entries replace earlier ones of the same path (a directory keeps its contents and takes the new attributes);
 * hard links are matched by (device, inode) within one archive, and a later link carrying data gives the shared
 * inode its content.
 *
 * <p>The parser is written here rather than taken from commons-compress because the kernel's rules need exact
 * byte positions: each compressed member must be decoded without reading past its end, and alignment is
 * counted from the start of each stream, not in 512-byte blocks.
 */
public final class CpioSource {
    private static final int HEADER = 110;
    private static final long MAX_NAME = 4096;
    /** The warning for a member below a non-directory: the kernel's unpacker fails to create it and goes on. */
    private static final String NOT_A_DIRECTORY = "skipped: a component of its path is not a directory";

    private CpioSource() {}

    /** Reads every archive of {@code in} into {@code tree}; member contents go to {@code spool}. */
    static void read(InputStream in, FsTree tree, Spool spool, SourceOptions opt) throws IOException {
        new Reader(tree, spool, opt).stream(new Counting(new PushbackInputStream(in, 1 << 16)), true);
    }

    /** Reads a cpio archive (possibly compressed, possibly several concatenated) into a new tree. */
    public static SourceTree read(InputStream in, SourceOptions options) throws IOException {
        return Spool.read(options, SourceKind.CPIO, Compression.NONE, (tree, spool) -> read(in, tree, spool, options));
    }

    /** A stream that counts bytes consumed and supports pushing back. */
    static final class Counting extends InputStream {
        final PushbackInputStream in;
        long pos;

        Counting(PushbackInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                pos++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        void unread(byte[] b, int off, int len) throws IOException {
            in.unread(b, off, len);
            pos -= len;
        }

        int peek() throws IOException {
            int b = in.read();
            if (b >= 0) {
                in.unread(b);
            }
            return b;
        }
    }

    /** Whether every existing ancestor named by {@code parts} (all but the last) is a directory. */
    static boolean parentsAreDirectories(FsTree tree, List<byte[]> parts) {
        Node dir = tree.root();
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = dir.child(parts.get(i));
            if (dir == null) {
                return true;
            }
            if (dir.type() != FileType.DIRECTORY) {
                return false;
            }
        }
        return true;
    }

    private static final class Reader {
        private final FsTree tree;
        private final Spool spool;
        private final SourceOptions opt;
        private Map<String, Node> links = new HashMap<>();

        Reader(FsTree tree, Spool spool, SourceOptions opt) {
            this.tree = tree;
            this.spool = spool;
            this.opt = opt;
        }

        /** Archives and padding until the end of a stream; compressed members only in the outer stream. */
        void stream(Counting in, boolean outer) throws IOException {
            while (true) {
                int b = in.peek();
                if (b < 0) {
                    return;
                }
                if (b == 0) {
                    in.read();
                    continue;
                }
                if (b == '0' && (in.pos & 3) == 0) {
                    archive(in);
                    continue;
                }
                if (!outer) {
                    throw new IOException("junk within compressed archive at byte " + in.pos);
                }
                compressed(in);
            }
        }

        private void compressed(Counting in) throws IOException {
            byte[] head = new byte[Compression.MAGIC_BYTES];
            int n = in.in.readNBytes(head, 0, head.length);
            in.in.unread(head, 0, n);
            Compression c = Compression.detect(head, n);
            long at = in.pos;
            if (c == Compression.NONE) {
                throw new IOException("invalid magic at byte " + at + " (neither cpio nor a known compression)");
            }
            InputStream dec;
            try {
                dec = switch (c) {
                    case GZIP -> new ExactGzip(in);
                    case ZSTD -> new com.github.luben.zstd.ZstdInputStreamNoFinalizer(new ZstdFrame(in));
                    case XZ -> new org.tukaani.xz.SingleXZInputStream(in);
                    case LZMA -> new org.tukaani.xz.LZMAInputStream(in);
                    case LZ4_LEGACY -> new Lz4Legacy(in);
                    case LZ4_FRAME -> new net.jpountz.lz4.LZ4FrameInputStream(in);
                    case BZIP2 -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in,
                            false);
                    default -> throw new IllegalStateException();
                };
            } catch (NoClassDefFoundError e) {
                throw c.missing(e);
            }
            try {
                stream(new Counting(new PushbackInputStream(dec, 1 << 16)), false);
            } catch (EOFException e) {
                throw new IOException(c.name().toLowerCase(java.util.Locale.ROOT) + " member at byte " + at
                        + ": truncated: " + e.getMessage(), e);
            }
        }

        private void archive(Counting in) throws IOException {
            links = new HashMap<>();
            while (true) {
                long at = in.pos;
                byte[] h = in.readNBytes(HEADER);
                if (h.length < HEADER) {
                    throw new IOException("cpio header at byte " + at + " truncated");
                }
                String magic = new String(h, 0, 6, StandardCharsets.US_ASCII);
                if (!magic.equals("070701") && !magic.equals("070702")) {
                    throw new IOException("cpio header at byte " + at + ": bad magic \"" + magic
                            + "\" (only newc and crc archives are supported)");
                }
                long ino = hex(h, 0, at);
                int mode = (int) hex(h, 1, at);
                long uid = hex(h, 2, at);
                long gid = hex(h, 3, at);
                long nlink = hex(h, 4, at);
                long mtime = hex(h, 5, at);
                long size = hex(h, 6, at);
                long devMajor = hex(h, 7, at);
                long devMinor = hex(h, 8, at);
                int rMajor = (int) hex(h, 9, at);
                int rMinor = (int) hex(h, 10, at);
                long nameSize = hex(h, 11, at);
                if (nameSize < 1 || nameSize > MAX_NAME) {
                    throw new IOException("cpio header at byte " + at + ": name size " + nameSize);
                }
                byte[] nameZ = in.readNBytes((int) nameSize);
                if (nameZ.length < nameSize) {
                    throw new IOException("cpio member at byte " + at + ": name truncated");
                }
                byte[] name = Arrays.copyOf(nameZ, nameZ.length - 1);
                int z = indexOf0(name);
                if (z >= 0) {
                    name = Arrays.copyOf(name, z);
                }
                String shown = new String(name, StandardCharsets.UTF_8);
                skip(in, pad4(in.pos), shown);
                if (shown.equals("TRAILER!!!")) {
                    return;
                }
                entry(in, name, shown, mode, uid, gid, nlink, mtime, size, devMajor, devMinor, ino, rMajor,
                        rMinor);
                skip(in, pad4(in.pos), shown);
            }
        }

        private void entry(Counting in, byte[] name, String shown, int mode, long uid, long gid, long nlink,
                long mtime, long size, long devMajor, long devMinor, long ino, int rMajor, int rMinor)
                throws IOException {
            FileType type = FileType.fromMode(mode).orElse(null);
            boolean excluded = opt.exclude().test(normalize(shown));
            if (type == null || excluded) {
                if (type == null) {
                    opt.warn(shown, "skipped: unknown file type in mode " + Integer.toOctalString(mode));
                }
                skip(in, size, shown);
                return;
            }
            List<byte[]> parts = FsTree.split(name);
            for (byte[] p : parts) {
                if (p.length > 255) {
                    throw new IOException(shown + ": name component over 255 bytes");
                }
                if (p.length == 2 && p[0] == '.' && p[1] == '.') {
                    throw new IOException(shown + ": \"..\" in a cpio member name");
                }
            }
            long secs = mtime;
            Node existing = tree.get(name);
            if (type == FileType.DIRECTORY) {
                skip(in, size, shown);
                Node d;
                if (parts.isEmpty()) {
                    d = tree.root();
                } else if (existing != null && existing.type() == FileType.DIRECTORY) {
                    d = existing;
                } else if (!parentsAreDirectories(tree, parts)) {
                    opt.warn(shown, NOT_A_DIRECTORY);
                    return;
                } else {
                    d = tree.put(name, Node.directory());
                }
                d.permissions(mode & 07777).owner(uid, gid).mtime(secs, 0);
                return;
            }
            if (parts.isEmpty()) {
                skip(in, size, shown);
                opt.warn(shown, "skipped: a non-directory named as the root");
                return;
            }
            if (!parentsAreDirectories(tree, parts)) {
                skip(in, size, shown);
                opt.warn(shown, NOT_A_DIRECTORY);
                return;
            }
            Node n;
            String linkKey = devMajor + ":" + devMinor + ":" + ino + ":" + (mode & 0170000);
            Node linked = type != FileType.SYMLINK && nlink >= 2 ? links.get(linkKey) : null;
            if (linked != null) {
                n = linked;
                if (type == FileType.REGULAR && size > 0) {
                    n.content(spool.add(in, size, shown));
                } else {
                    skip(in, size, shown);
                }
                tree.put(name, n);
                return;
            }
            switch (type) {
                case REGULAR -> n = Node.file(size == 0 ? FileContent.of(new byte[0]) : spool.add(in, size, shown));
                case SYMLINK -> {
                    if (size < 1 || size > 65535) {
                        throw new IOException(shown + ": symlink target of " + size + " bytes");
                    }
                    byte[] t = in.readNBytes((int) size);
                    if (t.length < size) {
                        throw new IOException(shown + ": archive truncated in the middle of this member");
                    }
                    int z = indexOf0(t);
                    n = Node.symlink(z >= 0 ? Arrays.copyOf(t, z) : t);
                }
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    skip(in, size, shown);
                    n = type == FileType.CHAR_DEVICE ? Node.charDevice(rMajor & 0xFFF, rMinor & 0xFFFFF)
                            : Node.blockDevice(rMajor & 0xFFF, rMinor & 0xFFFFF);
                }
                case FIFO -> {
                    skip(in, size, shown);
                    n = Node.fifo();
                }
                default -> {
                    skip(in, size, shown);
                    n = Node.socket();
                }
            }
            n.permissions(type == FileType.SYMLINK ? 0777 : mode & 07777).owner(uid, gid).mtime(secs, 0);
            if (type != FileType.SYMLINK && nlink >= 2) {
                links.put(linkKey, n);
            }
            tree.put(name, n);
        }

        private static String normalize(String p) {
            while (p.startsWith("/") || p.startsWith("./")) {
                p = p.substring(p.startsWith("/") ? 1 : 2);
            }
            return p;
        }

        private static long pad4(long pos) {
            return (4 - (pos & 3)) & 3;
        }

        private static void skip(InputStream in, long n, String what) throws IOException {
            long left = n;
            byte[] b = new byte[8192];
            while (left > 0) {
                int k = in.read(b, 0, (int) Math.min(b.length, left));
                if (k < 0) {
                    throw new IOException(what + ": archive truncated in the middle of this member");
                }
                left -= k;
            }
        }

        private static int indexOf0(byte[] b) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        private static long hex(byte[] h, int field, long at) throws IOException {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                int c = Character.digit(h[6 + 8 * field + i], 16);
                if (c < 0) {
                    throw new IOException("cpio header at byte " + at + ": bad hex digit in field " + field);
                }
                v = (v << 4) | c;
            }
            return v;
        }
    }
}
