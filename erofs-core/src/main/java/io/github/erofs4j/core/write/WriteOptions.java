package io.github.erofs4j.core.write;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Immutable options of {@link ErofsWriter}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * <p>Every option that could make two builds differ (build time, UUID) is explicit, and the defaults are fixed
 * values (time 0, the nil UUID), so the same tree and options always give the same bytes.
 *
 * @param blockSize block size in bytes, a power of two from 512 to 65536 (the kernel also needs it to be at
 *     most its page size)
 * @param buildTime build time in seconds since the Unix epoch: stored as the superblock epoch, the base of
 *     compact inode mtimes
 * @param timestamps how file mtimes relate to the build time
 * @param uuid the volume UUID
 * @param volumeLabel the volume label, at most 15 bytes of UTF-8
 * @param inodeFormat compact inodes where they fit (mkfs.erofs's rule), or forced
 * @param inlineData whether regular-file tails may be stored inline after their inode ({@code -E noinline_data}
 *     clears it); directories and symlinks are inlined regardless
 * @param superblockChecksum whether to store the superblock CRC32C
 * @param xattrNameFilter whether to store the per-inode xattr name bloom filter
 * @param xattrShareThreshold a name/value pair used by more inodes than this is stored once and shared; a
 *     negative value drops all xattrs ({@code -x})
 * @param xattrPrefixes long xattr name prefixes to register ({@code --xattr-prefix}), at most 128
 * @param chunkSize 0 for flat files, else the chunk size of chunk-based files (a power of two, at least the
 *     block size): all-zero chunks become holes and identical chunks share blocks; as mkfs.erofs does, a file
 *     whose chunks lie back to back on disk gets larger chunks (fewer entries), and an all-zero file becomes one
 *     hole chunk covering it
 * @param chunkFormat the form of the per-chunk entries of chunk-based files ({@code -E force-chunk-indexes});
 *     ignored without {@code chunkSize}
 * @param rootXattrSize 0, or the least size in bytes of the root directory's inline xattr body
 *     ({@code --root-xattr-isize}): the body is zero-padded up to this size rounded up to 4, leaving room for
 *     xattrs added in place later; from 13 to 65532 (12 bytes would be a bare header, which the kernel and
 *     fsck.erofs reject)
 * @param ovlfsStrip drop overlayfs whiteouts (0:0 character devices) and {@code trusted.overlay.opaque} instead of
 *     marking their directories with an empty {@code trusted.overlay.origin}
 * @param owners ownership rewriting applied to every inode before layout
 * @param workers threads used for work that can run in parallel (never changes the output bytes)
 * @param listener receives progress and warning events, on the calling thread
 * @param observer sees every byte of the image once, in order, as it is written; null for none
 * @param compression how regular files are compressed ({@link Compression#none()} for not at all)
 */
public record WriteOptions(
        int blockSize,
        long buildTime,
        TimestampPolicy timestamps,
        UUID uuid,
        String volumeLabel,
        InodeFormat inodeFormat,
        boolean inlineData,
        boolean superblockChecksum,
        boolean xattrNameFilter,
        int xattrShareThreshold,
        List<String> xattrPrefixes,
        long chunkSize,
        ChunkFormat chunkFormat,
        int rootXattrSize,
        boolean ovlfsStrip,
        OwnerPolicy owners,
        int workers,
        WriteListener listener,
        ImageObserver observer,
        Compression compression) {

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
     * Ownership rewriting, in mkfs.erofs's order: forced ids replace the node's ids, then offsets are added.
     *
     * @param forceUid uid for every inode, or -1 to keep
     * @param forceGid gid for every inode, or -1 to keep
     * @param uidOffset added to every uid
     * @param gidOffset added to every gid
     */
    public record OwnerPolicy(long forceUid, long forceGid, long uidOffset, long gidOffset) {
        /** Keep owners unchanged. */
        public static final OwnerPolicy KEEP = new OwnerPolicy(-1, -1, 0, 0);

        long uid(long uid) {
            return (forceUid >= 0 ? forceUid : uid) + uidOffset;
        }

        long gid(long gid) {
            return (forceGid >= 0 ? forceGid : gid) + gidOffset;
        }
    }

    public WriteOptions {
        if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two from 512 to 65536: " + blockSize);
        }
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(volumeLabel, "volumeLabel");
        if (volumeLabel.getBytes(StandardCharsets.UTF_8).length > 15) {
            throw new IllegalArgumentException("volume label over 15 bytes: " + volumeLabel);
        }
        Objects.requireNonNull(inodeFormat, "inodeFormat");
        xattrPrefixes = List.copyOf(xattrPrefixes);
        if (xattrPrefixes.size() > 128) {
            throw new IllegalArgumentException("at most 128 long xattr prefixes");
        }
        if (chunkSize != 0 && (chunkSize < blockSize || Long.bitCount(chunkSize) != 1 || chunkSize > (1L << 40))) {
            throw new IllegalArgumentException("chunk size must be a power of two, at least the block size: "
                    + chunkSize);
        }
        Objects.requireNonNull(chunkFormat, "chunkFormat");
        if (rootXattrSize != 0 && (rootXattrSize < 13 || rootXattrSize > MAX_ROOT_XATTR_SIZE)) {
            throw new IllegalArgumentException("root xattr size must be 0 or from 13 to " + MAX_ROOT_XATTR_SIZE
                    + " (12 bytes would be a bare xattr header, which the kernel rejects): " + rootXattrSize);
        }
        Objects.requireNonNull(owners, "owners");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(compression, "compression");
        int pcluster = compression.pclusterSize();
        if (pcluster != 0 && (pcluster < blockSize || pcluster % blockSize != 0)) {
            throw new IllegalArgumentException("pcluster size must be a multiple of the block size: " + pcluster);
        }
    }

    /** Defaults: 4 KiB blocks, time 0, nil UUID, compact inodes where possible, inline tails, checksum, name
     *  filter, sharing threshold 2, no chunks (block maps when chunks are asked for), no reserved root xattr
     *  space, one worker per processor, no listener. */
    public static WriteOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.blockSize = blockSize;
        b.buildTime = buildTime;
        b.timestamps = timestamps;
        b.uuid = uuid;
        b.volumeLabel = volumeLabel;
        b.inodeFormat = inodeFormat;
        b.inlineData = inlineData;
        b.superblockChecksum = superblockChecksum;
        b.xattrNameFilter = xattrNameFilter;
        b.xattrShareThreshold = xattrShareThreshold;
        b.xattrPrefixes = xattrPrefixes;
        b.chunkSize = chunkSize;
        b.chunkFormat = chunkFormat;
        b.rootXattrSize = rootXattrSize;
        b.ovlfsStrip = ovlfsStrip;
        b.owners = owners;
        b.workers = workers;
        b.listener = listener;
        b.observer = observer;
        b.compression = compression;
        return b;
    }

    int blockBits() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    /** Builder of {@link WriteOptions}; not thread-safe. */
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
        private List<String> xattrPrefixes = List.of();
        private long chunkSize;
        private ChunkFormat chunkFormat = ChunkFormat.BLOCK_MAP;
        private int rootXattrSize;
        private boolean ovlfsStrip;
        private OwnerPolicy owners = OwnerPolicy.KEEP;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private WriteListener listener = e -> { };
        private ImageObserver observer;
        private Compression compression = Compression.none();

        private Builder() {}

        public Builder blockSize(int v) { blockSize = v; return this; }
        public Builder buildTime(long v) { buildTime = v; return this; }
        public Builder timestamps(TimestampPolicy v) { timestamps = v; return this; }
        public Builder uuid(UUID v) { uuid = v; return this; }
        public Builder volumeLabel(String v) { volumeLabel = v; return this; }
        public Builder inodeFormat(InodeFormat v) { inodeFormat = v; return this; }
        public Builder inlineData(boolean v) { inlineData = v; return this; }
        public Builder superblockChecksum(boolean v) { superblockChecksum = v; return this; }
        public Builder xattrNameFilter(boolean v) { xattrNameFilter = v; return this; }
        public Builder xattrShareThreshold(int v) { xattrShareThreshold = v; return this; }
        public Builder xattrPrefixes(List<String> v) { xattrPrefixes = v; return this; }
        public Builder chunkSize(long v) { chunkSize = v; return this; }
        public Builder chunkFormat(ChunkFormat v) { chunkFormat = v; return this; }
        public Builder rootXattrSize(int v) { rootXattrSize = v; return this; }
        public Builder ovlfsStrip(boolean v) { ovlfsStrip = v; return this; }
        public Builder owners(OwnerPolicy v) { owners = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder listener(WriteListener v) { listener = v; return this; }
        public Builder observer(ImageObserver v) { observer = v; return this; }
        public Builder compression(Compression v) { compression = v; return this; }

        public WriteOptions build() {
            return new WriteOptions(blockSize, buildTime, timestamps, uuid, volumeLabel, inodeFormat, inlineData,
                    superblockChecksum, xattrNameFilter, xattrShareThreshold, xattrPrefixes, chunkSize, chunkFormat,
                    rootXattrSize, ovlfsStrip, owners, workers, listener, observer, compression);
        }
    }
}
