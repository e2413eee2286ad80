package io.github.erofs4j.core.read;

import io.github.erofs4j.core.spi.Decompressors;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to open an image. Immutable and thread-safe; build with {@link #builder()}, start from {@link #defaults()},
 * or change a copy with {@link #toBuilder()}.
 *
 * <p>The limits bound what one operation on a hostile image may cost: each is checked before the memory or work
 * it guards is spent, and going beyond one ends the operation with an {@link io.github.erofs4j.core.ErofsFormatException}
 * of kind {@link io.github.erofs4j.core.ErofsFormatException.Kind#LIMIT LIMIT} naming the limit
 * ({@link io.github.erofs4j.core.ErofsFormatException#limit()}), or for symbolic links with a
 * {@link SymlinkLoopException}. The defaults let every image mkfs.erofs makes of a real tree through.
 */
public final class ReadOptions {

    /** The default size of each cache (4 MiB). */
    public static final long DEFAULT_CACHE_BYTES = 4L << 20;

    /** The default {@link #maxDirectoryBytes()} (64 MiB). */
    public static final long DEFAULT_MAX_DIRECTORY_BYTES = 64L << 20;
    /** The default {@link #maxDirectoryEntries()} (1 Mi names). */
    public static final int DEFAULT_MAX_DIRECTORY_ENTRIES = 1 << 20;
    /**
     * The default {@link #maxXattrs()} (65536 per inode): the most an xattr body can reference (its 16-bit count of
     * 4-byte slots), so that every valid image reads; {@link #maxXattrBytes()} is what bounds the cost.
     */
    public static final int DEFAULT_MAX_XATTRS = 65536;
    /** The default {@link #maxXattrBytes()} (1 MiB of names and values per inode). */
    public static final long DEFAULT_MAX_XATTR_BYTES = 1L << 20;
    /** The default {@link #maxSymlinks()}: Linux's 40. */
    public static final int DEFAULT_MAX_SYMLINKS = 40;
    /** The default {@link #maxPathDepth()} (4096 components). */
    public static final int DEFAULT_MAX_PATH_DEPTH = 4096;
    /** The default {@link #maxExtentBytes()}: 12 MiB, the most any EROFS extent may decode to. */
    public static final int DEFAULT_MAX_EXTENT_BYTES = 12 << 20;

    private static final ReadOptions DEFAULTS = new Builder().build();

    private final List<Path> extraDevices;
    private final boolean verifyChecksum;
    private final long cacheBytes;
    private final Decompressors decompressors;
    private final Lz4Decoder lz4Decoder;
    private final long maxDirectoryBytes;
    private final int maxDirectoryEntries;
    private final int maxXattrs;
    private final long maxXattrBytes;
    private final int maxSymlinks;
    private final int maxPathDepth;
    private final int maxExtentBytes;
    private final long maxDecompressedBytes;

    private ReadOptions(Builder b) {
        this.extraDevices = b.extraDevices;
        this.verifyChecksum = b.verifyChecksum;
        this.cacheBytes = b.cacheBytes;
        this.decompressors = b.decompressors;
        this.lz4Decoder = b.lz4Decoder;
        this.maxDirectoryBytes = b.maxDirectoryBytes;
        this.maxDirectoryEntries = b.maxDirectoryEntries;
        this.maxXattrs = b.maxXattrs;
        this.maxXattrBytes = b.maxXattrBytes;
        this.maxSymlinks = b.maxSymlinks;
        this.maxPathDepth = b.maxPathDepth;
        this.maxExtentBytes = b.maxExtentBytes;
        this.maxDecompressedBytes = b.maxDecompressedBytes;
    }

    /**
     * No extra devices, checksum verified, 4 MiB caches, the installed decompressors, erofs4j's own LZ4 decoder, and
     * the limits' defaults (the {@code DEFAULT_MAX_*} constants; no limit on the bytes decompressed in all).
     */
    public static ReadOptions defaults() {
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

    /**
     * The files of the extra devices of a multi-device image, in device-table order (device 1 first). Empty (the
     * default) means "flat" mode: every block address is read from the primary image, as the kernel does when
     * mounted without {@code device=} options.
     */
    public List<Path> extraDevices() {
        return extraDevices;
    }

    /** Whether the superblock CRC32C is verified when the image declares one (default true). */
    public boolean verifyChecksum() {
        return verifyChecksum;
    }

    /**
     * Bytes of metadata blocks (inodes, directories, xattrs, indexes) kept in memory, and separately bytes of
     * decompressed pclusters of compressed files; 0 disables the metadata cache and limits the pcluster cache to the
     * most recently decoded extent (default {@link #DEFAULT_CACHE_BYTES}).
     */
    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * The decompressors for compressed images, or null (the default) for those installed on the class or module
     * path ({@link Decompressors#installed()}).
     */
    public Decompressors decompressors() {
        return decompressors;
    }

    /** The implementation that decodes whole LZ4 blocks (default {@link Lz4Decoder#BUILTIN}). */
    public Lz4Decoder lz4Decoder() {
        return lz4Decoder;
    }

    /** The largest directory (its size in bytes) that is listed or searched. */
    public long maxDirectoryBytes() {
        return maxDirectoryBytes;
    }

    /** The most names a directory listing may hold. */
    public int maxDirectoryEntries() {
        return maxDirectoryEntries;
    }

    /** The most xattrs (shared and inline entries) one inode may have. */
    public int maxXattrs() {
        return maxXattrs;
    }

    /** The most bytes of xattr names and values one inode may have. */
    public long maxXattrBytes() {
        return maxXattrBytes;
    }

    /** The most symbolic links followed while resolving one path; one more is a {@link SymlinkLoopException}. */
    public int maxSymlinks() {
        return maxSymlinks;
    }

    /** The most path components one resolution may walk through, those of symbolic link targets included. */
    public int maxPathDepth() {
        return maxPathDepth;
    }

    /** The most bytes one compressed extent may decode to (it is allocated whole). */
    public int maxExtentBytes() {
        return maxExtentBytes;
    }

    /**
     * The most bytes decompressed over the life of the opened image, all reads of all threads together, cache hits
     * not counted ({@link Long#MAX_VALUE}, no limit, by default: what a caller reads is its own choice; set it to
     * bound the work a small hostile image can cause, for example a multiple of the image's size).
     */
    public long maxDecompressedBytes() {
        return maxDecompressedBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && extraDevices.equals(r.extraDevices) && verifyChecksum == r.verifyChecksum
                && cacheBytes == r.cacheBytes && Objects.equals(decompressors, r.decompressors)
                && lz4Decoder == r.lz4Decoder && maxDirectoryBytes == r.maxDirectoryBytes
                && maxDirectoryEntries == r.maxDirectoryEntries && maxXattrs == r.maxXattrs
                && maxXattrBytes == r.maxXattrBytes && maxSymlinks == r.maxSymlinks && maxPathDepth == r.maxPathDepth
                && maxExtentBytes == r.maxExtentBytes && maxDecompressedBytes == r.maxDecompressedBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(extraDevices, verifyChecksum, cacheBytes, decompressors, lz4Decoder, maxDirectoryBytes,
                maxDirectoryEntries, maxXattrs, maxXattrBytes, maxSymlinks, maxPathDepth, maxExtentBytes,
                maxDecompressedBytes);
    }

    @Override
    public String toString() {
        return "ReadOptions[extraDevices=" + extraDevices + ", verifyChecksum=" + verifyChecksum + ", cacheBytes="
                + cacheBytes + ", decompressors=" + (decompressors == null ? "installed" : decompressors)
                + ", lz4Decoder=" + lz4Decoder + ", maxDirectoryBytes=" + maxDirectoryBytes + ", maxDirectoryEntries="
                + maxDirectoryEntries + ", maxXattrs=" + maxXattrs + ", maxXattrBytes=" + maxXattrBytes
                + ", maxSymlinks=" + maxSymlinks + ", maxPathDepth=" + maxPathDepth + ", maxExtentBytes="
                + maxExtentBytes + ", maxDecompressedBytes=" + maxDecompressedBytes + "]";
    }

    /** Builds {@link ReadOptions}. Not thread-safe. */
    public static final class Builder {
        private List<Path> extraDevices = List.of();
        private boolean verifyChecksum = true;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private Decompressors decompressors;
        private Lz4Decoder lz4Decoder = Lz4Decoder.BUILTIN;
        private long maxDirectoryBytes = DEFAULT_MAX_DIRECTORY_BYTES;
        private int maxDirectoryEntries = DEFAULT_MAX_DIRECTORY_ENTRIES;
        private int maxXattrs = DEFAULT_MAX_XATTRS;
        private long maxXattrBytes = DEFAULT_MAX_XATTR_BYTES;
        private int maxSymlinks = DEFAULT_MAX_SYMLINKS;
        private int maxPathDepth = DEFAULT_MAX_PATH_DEPTH;
        private int maxExtentBytes = DEFAULT_MAX_EXTENT_BYTES;
        private long maxDecompressedBytes = Long.MAX_VALUE;

        private Builder() {
        }

        private Builder(ReadOptions from) {
            extraDevices = from.extraDevices;
            verifyChecksum = from.verifyChecksum;
            cacheBytes = from.cacheBytes;
            decompressors = from.decompressors;
            lz4Decoder = from.lz4Decoder;
            maxDirectoryBytes = from.maxDirectoryBytes;
            maxDirectoryEntries = from.maxDirectoryEntries;
            maxXattrs = from.maxXattrs;
            maxXattrBytes = from.maxXattrBytes;
            maxSymlinks = from.maxSymlinks;
            maxPathDepth = from.maxPathDepth;
            maxExtentBytes = from.maxExtentBytes;
            maxDecompressedBytes = from.maxDecompressedBytes;
        }

        private static long positive(String what, long v) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + v);
            }
            return v;
        }

        /** Sets {@link ReadOptions#maxDirectoryBytes()}; at least 1. */
        public Builder maxDirectoryBytes(long bytes) {
            this.maxDirectoryBytes = positive("maxDirectoryBytes", bytes);
            return this;
        }

        /** Sets {@link ReadOptions#maxDirectoryEntries()}; at least 1. */
        public Builder maxDirectoryEntries(int names) {
            this.maxDirectoryEntries = (int) positive("maxDirectoryEntries", names);
            return this;
        }

        /** Sets {@link ReadOptions#maxXattrs()}; at least 1. */
        public Builder maxXattrs(int count) {
            this.maxXattrs = (int) positive("maxXattrs", count);
            return this;
        }

        /** Sets {@link ReadOptions#maxXattrBytes()}; at least 1. */
        public Builder maxXattrBytes(long bytes) {
            this.maxXattrBytes = positive("maxXattrBytes", bytes);
            return this;
        }

        /** Sets {@link ReadOptions#maxSymlinks()}; 0 follows none. */
        public Builder maxSymlinks(int links) {
            if (links < 0) {
                throw new IllegalArgumentException("maxSymlinks < 0: " + links);
            }
            this.maxSymlinks = links;
            return this;
        }

        /** Sets {@link ReadOptions#maxPathDepth()}; at least 1. */
        public Builder maxPathDepth(int components) {
            this.maxPathDepth = (int) positive("maxPathDepth", components);
            return this;
        }

        /**
         * Sets {@link ReadOptions#maxExtentBytes()}, at most {@link #DEFAULT_MAX_EXTENT_BYTES} (the format's own
         * limit, which stays a corruption beyond).
         */
        public Builder maxExtentBytes(int bytes) {
            positive("maxExtentBytes", bytes);
            if (bytes > DEFAULT_MAX_EXTENT_BYTES) {
                throw new IllegalArgumentException("maxExtentBytes over the format's " + DEFAULT_MAX_EXTENT_BYTES
                        + ": " + bytes);
            }
            this.maxExtentBytes = bytes;
            return this;
        }

        /** Sets {@link ReadOptions#maxDecompressedBytes()}; at least 1 ({@link Long#MAX_VALUE}: no limit). */
        public Builder maxDecompressedBytes(long bytes) {
            this.maxDecompressedBytes = positive("maxDecompressedBytes", bytes);
            return this;
        }

        /** Sets the decompressors to use (null: those installed on the class or module path). */
        public Builder decompressors(Decompressors set) {
            this.decompressors = set;
            return this;
        }

        /** Sets the implementation that decodes whole LZ4 blocks. */
        public Builder lz4Decoder(Lz4Decoder decoder) {
            this.lz4Decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /** Sets the extra device files, device 1 first. */
        public Builder extraDevices(List<Path> devices) {
            this.extraDevices = List.copyOf(devices);
            return this;
        }

        /** Sets whether the superblock checksum is verified. */
        public Builder verifyChecksum(boolean verify) {
            this.verifyChecksum = verify;
            return this;
        }

        /**
         * Sets the size of each cache in bytes (0 disables the metadata cache).
         *
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder cacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheBytes < 0: " + bytes);
            }
            this.cacheBytes = bytes;
            return this;
        }

        /** The options. */
        public ReadOptions build() {
            return new ReadOptions(this);
        }
    }
}
