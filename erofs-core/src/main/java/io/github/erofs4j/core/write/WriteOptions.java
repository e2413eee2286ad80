package io.github.erofs4j.core.write;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Options of {@link ErofsWriter}: an immutable value, made by {@link #builder()} (or {@link #toBuilder()} of
 * existing options); {@link #defaults()} are the builder's defaults. Thread-safe (the listener and observer it
 * holds are called only from the writing thread).
 *
 * <p>Every option that could make two builds differ (build time, UUID) is explicit, and the defaults are fixed
 * values (time 0, the nil UUID), so the same tree and options always give the same bytes. The builder checks
 * every value when {@link Builder#build()} is called.
 */
public final class WriteOptions {

    /** How inode mtimes are derived. */
    public enum TimestampPolicy {
        /** Keep every node's mtime. */
        PRESERVE,
        /** Give every inode the build time ({@code -T} without {@code --mkfs-time}). */
        BUILD_TIME,
        /** Keep mtimes up to the build time, lower later ones to it ({@code SOURCE_DATE_EPOCH}). */
        CLAMP
    }

    /** Which inode format to use. */
    public enum InodeFormat {
        /** Compact (32 bytes) when the inode fits: ids and nlink up to 65535, size under 4 GiB, mtime equal to
         *  the build time; extended (64 bytes) otherwise. */
        AUTO,
        /** Compact for every inode; mtimes become the build time; fails for an inode that cannot be compact. */
        COMPACT,
        /** Extended for every inode. */
        EXTENDED
    }

    /** The entries that map the chunks of a chunk-based file to blocks. */
    public enum ChunkFormat {
        /** 4-byte start blocks on the primary device (mkfs.erofs's default, {@code -E force-inode-blockmap}). */
        BLOCK_MAP,
        /** 8-byte chunk indexes with a device id ({@code -E force-chunk-indexes}); the array is 8-byte aligned. */
        INDEXES
    }

    /** Largest {@code rootXattrSize}: mkfs.erofs's limit, 65535 - 4 rounded up to a multiple of 4. */
    public static final int MAX_ROOT_XATTR_SIZE = 65532;

    /**
     * Ownership rewriting, in mkfs.erofs's order: a forced id replaces the node's id, then the offset is added.
     * Immutable; start from {@link #KEEP} and derive with the {@code with...} methods.
     */
    public static final class OwnerPolicy {
        /** Keep owners unchanged. */
        public static final OwnerPolicy KEEP = new OwnerPolicy(null, null, 0, 0);

        private final Long forceUid;
        private final Long forceGid;
        private final long uidOffset;
        private final long gidOffset;

        private OwnerPolicy(Long forceUid, Long forceGid, long uidOffset, long gidOffset) {
            this.forceUid = forceUid;
            this.forceGid = forceGid;
            this.uidOffset = uidOffset;
            this.gidOffset = gidOffset;
        }

        /** The same policy with every uid replaced by {@code uid} (before the offset is added). */
        public OwnerPolicy withForcedUid(long uid) {
            return new OwnerPolicy(requireId(uid, "uid"), forceGid, uidOffset, gidOffset);
        }

        /** The same policy with every gid replaced by {@code gid} (before the offset is added). */
        public OwnerPolicy withForcedGid(long gid) {
            return new OwnerPolicy(forceUid, requireId(gid, "gid"), uidOffset, gidOffset);
        }

        /** The same policy with {@code offset} added to every uid. */
        public OwnerPolicy withUidOffset(long offset) {
            return new OwnerPolicy(forceUid, forceGid, offset, gidOffset);
        }

        /** The same policy with {@code offset} added to every gid. */
        public OwnerPolicy withGidOffset(long offset) {
            return new OwnerPolicy(forceUid, forceGid, uidOffset, offset);
        }

        /** The uid every inode gets before the offset, if forced. */
        public OptionalLong forcedUid() {
            return forceUid == null ? OptionalLong.empty() : OptionalLong.of(forceUid);
        }

        /** The gid every inode gets before the offset, if forced. */
        public OptionalLong forcedGid() {
            return forceGid == null ? OptionalLong.empty() : OptionalLong.of(forceGid);
        }

        /** Added to every uid. */
        public long uidOffset() {
            return uidOffset;
        }

        /** Added to every gid. */
        public long gidOffset() {
            return gidOffset;
        }

        long uid(long uid) {
            return (forceUid != null ? forceUid : uid) + uidOffset;
        }

        long gid(long gid) {
            return (forceGid != null ? forceGid : gid) + gidOffset;
        }

        private static long requireId(long id, String what) {
            if (id < 0 || id > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(what + " out of range: " + id);
            }
            return id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OwnerPolicy p && Objects.equals(forceUid, p.forceUid)
                    && Objects.equals(forceGid, p.forceGid) && uidOffset == p.uidOffset && gidOffset == p.gidOffset;
        }

        @Override
        public int hashCode() {
            return Objects.hash(forceUid, forceGid, uidOffset, gidOffset);
        }

        @Override
        public String toString() {
            return "OwnerPolicy[forceUid=" + forcedUid() + ", forceGid=" + forcedGid() + ", uidOffset=" + uidOffset
                    + ", gidOffset=" + gidOffset + "]";
        }
    }

    private static final WriteOptions DEFAULTS = new Builder().build();

    private final int blockSize;
    private final long buildTime;
    private final TimestampPolicy timestamps;
    private final UUID uuid;
    private final String volumeLabel;
    private final InodeFormat inodeFormat;
    private final boolean inlineData;
    private final boolean superblockChecksum;
    private final boolean xattrNameFilter;
    private final int xattrShareThreshold;
    private final boolean dropXattrs;
    private final List<String> xattrPrefixes;
    private final long chunkSize;
    private final ChunkFormat chunkFormat;
    private final int rootXattrSize;
    private final OwnerPolicy owners;
    private final int workers;
    private final WriteListener listener;
    private final ImageObserver observer;
    private final Compression compression;
    private final Metabox metabox;

    private WriteOptions(Builder b) {
        if (b.blockSize < 512 || b.blockSize > 65536 || Integer.bitCount(b.blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two from 512 to 65536: "
                    + b.blockSize);
        }
        Objects.requireNonNull(b.timestamps, "timestamps");
        Objects.requireNonNull(b.uuid, "uuid");
        Objects.requireNonNull(b.volumeLabel, "volumeLabel");
        if (b.volumeLabel.getBytes(StandardCharsets.UTF_8).length > 15) {
            throw new IllegalArgumentException("volume label over 15 bytes: " + b.volumeLabel);
        }
        Objects.requireNonNull(b.inodeFormat, "inodeFormat");
        if (b.xattrShareThreshold < 0) {
            throw new IllegalArgumentException("xattr sharing threshold must not be negative (dropping xattrs is "
                    + "dropXattrs): " + b.xattrShareThreshold);
        }
        List<String> prefixes = List.copyOf(b.xattrPrefixes);
        if (prefixes.size() > 128) {
            throw new IllegalArgumentException("at most 128 long xattr prefixes");
        }
        if (b.chunkSize != 0 && (b.chunkSize < b.blockSize || Long.bitCount(b.chunkSize) != 1
                || b.chunkSize > (1L << 40))) {
            throw new IllegalArgumentException("chunk size must be a power of two, at least the block size: "
                    + b.chunkSize);
        }
        Objects.requireNonNull(b.chunkFormat, "chunkFormat");
        if (b.rootXattrSize != 0 && (b.rootXattrSize < 13 || b.rootXattrSize > MAX_ROOT_XATTR_SIZE)) {
            throw new IllegalArgumentException("root xattr size must be 0 or from 13 to " + MAX_ROOT_XATTR_SIZE
                    + " (12 bytes would be a bare xattr header, which the kernel rejects): " + b.rootXattrSize);
        }
        Objects.requireNonNull(b.owners, "owners");
        if (b.workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        Objects.requireNonNull(b.listener, "listener");
        Objects.requireNonNull(b.compression, "compression");
        int pcluster = b.compression.pclusterSize();
        if (pcluster != 0 && (pcluster < b.blockSize || pcluster % b.blockSize != 0)) {
            throw new IllegalArgumentException("pcluster size must be a multiple of the block size: " + pcluster);
        }
        int packed = b.compression.fragmentPclusterSize();
        if (packed != 0 && (packed < b.blockSize || packed % b.blockSize != 0
                || packed > Math.max(pcluster, b.blockSize))) {
            throw new IllegalArgumentException("packed inode pcluster size must be a multiple of the block size and at"
                    + " most the largest pcluster: " + packed);
        }
        blockSize = b.blockSize;
        buildTime = b.buildTime;
        timestamps = b.timestamps;
        uuid = b.uuid;
        volumeLabel = b.volumeLabel;
        inodeFormat = b.inodeFormat;
        inlineData = b.inlineData;
        superblockChecksum = b.superblockChecksum;
        xattrNameFilter = b.xattrNameFilter;
        xattrShareThreshold = b.xattrShareThreshold;
        dropXattrs = b.dropXattrs;
        xattrPrefixes = prefixes;
        chunkSize = b.chunkSize;
        chunkFormat = b.chunkFormat;
        rootXattrSize = b.rootXattrSize;
        owners = b.owners;
        workers = b.workers;
        listener = b.listener;
        observer = b.observer;
        compression = b.compression;
        if (b.metabox != null && b.metabox.pclusterSize() % b.blockSize != 0) {
            throw new IllegalArgumentException("metabox pcluster size must be a multiple of the block size: "
                    + b.metabox.pclusterSize());
        }
        metabox = b.metabox;
    }

    /**
     * The defaults: 4 KiB blocks, time 0 with mtimes kept, nil UUID, no label, compact inodes where possible,
     * inline tails, superblock checksum, xattr name filter, xattrs kept and shared when used more than twice, no
     * long prefixes, flat files (block maps when chunks are asked for), no reserved root xattr space, owners
     * kept, one worker per processor, no listener, no observer.
     */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Block size in bytes, a power of two from 512 to 65536 (the kernel also needs it to be at most its page
     *  size). */
    public int blockSize() {
        return blockSize;
    }

    int blockBits() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    /** Build time in seconds since the Unix epoch: stored as the superblock epoch, the base of compact inode
     *  mtimes. */
    public long buildTime() {
        return buildTime;
    }

    /** How file mtimes relate to the build time. */
    public TimestampPolicy timestamps() {
        return timestamps;
    }

    /** The volume UUID. */
    public UUID uuid() {
        return uuid;
    }

    /** The volume label, at most 15 bytes of UTF-8. */
    public String volumeLabel() {
        return volumeLabel;
    }

    /** Compact inodes where they fit (mkfs.erofs's rule), or forced. */
    public InodeFormat inodeFormat() {
        return inodeFormat;
    }

    /** Whether regular-file tails may be stored inline after their inode ({@code -E noinline_data} clears it);
     *  directories and symlinks are inlined regardless. */
    public boolean inlineData() {
        return inlineData;
    }

    /** Whether to store the superblock CRC32C. */
    public boolean superblockChecksum() {
        return superblockChecksum;
    }

    /** Whether to store the per-inode xattr name bloom filter. */
    public boolean xattrNameFilter() {
        return xattrNameFilter;
    }

    /** A name/value pair used by more inodes than this is stored once and shared (0 or more). */
    public int xattrShareThreshold() {
        return xattrShareThreshold;
    }

    /**
     * Whether the tree's xattrs are left out of the image (mkfs.erofs's {@code -x} with a negative value, for a tree
     * whose source xattrs were read). The space reserved by {@link #rootXattrSize()} is still kept.
     */
    public boolean dropXattrs() {
        return dropXattrs;
    }

    /** Long xattr name prefixes to register ({@code --xattr-prefix}), at most 128. */
    public List<String> xattrPrefixes() {
        return xattrPrefixes;
    }

    /**
     * The chunk size of chunk-based files, or 0 for flat files. Chunks are a power of two of at least the block
     * size: all-zero chunks become holes and identical chunks share blocks; as mkfs.erofs does, a file whose
     * chunks lie back to back on disk gets larger chunks (fewer entries), and an all-zero file becomes one hole
     * chunk covering it.
     */
    public long chunkSize() {
        return chunkSize;
    }

    /** The form of the per-chunk entries of chunk-based files ({@code -E force-chunk-indexes}); without a chunk
     *  size it has no effect. */
    public ChunkFormat chunkFormat() {
        return chunkFormat;
    }

    /**
     * The least size in bytes of the root directory's inline xattr body ({@code --root-xattr-isize}), or 0 for
     * none: the body is zero-padded up to this size rounded up to 4, leaving room for xattrs added in place
     * later; from 13 to 65532 (12 bytes would be a bare header, which the kernel and fsck.erofs reject).
     */
    public int rootXattrSize() {
        return rootXattrSize;
    }

    /** Ownership rewriting applied to every inode before layout. */
    public OwnerPolicy owners() {
        return owners;
    }

    /** Threads used for work that can run in parallel (never changes the output bytes). */
    public int workers() {
        return workers;
    }

    /** Receives progress and warning events, on the calling thread. */
    public WriteListener listener() {
        return listener;
    }

    /** Sees every byte of the image once, in order, as it is written; null for none. */
    public ImageObserver observer() {
        return observer;
    }

    /** How regular files are compressed; {@link Compression#none()} (the default) stores them as they are. */
    public Compression compression() {
        return compression;
    }

    /** Whether and how inodes are stored in the metabox ({@code -m}); empty for the plain inode area. */
    public java.util.Optional<Metabox> metabox() {
        return java.util.Optional.ofNullable(metabox);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteOptions w && blockSize == w.blockSize && buildTime == w.buildTime
                && timestamps == w.timestamps && uuid.equals(w.uuid) && volumeLabel.equals(w.volumeLabel)
                && inodeFormat == w.inodeFormat && inlineData == w.inlineData
                && superblockChecksum == w.superblockChecksum && xattrNameFilter == w.xattrNameFilter
                && xattrShareThreshold == w.xattrShareThreshold && dropXattrs == w.dropXattrs
                && xattrPrefixes.equals(w.xattrPrefixes) && chunkSize == w.chunkSize && chunkFormat == w.chunkFormat
                && rootXattrSize == w.rootXattrSize && owners.equals(w.owners)
                && workers == w.workers && listener.equals(w.listener) && Objects.equals(observer, w.observer)
                && compression.equals(w.compression) && Objects.equals(metabox, w.metabox);
    }

    @Override
    public int hashCode() {
        return Objects.hash(blockSize, buildTime, timestamps, uuid, volumeLabel, inodeFormat, inlineData,
                superblockChecksum, xattrNameFilter, xattrShareThreshold, dropXattrs, xattrPrefixes, chunkSize,
                chunkFormat, rootXattrSize, owners, workers, listener, observer, compression, metabox);
    }

    @Override
    public String toString() {
        return "WriteOptions[blockSize=" + blockSize + ", buildTime=" + buildTime + ", timestamps=" + timestamps
                + ", uuid=" + uuid + ", volumeLabel=" + volumeLabel + ", inodeFormat=" + inodeFormat
                + ", inlineData=" + inlineData + ", superblockChecksum=" + superblockChecksum
                + ", xattrNameFilter=" + xattrNameFilter + ", xattrShareThreshold=" + xattrShareThreshold
                + ", dropXattrs=" + dropXattrs + ", xattrPrefixes=" + xattrPrefixes + ", chunkSize=" + chunkSize
                + ", chunkFormat=" + chunkFormat + ", rootXattrSize=" + rootXattrSize
                + ", owners=" + owners + ", workers=" + workers + ", compression=" + compression
                + (metabox == null ? "" : ", metabox=" + metabox) + "]";
    }

    /** Builder of {@link WriteOptions}; values are checked by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private int blockSize = 4096;
        private long buildTime;
        private TimestampPolicy timestamps = TimestampPolicy.PRESERVE;
        private UUID uuid = new UUID(0, 0);
        private String volumeLabel = "";
        private InodeFormat inodeFormat = InodeFormat.AUTO;
        private boolean inlineData = true;
        private boolean superblockChecksum = true;
        private boolean xattrNameFilter = true;
        private int xattrShareThreshold = 2;
        private boolean dropXattrs;
        private List<String> xattrPrefixes = List.of();
        private long chunkSize;
        private ChunkFormat chunkFormat = ChunkFormat.BLOCK_MAP;
        private int rootXattrSize;
        private OwnerPolicy owners = OwnerPolicy.KEEP;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private WriteListener listener = e -> { };
        private ImageObserver observer;
        private Compression compression = Compression.none();
        private Metabox metabox;

        private Builder() {}

        private Builder(WriteOptions o) {
            blockSize = o.blockSize;
            buildTime = o.buildTime;
            timestamps = o.timestamps;
            uuid = o.uuid;
            volumeLabel = o.volumeLabel;
            inodeFormat = o.inodeFormat;
            inlineData = o.inlineData;
            superblockChecksum = o.superblockChecksum;
            xattrNameFilter = o.xattrNameFilter;
            xattrShareThreshold = o.xattrShareThreshold;
            dropXattrs = o.dropXattrs;
            xattrPrefixes = o.xattrPrefixes;
            chunkSize = o.chunkSize;
            chunkFormat = o.chunkFormat;
            rootXattrSize = o.rootXattrSize;
            owners = o.owners;
            workers = o.workers;
            listener = o.listener;
            observer = o.observer;
            compression = o.compression;
            metabox = o.metabox;
        }

        /** See {@link WriteOptions#blockSize()}. */
        public Builder blockSize(int v) { blockSize = v; return this; }
        /** See {@link WriteOptions#buildTime()}. */
        public Builder buildTime(long v) { buildTime = v; return this; }
        /** See {@link WriteOptions#timestamps()}. */
        public Builder timestamps(TimestampPolicy v) { timestamps = v; return this; }
        /** See {@link WriteOptions#uuid()}. */
        public Builder uuid(UUID v) { uuid = v; return this; }
        /** See {@link WriteOptions#volumeLabel()}. */
        public Builder volumeLabel(String v) { volumeLabel = v; return this; }
        /** See {@link WriteOptions#inodeFormat()}. */
        public Builder inodeFormat(InodeFormat v) { inodeFormat = v; return this; }
        /** See {@link WriteOptions#inlineData()}. */
        public Builder inlineData(boolean v) { inlineData = v; return this; }
        /** See {@link WriteOptions#superblockChecksum()}. */
        public Builder superblockChecksum(boolean v) { superblockChecksum = v; return this; }
        /** See {@link WriteOptions#xattrNameFilter()}. */
        public Builder xattrNameFilter(boolean v) { xattrNameFilter = v; return this; }
        /** See {@link WriteOptions#xattrShareThreshold()}. */
        public Builder xattrShareThreshold(int v) { xattrShareThreshold = v; return this; }
        /** See {@link WriteOptions#dropXattrs()}. */
        public Builder dropXattrs(boolean v) { dropXattrs = v; return this; }
        /** See {@link WriteOptions#xattrPrefixes()}. */
        public Builder xattrPrefixes(List<String> v) { xattrPrefixes = v; return this; }
        /** See {@link WriteOptions#chunkSize()}. */
        public Builder chunkSize(long v) { chunkSize = v; return this; }
        /** See {@link WriteOptions#chunkFormat()}. */
        public Builder chunkFormat(ChunkFormat v) { chunkFormat = v; return this; }
        /** See {@link WriteOptions#rootXattrSize()}. */
        public Builder rootXattrSize(int v) { rootXattrSize = v; return this; }
        /** See {@link WriteOptions#owners()}. */
        public Builder owners(OwnerPolicy v) { owners = v; return this; }
        /** See {@link WriteOptions#workers()}. */
        public Builder workers(int v) { workers = v; return this; }
        /** See {@link WriteOptions#listener()}. */
        public Builder listener(WriteListener v) { listener = v; return this; }
        /** See {@link WriteOptions#observer()}. */
        public Builder observer(ImageObserver v) { observer = v; return this; }
        /** See {@link WriteOptions#compression()}. */
        public Builder compression(Compression v) { compression = v; return this; }
        /** Inodes in the compressed metabox ({@code -m}; Linux 6.17); null (the default) for none. */
        public Builder metabox(Metabox v) { metabox = v; return this; }

        /** The options; throws {@link IllegalArgumentException} (or {@link NullPointerException}) for a bad
         *  value. */
        public WriteOptions build() {
            return new WriteOptions(this);
        }
    }
}
