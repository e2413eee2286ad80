package io.github.erofs4j.core.read;

import io.github.erofs4j.core.spi.Decompressors;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to open an image. Immutable and thread-safe; build with {@link #builder()}, start from {@link #defaults()},
 * or change a copy with {@link #toBuilder()}.
 */
public final class ReadOptions {

    /** The default size of each cache (4 MiB). */
    public static final long DEFAULT_CACHE_BYTES = 4L << 20;

    private static final ReadOptions DEFAULTS = new Builder().build();

    private final List<Path> extraDevices;
    private final boolean verifyChecksum;
    private final long cacheBytes;
    private final Decompressors decompressors;
    private final Lz4Decoder lz4Decoder;

    private ReadOptions(Builder b) {
        this.extraDevices = b.extraDevices;
        this.verifyChecksum = b.verifyChecksum;
        this.cacheBytes = b.cacheBytes;
        this.decompressors = b.decompressors;
        this.lz4Decoder = b.lz4Decoder;
    }

    /**
     * No extra devices, checksum verified, 4 MiB caches, the installed decompressors, erofs4j's own LZ4 decoder.
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && extraDevices.equals(r.extraDevices) && verifyChecksum == r.verifyChecksum
                && cacheBytes == r.cacheBytes && Objects.equals(decompressors, r.decompressors)
                && lz4Decoder == r.lz4Decoder;
    }

    @Override
    public int hashCode() {
        return Objects.hash(extraDevices, verifyChecksum, cacheBytes, decompressors, lz4Decoder);
    }

    @Override
    public String toString() {
        return "ReadOptions[extraDevices=" + extraDevices + ", verifyChecksum=" + verifyChecksum + ", cacheBytes="
                + cacheBytes + ", decompressors=" + (decompressors == null ? "installed" : decompressors)
                + ", lz4Decoder=" + lz4Decoder + "]";
    }

    /** Builds {@link ReadOptions}. Not thread-safe. */
    public static final class Builder {
        private List<Path> extraDevices = List.of();
        private boolean verifyChecksum = true;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private Decompressors decompressors;
        private Lz4Decoder lz4Decoder = Lz4Decoder.BUILTIN;

        private Builder() {
        }

        private Builder(ReadOptions from) {
            extraDevices = from.extraDevices;
            verifyChecksum = from.verifyChecksum;
            cacheBytes = from.cacheBytes;
            decompressors = from.decompressors;
            lz4Decoder = from.lz4Decoder;
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
