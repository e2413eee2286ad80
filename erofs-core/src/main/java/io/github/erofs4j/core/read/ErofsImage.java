package io.github.erofs4j.core.read;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.format.DeviceSlot;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An open EROFS image: its superblock, its inodes and their data.
 *
 * <p>An image is read from a file ({@link #open(Path, ReadOptions)}), an open channel, or any positional
 * {@link ByteSource} (for example bytes in memory), and so are the extra devices of a multi-device image.
 * Images with the metabox feature (metadata kept in the content of a special inode, plain or compressed) are
 * read like any other.
 *
 * <p>Thread-safe: any number of threads may read at once; all reads are positional. Closing the image closes
 * what it opened itself (the primary image when opened from a {@link Path}, and every extra device named by a
 * path in the options); a channel or byte source passed in stays open and belongs to the caller. Objects
 * obtained from an image opened from a path fail with {@link java.nio.channels.ClosedChannelException} when they
 * read after the image is closed; with a channel or source passed in, they read as long as it does.
 */
public final class ErofsImage implements Closeable {
    /** Largest number of long xattr prefixes the format allows. */
    private static final int MAX_LONG_PREFIXES = 128;
    /** Where the metabox nid sits in the superblock, from the superblock's start. */
    private static final int METABOX_NID_OFFSET = 128;
    /** Bit 63 of a nid: the inode lies in the metabox. */
    private static final long NID_METABOX_BIT = Long.MIN_VALUE;

    static {
        // The on-disk records stay out of the public API; erofs4j's own modules (dump) reach them this way.
        io.github.erofs4j.core.internal.Records.register(new io.github.erofs4j.core.internal.Records.Reader() {
            @Override
            public SuperBlock superBlock(ErofsImage image) {
                return image.sb;
            }

            @Override
            public List<DeviceSlot> deviceSlots(ErofsImage image) {
                return image.devices;
            }

            @Override
            public io.github.erofs4j.core.format.InodeCore core(ErofsInode inode) {
                return inode.core();
            }
        });
    }


    /**
     * Symbolic links followed at most while resolving one path by default, as Linux's limit (see
     * {@link ReadOptions#maxSymlinks()}).
     */
    public static final int MAX_SYMLINKS = ReadOptions.DEFAULT_MAX_SYMLINKS;

    private final Path path;
    private final ReadOptions options;
    private final ImageSource source;
    private final SuperBlock sb;
    private final int blkBits;
    private final List<DeviceSlot> devices;
    private final long deviceIdMask;
    private final boolean flatDev;
    private final long rootNid;
    private final Object prefixLock = new Object();
    private volatile List<byte[]> longPrefixes;
    private volatile ZImageContext compression;
    private final MetaSpace primaryMeta;
    private volatile MetaSpace.Metabox metabox;

    private ErofsImage(Path path, ReadOptions options, ImageSource source) throws IOException {
        this.path = path;
        this.options = options;
        this.source = source;
        this.sb = readSuperBlock();
        this.blkBits = sb.blkszbits();
        source.configure(blkBits, options.cacheBytes());
        this.primaryMeta = MetaSpace.primary(source);
        this.devices = readDeviceTable();
        int extra = devices.size();
        long pow2 = Long.highestOneBit(extra + 1L);
        if (pow2 < extra + 1L) {
            pow2 <<= 1;
        }
        this.deviceIdMask = pow2 - 1;
        int given = source.deviceCount() - 1;
        if (given != 0 && given != extra) {
            throw new IOException(name() + ": the image has " + extra + " extra device(s) but "
                    + given + " were given");
        }
        this.flatDev = given == 0;
        this.rootNid = sb.rootNid();
        ErofsInode root = inode(rootNid);
        if (root.type() != FileType.DIRECTORY) {
            throw ErofsFormatException.corrupt(root.inodeOffset(), "root inode nid " + rootNid,
                    "is not a directory (mode 0" + Integer.toOctalString(root.mode()) + ")");
        }
    }

    /** Opens an image file with the default options. */
    public static ErofsImage open(Path image) throws IOException {
        return open(image, ReadOptions.defaults());
    }

    /** Opens an image file. The image closes the file (and the extra devices) when it is closed. */
    public static ErofsImage open(Path image, ReadOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        FileChannel primary = FileChannel.open(image, StandardOpenOption.READ);
        return open(ByteSource.of(primary, true), true, null, image, options);
    }

    /**
     * Opens an image from an open channel, which the caller keeps and closes (after closing the image). Extra
     * devices named in the options are opened, and closed by {@link #close()}.
     */
    public static ErofsImage open(FileChannel primary, ReadOptions options) throws IOException {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(options, "options");
        return open(ByteSource.of(primary, false), false, null, null, options);
    }

    /**
     * Opens an image from a byte source, which the caller keeps and closes (after closing the image). Extra
     * devices named in the options are opened as files, and closed by {@link #close()}.
     */
    public static ErofsImage open(ByteSource primary, ReadOptions options) throws IOException {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(options, "options");
        return open(primary, false, null, null, options);
    }

    /**
     * Opens a multi-device image whose primary device and extra devices (in device-table order) are all byte
     * sources. The caller keeps and closes every source. The options must name no extra device files.
     *
     * @throws IllegalArgumentException if the options also name extra device files
     * @throws IOException if the number of extra devices differs from the image's device table, or on a read
     *     error or a malformed image
     */
    public static ErofsImage open(ByteSource primary, List<ByteSource> extraDevices, ReadOptions options)
            throws IOException {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(options, "options");
        List<ByteSource> extra = List.copyOf(extraDevices);
        if (!extra.isEmpty() && !options.extraDevices().isEmpty()) {
            throw new IllegalArgumentException("extra devices given both as byte sources and as paths in the options");
        }
        return open(primary, false, extra.isEmpty() ? null : extra, null, options);
    }

    private static ErofsImage open(ByteSource primary, boolean ownPrimary, List<ByteSource> extraSources, Path path,
            ReadOptions options) throws IOException {
        List<Path> extraPaths = extraSources == null ? options.extraDevices() : List.of();
        int extra = extraSources == null ? extraPaths.size() : extraSources.size();
        ByteSource[] sources = new ByteSource[1 + extra];
        boolean[] owned = new boolean[sources.length];
        sources[0] = primary;
        owned[0] = ownPrimary;
        try {
            for (int i = 0; i < extra; i++) {
                if (extraSources != null) {
                    sources[i + 1] = Objects.requireNonNull(extraSources.get(i), "extra device");
                } else {
                    sources[i + 1] = ByteSource.of(FileChannel.open(extraPaths.get(i), StandardOpenOption.READ), true);
                    owned[i + 1] = true;
                }
            }
            return new ErofsImage(path, options, new ImageSource(sources, owned));
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < sources.length; i++) {
                if (sources[i] != null && owned[i]) {
                    try {
                        sources[i].close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
    }

    private String name() {
        return path == null ? "image" : path.toString();
    }

    private SuperBlock readSuperBlock() throws IOException {
        long size = source.size(0);
        int sbOff = Erofs.SUPERBLOCK_OFFSET;
        if (size < sbOff + SuperBlock.BASE_SIZE) {
            throw ErofsFormatException.truncated(sbOff, "superblock", SuperBlock.BASE_SIZE, size - sbOff);
        }
        int avail = (int) Math.min(SuperBlock.SIZE, size - sbOff);
        ByteBuffer raw = source.meta(sbOff, avail, "superblock");
        ByteBuffer padded = ByteBuffer.allocate(SuperBlock.SIZE);
        padded.put(raw);
        SuperBlock s = SuperBlock.decode(padded, 0);
        if ((int) s.magic() != Erofs.MAGIC) {
            throw ErofsFormatException.corrupt(sbOff, "superblock",
                    "bad magic 0x" + Long.toHexString(s.magic()) + " (not an EROFS image)");
        }
        if (s.blkszbits() < Erofs.MIN_BLKSZBITS || s.blkszbits() > Erofs.MAX_BLKSZBITS) {
            throw ErofsFormatException.unsupported(sbOff + 12, "superblock",
                    "block size 2^" + s.blkszbits(), "only 512 to 65536 bytes");
        }
        int blksz = 1 << s.blkszbits();
        if (s.hasCompat(Feature.COMPAT_SB_CHKSUM) && options.verifyChecksum()) {
            int len = SuperBlock.checksumLength(blksz);
            source.check(0, sbOff, len, "superblock checksum range");
            byte[] block0 = new byte[sbOff + len];
            source.readFully(0, sbOff, ByteBuffer.wrap(block0, sbOff, len), "superblock checksum range");
            long crc = SuperBlock.checksum(block0, len);
            if (crc != s.checksum()) {
                throw ErofsFormatException.corrupt(sbOff + SuperBlock.CHECKSUM_OFFSET, "superblock",
                        "checksum mismatch: stored 0x" + Long.toHexString(s.checksum()) + ", computed 0x"
                                + Long.toHexString(crc));
            }
        }
        long unknown = s.featureIncompat() & ~(long) Feature.INCOMPAT_ALL;
        if (unknown != 0) {
            long bit = Long.lowestOneBit(unknown);
            throw ErofsFormatException.unsupported(sbOff + 80, "superblock",
                    "incompat feature 0x" + Long.toHexString(bit), "unknown incompat bit");
        }
        if (s.hasIncompat(Feature.INCOMPAT_METABOX)) {
            if (s.declaredSize() < METABOX_NID_OFFSET + 8) {
                throw ErofsFormatException.corrupt(sbOff + 13, "superblock", "a superblock of "
                        + s.declaredSize() + " bytes has no room for the metabox nid");
            }
            if (s.metaboxNid() < 0) {
                // The metabox inode itself must lie outside the metabox.
                throw ErofsFormatException.corrupt(sbOff + METABOX_NID_OFFSET, "superblock",
                        "metabox nid has bit 63 set");
            }
        }
        if (s.packedNid() < 0) {
            throw ErofsFormatException.corrupt(sbOff + 96, "superblock", "packed nid has bit 63 set");
        }
        if (s.dirblkbits() != 0) {
            throw ErofsFormatException.unsupported(sbOff + 90, "superblock",
                    "directory block bits " + s.dirblkbits(), "must be 0");
        }
        if (s.declaredSize() > 4096 - sbOff) {
            throw ErofsFormatException.corrupt(sbOff + 13, "superblock",
                    "sb_extslots " + s.sbExtslots() + " gives a superblock larger than 3072 bytes");
        }
        if (s.hasIncompat(Feature.INCOMPAT_48BIT) && s.rootNid8b() < 0
                && !s.hasIncompat(Feature.INCOMPAT_METABOX)) {
            throw ErofsFormatException.corrupt(sbOff + 112, "superblock",
                    "root nid has bit 63 set (the metabox) in an image without a metabox");
        }
        return s;
    }

    private List<DeviceSlot> readDeviceTable() throws IOException {
        if (!sb.hasIncompat(Feature.INCOMPAT_DEVICE_TABLE) || sb.extraDevices() == 0) {
            return List.of();
        }
        int n = sb.extraDevices();
        long start = (long) sb.devtSlotoff() * DeviceSlot.SIZE;
        source.check(0, start, (long) n * DeviceSlot.SIZE, "device table");
        List<DeviceSlot> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long off = start + (long) i * DeviceSlot.SIZE;
            out.add(DeviceSlot.decode(source.meta(off, DeviceSlot.SIZE, "device slot " + (i + 1)), 0));
        }
        return List.copyOf(out);
    }

    /** The superblock as decoded (after validation); erofs4j's own modules reach it through the internal records. */
    SuperBlock superBlock() {
        return sb;
    }

    /** The block size in bytes. */
    public int blockSize() {
        return 1 << blkBits;
    }

    /** The image file, or null when the image was opened from a channel or a byte source. */
    public Path path() {
        return path;
    }

    /** The options the image was opened with. */
    public ReadOptions options() {
        return options;
    }

    /** The volume label (up to 15 bytes of UTF-8), empty when none. */
    public String volumeLabel() {
        return sb.volumeLabel();
    }

    /** The volume UUID; the nil UUID when the image has none. */
    public java.util.UUID uuid() {
        ByteBuffer b = ByteBuffer.wrap(sb.uuid());
        return new java.util.UUID(b.getLong(0), b.getLong(8));
    }

    /**
     * When the image was built: the superblock epoch plus {@code build_time} (which mkfs.erofs leaves 0 unless
     * 48-bit addressing moved the epoch), with the nanoseconds of compact inodes.
     */
    public java.time.Instant buildTime() {
        return java.time.Instant.ofEpochSecond(sb.epoch() + sb.buildTime(), sb.fixedNsec());
    }

    /** The extra-device slots of the device table (device 1 first); empty for single-device images. */
    List<DeviceSlot> deviceSlots() {
        return devices;
    }

    /** The size in bytes of the primary image file. */
    public long imageSize() {
        return source.size(0);
    }

    /** The nid of the root directory. */
    public long rootNid() {
        return rootNid;
    }

    /** The root directory. */
    public ErofsInode root() throws IOException {
        return inode(rootNid);
    }

    /**
     * The inode with a given nid.
     *
     * @throws ErofsFormatException if the nid lies outside the image or the inode is malformed
     */
    public ErofsInode inode(long nid) throws IOException {
        if ((nid & NID_METABOX_BIT) != 0) {
            if (!sb.hasIncompat(Feature.INCOMPAT_METABOX)) {
                throw ErofsFormatException.corrupt(-1, "inode nid " + Long.toUnsignedString(nid),
                        "nid in the metabox (bit 63) in an image without a metabox");
            }
            return ErofsInode.load(this, nid, metabox(), nid & ~NID_METABOX_BIT);
        }
        return ErofsInode.load(this, nid, primaryMeta, nid);
    }

    /**
     * The packed inode (fragments, and long xattr prefixes without a metabox), which must be a regular file: a
     * damaged packed nid may name any inode.
     */
    ErofsInode packedInode() throws IOException {
        ErofsInode p = inode(sb.packedNid());
        if (p.type() != FileType.REGULAR) {
            throw ErofsFormatException.corrupt(p.inodeOffset(), "packed inode nid " + p.nid(),
                    "is a " + p.type() + ", not a regular file");
        }
        return p;
    }

    /** Whether the image keeps metadata in a metabox inode (the metabox feature). */
    public boolean hasMetabox() {
        return sb.hasIncompat(Feature.INCOMPAT_METABOX);
    }

    /** The primary device as a metadata space. */
    MetaSpace primaryMeta() {
        return primaryMeta;
    }

    /** The content of the metabox inode as a metadata space; loaded on first use. */
    MetaSpace.Metabox metabox() throws IOException {
        MetaSpace.Metabox m = metabox;
        if (m == null) {
            synchronized (prefixLock) {
                m = metabox;
                if (m == null) {
                    if (!hasMetabox()) {
                        throw new IllegalStateException("the image has no metabox");
                    }
                    long nid = sb.metaboxNid();
                    ErofsInode box = ErofsInode.load(this, nid, primaryMeta, nid);
                    if (box.type() != FileType.REGULAR) {
                        throw ErofsFormatException.corrupt(box.inodeOffset(), "metabox inode nid " + nid,
                                "is a " + box.type() + ", not a regular file");
                    }
                    m = new MetaSpace.Metabox(box, blkBits, options.cacheBytes());
                    metabox = m;
                }
            }
        }
        return m;
    }

    /** Where the shared xattrs live: the metabox when the image says so, else the primary device. */
    MetaSpace sharedXattrSpace() throws IOException {
        return sb.hasCompat(Feature.COMPAT_SHARED_EA_IN_METABOX) && hasMetabox() ? metabox() : primaryMeta;
    }

    /**
     * The inode at a path inside the image ({@code "/a/b"}, {@code "a/b"}; {@code ""} or {@code "/"} is the
     * root). Symlinks are not followed; {@code "."} components are skipped and {@code ".."} is looked up as
     * stored.
     *
     * @throws NoSuchFileException if a component does not exist
     * @throws NotDirectoryException if an intermediate component is not a directory
     */
    public ErofsInode resolve(String path) throws IOException {
        ErofsInode cur = root();
        String[] parts = path.split("/");
        StringBuilder walked = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (cur.type() != FileType.DIRECTORY) {
                throw new NotDirectoryException(walked.length() == 0 ? "/" : walked.toString());
            }
            walked.append('/').append(part);
            Optional<DirEntry> e = cur.lookup(part);
            if (e.isEmpty()) {
                throw new NoSuchFileException(walked.toString());
            }
            cur = inode(e.get().nid());
        }
        return cur;
    }

    /**
     * The inode at a path inside the image, resolved as the kernel does: symbolic links in every component but
     * the last are followed (relative targets from their directory, absolute ones from the image root), and the
     * last one too when {@code followLinks} is true; {@code "."} is skipped and {@code ".."} goes back to the
     * directory a component was reached from (it stays at the root). {@code ""} and {@code "/"} are the root.
     *
     * @param path the path as text; {@code \xNN} stands for a byte that is not UTF-8 (see {@link PathNames})
     * @throws NoSuchFileException if a component does not exist
     * @throws NotDirectoryException if a component that must be a directory is not one
     * @throws SymlinkLoopException if more than {@link ReadOptions#maxSymlinks()} links are met
     * @throws ErofsFormatException of kind {@code LIMIT} if the path goes deeper than
     *     {@link ReadOptions#maxPathDepth()}
     */
    public ErofsInode resolve(String path, boolean followLinks) throws IOException {
        return resolve(PathNames.fromText(path), followLinks);
    }

    /** {@link #resolve(String, boolean)} of a path given as bytes. */
    public ErofsInode resolve(byte[] path, boolean followLinks) throws IOException {
        return walk(path, followLinks, null);
    }

    /**
     * The canonical absolute path, as bytes, of what {@link #resolve(byte[], boolean)} finds: no symbolic link
     * (but the last when {@code followLinks} is false), no {@code "."} or {@code ".."}, no repeated slash.
     */
    public byte[] realPath(byte[] path, boolean followLinks) throws IOException {
        java.util.ArrayDeque<byte[]> names = new java.util.ArrayDeque<>();
        walk(path, followLinks, names);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] n : names) {
            out.write('/');
            out.writeBytes(n);
        }
        return names.isEmpty() ? new byte[] {'/'} : out.toByteArray();
    }

    /** The one resolution of paths with symbolic links; fills {@code walked} with the real names when given. */
    private ErofsInode walk(byte[] path, boolean followLast, java.util.Deque<byte[]> walked) throws IOException {
        java.util.ArrayDeque<byte[]> todo = new java.util.ArrayDeque<>(split(path));
        java.util.ArrayDeque<ErofsInode> parents = new java.util.ArrayDeque<>();
        java.util.Deque<byte[]> names = walked != null ? walked : new java.util.ArrayDeque<>();
        ErofsInode cur = root();
        int links = 0;
        while (!todo.isEmpty()) {
            byte[] name = todo.pollFirst();
            if (name.length == 1 && name[0] == '.') {
                continue;
            }
            if (cur.type() != FileType.DIRECTORY) {
                throw new NotDirectoryException(PathNames.toText(path));
            }
            if (name.length == 2 && name[0] == '.' && name[1] == '.') {
                if (!parents.isEmpty()) {
                    cur = parents.pop();
                    names.pollLast();
                }
                continue;
            }
            Optional<DirEntry> e = name.length > Erofs.NAME_LEN_MAX ? Optional.empty() : cur.lookup(name);
            if (e.isEmpty()) {
                throw new NoSuchFileException(PathNames.toText(path));
            }
            ErofsInode next = inode(e.get().nid());
            if (next.type() == FileType.SYMLINK && (followLast || !todo.isEmpty())) {
                if (++links > options.maxSymlinks()) {
                    throw new SymlinkLoopException(PathNames.toText(path));
                }
                byte[] target = next.readSymlink();
                List<byte[]> tn = split(target);
                for (int i = tn.size() - 1; i >= 0; i--) {
                    todo.addFirst(tn.get(i));
                }
                if (target.length > 0 && target[0] == '/') {
                    cur = root();
                    parents.clear();
                    names.clear();
                }
                continue;
            }
            if (parents.size() >= options.maxPathDepth()) {
                throw ErofsFormatException.limit(-1, "path " + PathNames.toText(path), "maxPathDepth",
                        options.maxPathDepth(), parents.size() + 1L);
            }
            parents.push(cur);
            names.addLast(name);
            cur = next;
        }
        return cur;
    }

    /** The non-empty components of a '/'-separated path. */
    private static List<byte[]> split(byte[] path) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > start) {
                    out.add(java.util.Arrays.copyOfRange(path, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    ImageSource source() {
        return source;
    }

    /** State shared by the compressed inodes of this image (settings, decompressors, pcluster cache). */
    ZImageContext compression() {
        ZImageContext z = compression;
        if (z == null) {
            synchronized (prefixLock) {
                z = compression;
                if (z == null) {
                    z = CompressedDataSource.newContext(this);
                    compression = z;
                }
            }
        }
        return z;
    }

    int blockBits() {
        return blkBits;
    }

    /** Byte offset of a block on a device, failing on values that cannot be a position. */
    long blockOffset(long block, String structure, long fieldOffset) throws ErofsFormatException {
        if (block < 0 || block > (Long.MAX_VALUE >> blkBits)) {
            throw ErofsFormatException.corrupt(fieldOffset, structure, "block address " + block + " out of range");
        }
        return block << blkBits;
    }

    /** Whether the image uses 48-bit block addresses. */
    boolean has48Bit() {
        return sb.hasIncompat(Feature.INCOMPAT_48BIT);
    }

    /**
     * Applies the multi-device rules to a block address of a chunk: returns {device, byte offset on it}.
     *
     * @param deviceId the device id as stored (unmasked)
     */
    long[] mapDevice(int deviceId, long byteOffset, String structure, long fieldOffset) throws IOException {
        long id = deviceId & deviceIdMask;
        if (id == 0) {
            if (!flatDev) {
                for (int i = 0; i < devices.size(); i++) {
                    DeviceSlot d = devices.get(i);
                    long uni = uniaddr(d);
                    if (uni == 0) {
                        continue;
                    }
                    long start = blockOffset(uni, "device slot " + (i + 1), -1);
                    long blocks = has48Bit() ? d.blocksLo() | ((long) d.blocksHi() << 32) : d.blocksLo();
                    long len = blocks << blkBits;
                    if (byteOffset >= start && byteOffset - start < len) {
                        return new long[] {i + 1, byteOffset - start};
                    }
                }
            }
            return new long[] {0, byteOffset};
        }
        if (id > devices.size()) {
            throw ErofsFormatException.corrupt(fieldOffset, structure, "device id " + deviceId + " but the image has "
                    + devices.size() + " extra device(s)");
        }
        if (flatDev) {
            long base = blockOffset(uniaddr(devices.get((int) id - 1)), "device slot " + id, -1);
            if (byteOffset > Long.MAX_VALUE - base) {
                throw ErofsFormatException.corrupt(fieldOffset, structure, "unified address out of range");
            }
            return new long[] {0, base + byteOffset};
        }
        return new long[] {id, byteOffset};
    }

    private long uniaddr(DeviceSlot d) {
        return has48Bit() ? d.uniaddrLo() | ((long) d.uniaddrHi() << 32) : d.uniaddrLo();
    }

    /**
     * The full name prefix (for example {@code "trusted.overlay."}) of long xattr prefix {@code index}, or null
     * when its base index names no namespace the kernel shows.
     */
    byte[] longPrefix(int index, long entryOffset, String structure) throws IOException {
        List<byte[]> table = longPrefixes;
        if (table == null) {
            synchronized (prefixLock) {
                table = longPrefixes;
                if (table == null) {
                    table = loadLongPrefixes();
                    longPrefixes = table;
                }
            }
        }
        // The kernel silently skips entries naming a prefix beyond the table; so do we.
        return index < table.size() ? table.get(index) : null;
    }

    private List<byte[]> loadLongPrefixes() throws IOException {
        if (!sb.hasIncompat(Feature.INCOMPAT_XATTR_PREFIXES) || sb.xattrPrefixCount() == 0) {
            return List.of();
        }
        int count = sb.xattrPrefixCount();
        if (count > MAX_LONG_PREFIXES) {
            throw ErofsFormatException.corrupt(Erofs.SUPERBLOCK_OFFSET + 91, "superblock",
                    "xattr_prefix_count " + count + " exceeds " + MAX_LONG_PREFIXES);
        }
        long start = sb.xattrPrefixStart() * 4;
        boolean plain = sb.hasCompat(Feature.COMPAT_PLAIN_XATTR_PFX);
        ErofsInode packed = null;
        if (!plain && hasMetabox()) {
            // Long prefixes are kept in the metabox when there is one, else in the packed inode.
            packed = metabox().inode();
        } else if (!plain && sb.hasIncompat(Feature.INCOMPAT_FRAGMENTS) && sb.packedNid() != 0) {
            packed = packedInode();
        }
        List<byte[]> out = new ArrayList<>(count);
        long off = start;
        for (int i = 0; i < count; i++) {
            String what = "long xattr prefix " + i;
            byte[] lenBytes = readMetaRecord(packed, off, 2, what);
            int len = (lenBytes[0] & 0xFF) | ((lenBytes[1] & 0xFF) << 8);
            if (len == 0) {
                len = 65536;
            }
            byte[] payload = readMetaRecord(packed, off + 2, len, what);
            int base = payload[0] & 0xFF;
            String basePrefix = base == Erofs.XATTR_INDEX_POSIX_ACL_ACCESS || base == Erofs.XATTR_INDEX_POSIX_ACL_DEFAULT
                    ? null : Erofs.xattrPrefix(base);
            if (basePrefix == null || base == Erofs.XATTR_INDEX_LUSTRE) {
                out.add(null);
            } else {
                byte[] bp = basePrefix.getBytes(StandardCharsets.US_ASCII);
                byte[] full = new byte[bp.length + len - 1];
                System.arraycopy(bp, 0, full, 0, bp.length);
                System.arraycopy(payload, 1, full, bp.length, len - 1);
                out.add(full);
            }
            off = (off + 2 + len + 3) & ~3L;
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private byte[] readMetaRecord(ErofsInode packed, long off, int len, String what) throws IOException {
        if (packed == null) {
            byte[] b = new byte[len];
            source.check(0, off, len, what);
            source.readFully(0, off, ByteBuffer.wrap(b), what);
            return b;
        }
        if (off < 0 || off > packed.size() || len > packed.size() - off) {
            throw ErofsFormatException.truncated(off, what + " in packed inode nid " + packed.nid(), len,
                    packed.size() - off);
        }
        byte[] b = new byte[len];
        int done = 0;
        while (done < len) {
            int n = packed.read(off + done, b, done, len - done);
            if (n < 0) {
                throw ErofsFormatException.truncated(off, what + " in packed inode nid " + packed.nid(), len, done);
            }
            done += n;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    @Override
    public String toString() {
        return "ErofsImage[" + name() + ", block size " + blockSize() + "]";
    }
}
