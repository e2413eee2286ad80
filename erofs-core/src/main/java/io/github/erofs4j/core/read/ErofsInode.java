package io.github.erofs4j.core.read;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.CompactInode;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.ExtendedInode;
import io.github.erofs4j.core.format.InodeCore;
import io.github.erofs4j.core.internal.ReadOnlySeekableChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inode of an {@link ErofsImage}: its attributes (immutable, decoded when the inode is loaded) and methods
 * that read its xattrs, directory entries and data from the image.
 *
 * <p>Thread-safe: the reading methods may be called from any number of threads at once. Streams and channels
 * returned by {@link #newInputStream()} and {@link #newByteChannel()} are not shared objects: use each from one
 * thread at a time. They hold no resources of their own; the image's channels are closed with the image.
 */
public final class ErofsInode {
    /** Longest symlink target the kernel returns (a page minus the terminating NUL). */
    private static final int MAX_SYMLINK = 4095;

    private final ErofsImage image;
    private final long nid;
    private final MetaSpace meta;
    private final long offset;
    private final InodeCore core;
    private final FileType type;
    private final long size;
    private final long nlink;
    private final long mtimeSeconds;
    private final int mtimeNanos;
    private final int xattrBodySize;
    private volatile DataSource data;

    private ErofsInode(ErofsImage image, long nid, MetaSpace meta, long offset, InodeCore core, FileType type,
            long nlink, long mtimeSeconds, int mtimeNanos) {
        this.image = image;
        this.nid = nid;
        this.meta = meta;
        this.offset = offset;
        this.core = core;
        this.type = type;
        this.size = core.size();
        this.nlink = nlink;
        this.mtimeSeconds = mtimeSeconds;
        this.mtimeNanos = mtimeNanos;
        this.xattrBodySize = core.xattrBodySize();
    }

    /**
     * Loads an inode.
     *
     * @param nid the nid as stored (bit 63 set for an inode in the metabox)
     * @param src where the inode lives: the primary device or the metabox
     * @param slot the nid without bit 63: the inode's 32-byte slot in {@code src} (counted from the superblock's
     *     meta_blkaddr on the primary device, from the start of the metabox in the metabox)
     */
    static ErofsInode load(ErofsImage image, long nid, MetaSpace src, long slot) throws IOException {
        String what = "inode nid " + Long.toUnsignedString(nid) + (src.metabox() ? " (in the metabox)" : "");
        long base = src.metabox() ? 0 : image.blockOffset(image.superBlock().metaBlkaddr(),
                "superblock meta_blkaddr", Erofs.SUPERBLOCK_OFFSET + 40);
        if (slot < 0 || slot > (Long.MAX_VALUE - base) >> Erofs.ISLOT_BITS) {
            throw ErofsFormatException.corrupt(-1, what, "nid out of range for the image");
        }
        long off = base + (slot << Erofs.ISLOT_BITS);
        src.check(off, CompactInode.SIZE, what);
        ByteBuffer b = src.meta(off, CompactInode.SIZE, what);
        int format = b.getShort(0) & 0xFFFF;
        if ((format & ~Erofs.I_ALL_BITS) != 0) {
            throw ErofsFormatException.unsupported(off, what, "i_format 0x" + Integer.toHexString(format), null);
        }
        InodeCore core;
        if ((format & Erofs.I_VERSION_EXTENDED) != 0) {
            core = ExtendedInode.decode(src.meta(off, ExtendedInode.SIZE, what), 0);
        } else {
            core = CompactInode.decode(b, 0);
        }
        int layout = core.dataLayout();
        if (layout > Erofs.LAYOUT_CHUNK_BASED) {
            throw ErofsFormatException.unsupported(off, what, "data layout " + layout, null);
        }
        FileType type = FileType.fromMode(core.mode()).orElse(null);
        if (type == null) {
            throw ErofsFormatException.corrupt(off + 4, what, "bogus i_mode 0" + Integer.toOctalString(core.mode()));
        }
        if (core.size() < 0) {
            throw ErofsFormatException.corrupt(off + 8, what, "negative size " + core.size());
        }
        src.check(off, (long) core.coreSize() + core.xattrBodySize(), what + " xattr body");
        long nlink;
        long mtime;
        int nsec;
        if (core instanceof ExtendedInode e) {
            nlink = e.nlink();
            mtime = e.mtime();
            nsec = (int) e.mtimeNsec();
        } else {
            boolean nlink1 = (format & Erofs.I_NLINK_1) != 0 && type != FileType.DIRECTORY;
            nlink = nlink1 ? 1 : core.nb();
            mtime = image.superBlock().epoch() + ((CompactInode) core).mtime();
            nsec = (int) image.superBlock().fixedNsec();
        }
        if (layout == Erofs.LAYOUT_CHUNK_BASED && (type == FileType.REGULAR || type == FileType.DIRECTORY
                || type == FileType.SYMLINK)) {
            int fmt = (int) (core.u() & 0xFFFF);
            if ((fmt & ~io.github.erofs4j.core.format.ChunkIndex.FORMAT_ALL) != 0) {
                throw ErofsFormatException.unsupported(off + 16, what, "chunk format 0x" + Integer.toHexString(fmt), null);
            }
        }
        return new ErofsInode(image, nid, src, off, core, type, nlink, mtime, nsec);
    }

    /** The image this inode belongs to. */
    public ErofsImage image() {
        return image;
    }

    /** The nid: the inode's number, also used by the kernel as its inode number. */
    public long nid() {
        return nid;
    }

    /** The file type. */
    public FileType type() {
        return type;
    }

    /** The full {@code st_mode}: type and permission bits. */
    public int mode() {
        return core.mode();
    }

    /** The permission bits, {@code mode & 07777} (setuid, setgid and sticky included). */
    public int permissions() {
        return core.mode() & 07777;
    }

    /** The owner's user id. */
    public long uid() {
        return core.uid();
    }

    /** The owner's group id. */
    public long gid() {
        return core.gid();
    }

    /** The size in bytes as stored (for devices, fifos and sockets usually 0). */
    public long size() {
        return size;
    }

    /** The link count as stored (directories: the on-disk value, usually 2 + subdirectories). */
    public long nlink() {
        return nlink;
    }

    /**
     * Seconds of the modification time. For compact inodes this is the superblock epoch plus the inode's
     * relative mtime (zero in images from mkfs.erofs 1.8 and older, which gives the build time).
     */
    public long mtimeSeconds() {
        return mtimeSeconds;
    }

    /** Nanoseconds of the modification time (compact inodes: the superblock's {@code fixed_nsec}). */
    public int mtimeNanos() {
        return mtimeNanos;
    }

    /** The modification time. */
    public Instant mtime() {
        return Instant.ofEpochSecond(mtimeSeconds, Integer.toUnsignedLong(mtimeNanos));
    }

    /** The device major number; 0 unless this is a character or block device. */
    public int rdevMajor() {
        return isDevice() ? Erofs.rdevMajor(core.u()) : 0;
    }

    /** The device minor number; 0 unless this is a character or block device. */
    public int rdevMinor() {
        return isDevice() ? Erofs.rdevMinor(core.u()) : 0;
    }

    private boolean isDevice() {
        return type == FileType.CHAR_DEVICE || type == FileType.BLOCK_DEVICE;
    }

    /** The data layout, one of {@code Erofs.LAYOUT_*}. */
    public int dataLayout() {
        return core.dataLayout();
    }

    /** Whether the data is stored compressed. */
    public boolean compressed() {
        return hasData() && Erofs.isCompressedLayout(core.dataLayout());
    }

    /** Whether this inode has data (regular files, directories and symlinks). */
    boolean hasData() {
        return type == FileType.REGULAR || type == FileType.DIRECTORY || type == FileType.SYMLINK;
    }

    /** Whether the inode is stored in the 64-byte extended form. */
    public boolean extendedInode() {
        return core.extended();
    }

    /**
     * Byte offset of the inode core in the image; for an inode kept in the metabox ({@link #inMetabox()}), its
     * offset in the metabox's content.
     */
    public long inodeOffset() {
        return offset;
    }

    /** Whether the inode is kept in the image's metabox (bit 63 of its nid). */
    public boolean inMetabox() {
        return meta.metabox();
    }

    /** Where this inode's metadata (core, xattrs, inline data, chunk map, compressed indexes) lives. */
    MetaSpace meta() {
        return meta;
    }

    /** The raw inode core as decoded; erofs4j's own modules reach it through the internal records. */
    InodeCore core() {
        return core;
    }

    /** Size in bytes of the xattr body that follows the core (0 when none). */
    public int xattrBodySize() {
        return xattrBodySize;
    }

    /** Whether this directory omits its "." entry (the DOT_OMITTED bit). */
    public boolean dotOmitted() {
        return type == FileType.DIRECTORY && (core.format() & Erofs.I_DOT_OMITTED) != 0;
    }

    /** Byte offset just past the core and the xattr body: where inline data and index areas start. */
    long metaEnd() {
        return offset + core.coreSize() + xattrBodySize;
    }

    /**
     * The start block of flat data with the high bits the format allows, or -1 when it is the null address.
     */
    long flatStartBlock() {
        long lo = core.u() & 0xFFFFFFFFL;
        if (!image.has48Bit()) {
            return lo == Erofs.NULL_ADDR_32 ? -1 : lo;
        }
        boolean hi = core.extended() || ((core.format() & Erofs.I_NLINK_1) != 0 && type != FileType.DIRECTORY);
        long blk = hi ? lo | ((long) core.nb() << 32) : lo;
        if (blk == Erofs.NULL_ADDR_48 || (!hi && lo == Erofs.NULL_ADDR_32)) {
            return -1;
        }
        return blk;
    }

    /** All xattrs, shared ones first, then inline ones, in on-disk order, with full names. */
    public List<Xattr> xattrs() throws IOException {
        return XattrReader.read(this);
    }

    /** The value of one xattr by full name, if present. */
    public Optional<byte[]> xattr(String fullName) throws IOException {
        for (Xattr x : xattrs()) {
            if (x.name().equals(fullName)) {
                return Optional.of(x.value());
            }
        }
        return Optional.empty();
    }

    /**
     * Directory entries in on-disk order, including "." and ".." when they are stored.
     *
     * @throws java.nio.file.NotDirectoryException if this is not a directory
     */
    public List<DirEntry> entries() throws IOException {
        requireDirectory();
        return DirReader.entries(this);
    }

    /** Directory entries without "." and "..", in on-disk order. */
    public List<DirEntry> children() throws IOException {
        List<DirEntry> all = entries();
        List<DirEntry> out = new ArrayList<>(all.size());
        for (DirEntry e : all) {
            if (!e.isDotOrDotDot()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Looks up one name with the kernel's binary search over blocks and then over dirents. */
    public Optional<DirEntry> lookup(String name) throws IOException {
        return lookup(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Looks up one name (raw bytes) with the kernel's binary search. */
    public Optional<DirEntry> lookup(byte[] name) throws IOException {
        requireDirectory();
        if (name.length == 0 || name.length > Erofs.NAME_LEN_MAX) {
            return Optional.empty();
        }
        for (byte c : name) {
            if (c == 0 || c == '/') {
                return Optional.empty();
            }
        }
        return DirReader.lookup(this, name);
    }

    private void requireDirectory() throws IOException {
        if (type != FileType.DIRECTORY) {
            throw new java.nio.file.NotDirectoryException("nid " + nid);
        }
    }

    /** The target of a symlink, as bytes (up to the first NUL, as the kernel returns it). */
    public byte[] readSymlink() throws IOException {
        if (type != FileType.SYMLINK) {
            throw new IOException("nid " + nid + " is not a symlink");
        }
        if (size > MAX_SYMLINK) {
            throw ErofsFormatException.corrupt(offset + 8, "symlink nid " + nid,
                    "target of " + size + " bytes is longer than " + MAX_SYMLINK);
        }
        byte[] target = new byte[(int) size];
        readFully(0, target);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0) {
                return Arrays.copyOf(target, i);
            }
        }
        return target;
    }

    DataSource data() throws IOException {
        DataSource d = data;
        if (d == null) {
            if (!hasData()) {
                throw new IOException("nid " + nid + " (" + type + ") has no data");
            }
            d = DataSources.create(this);
            data = d;
        }
        return d;
    }

    /**
     * Reads up to {@code len} bytes at file position {@code pos} into {@code dst[off..]}. Holes read as zeros.
     * Reads as much as is available up to {@code len} (short only at end of file).
     *
     * @return the number of bytes read, or -1 if {@code pos} is at or past the end of the file
     */
    public int read(long pos, byte[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        return read(pos, ByteBuffer.wrap(dst, off, len));
    }

    /**
     * Reads bytes at file position {@code pos} into the remaining space of {@code dst}, filling it unless the
     * file ends first.
     *
     * @return the number of bytes read, or -1 if {@code pos} is at or past the end of the file
     */
    public int read(long pos, ByteBuffer dst) throws IOException {
        if (pos < 0) {
            throw new IllegalArgumentException("negative position " + pos);
        }
        if (pos >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        DataSource d = data();
        int total = 0;
        while (dst.hasRemaining() && pos + total < size) {
            int n = d.read(pos + total, dst);
            if (n <= 0) {
                throw ErofsFormatException.corrupt(offset, "inode nid " + nid,
                        "no data at file position " + (pos + total));
            }
            total += n;
        }
        return total;
    }

    private void readFully(long pos, byte[] dst) throws IOException {
        if (dst.length == 0) {
            return;
        }
        int n = read(pos, ByteBuffer.wrap(dst));
        if (n != dst.length) {
            throw ErofsFormatException.truncated(offset, "inode nid " + nid, dst.length, Math.max(n, 0));
        }
    }

    /**
     * Reads the whole content. Memory grows with the bytes actually read, never with an unchecked size field.
     *
     * @throws IOException if the file is larger than {@code Integer.MAX_VALUE - 8} bytes
     */
    public byte[] readAllBytes() throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("nid " + nid + ": file of " + size + " bytes is too large for one array");
        }
        int total = (int) size;
        byte[] buf = new byte[Math.min(total, 1 << 20)];
        int done = 0;
        while (done < total) {
            if (done == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, (long) buf.length * 2));
            }
            int n = read(done, buf, done, buf.length - done);
            if (n <= 0) {
                throw ErofsFormatException.truncated(offset, "inode nid " + nid, total, done);
            }
            done += n;
        }
        return buf;
    }

    /** A new input stream over the content, starting at position 0. Closing it releases nothing. */
    public InputStream newInputStream() {
        return new InputStream() {
            private long pos;
            private boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("stream closed");
                }
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                int n = ErofsInode.this.read(pos, b, off, len);
                if (n > 0) {
                    pos += n;
                }
                return n;
            }

            @Override
            public long skip(long n) {
                long k = Math.max(0, Math.min(n, size - pos));
                pos += k;
                return k;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, Math.max(0, size - pos));
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** A new read-only seekable channel over the content. Writing throws {@link NonWritableChannelException}. */
    public SeekableByteChannel newByteChannel() {
        return new ReadOnlySeekableChannel(size) {
            @Override
            protected int readAt(long position, ByteBuffer dst) throws IOException {
                return ErofsInode.this.read(position, dst);
            }
        };
    }

    /** The data extents in logical order, covering {@code [0, size)}; holes have physical offset -1. */
    public List<DataExtent> dataExtents() throws IOException {
        if (!hasData() || size == 0) {
            return List.of();
        }
        return data().extents();
    }

    @Override
    public String toString() {
        return "ErofsInode[nid=" + nid + ", " + type + ", mode 0" + Integer.toOctalString(mode()) + ", size " + size
                + ", " + Erofs.layoutName(dataLayout()) + "]";
    }
}
