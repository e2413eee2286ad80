package io.github.erofs4j.core.read;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to open an image. Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * @param extraDevices the files of the extra devices of a multi-device image, in device-table order (device 1
 *     first). Empty (the default) means "flat" mode: every block address is read from the primary image, as the
 *     kernel does when mounted without {@code device=} options.
 * @param verifyChecksum whether to verify the superblock CRC32C when the image declares one (default true)
 * @param cacheBytes bytes of metadata blocks (inodes, directories, xattrs, indexes) kept in memory; 0 disables
 *     the cache (default 4 MiB)
 */
public record ReadOptions(List<Path> extraDevices, boolean verifyChecksum, long cacheBytes) {

    /** The default metadata cache size. */
    public static final long DEFAULT_CACHE_BYTES = 4L << 20;

    private static final ReadOptions DEFAULTS = new ReadOptions(List.of(), true, DEFAULT_CACHE_BYTES);

    public ReadOptions {
        extraDevices = List.copyOf(Objects.requireNonNull(extraDevices, "extraDevices"));
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes < 0: " + cacheBytes);
        }
    }

    /** No extra devices, checksum verified, 4 MiB metadata cache. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link ReadOptions}. Not thread-safe. */
    public static final class Builder {
        private List<Path> extraDevices;
        private boolean verifyChecksum;
        private long cacheBytes;

        private Builder(ReadOptions from) {
            extraDevices = from.extraDevices;
            verifyChecksum = from.verifyChecksum;
            cacheBytes = from.cacheBytes;
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

        /** Sets the metadata cache size in bytes (0 disables it). */
        public Builder cacheBytes(long bytes) {
            this.cacheBytes = bytes;
            return this;
        }

        /** The options. */
        public ReadOptions build() {
            return new ReadOptions(extraDevices, verifyChecksum, cacheBytes);
        }
    }
}
