package io.github.erofs4j.core.write;

import io.github.erofs4j.core.spi.Compressors;
import java.util.List;
import java.util.Objects;

/**
 * How regular files are compressed: the algorithm and level ({@code -z}), the largest physical cluster
 * ({@code -C}), whether tails may be inline ({@code -E ztailpacking}) and the form of the lcluster indexes
 * ({@code -E legacy-compress}). Immutable; made by {@link #builder(String)}, or {@link #none()}.
 *
 * <p>The compressors themselves come from {@link Compressors#installed()} (add
 * {@code io.github.erofs4j:erofs-compress}) unless a set is given.
 */
public final class Compression {
    private static final Compression NONE = new Compression(new Builder(null));

    private final String algorithm;
    private final Integer level;
    private final int dictSize;
    private final int pclusterSize;
    private final boolean ztailpacking;
    private final boolean compactIndexes;
    private final boolean fragments;
    private final boolean allFragments;
    private final int fragmentPclusterSize;
    private final boolean dedupe;
    private final boolean directories;
    private final long maxExtentBytes;
    private final Compressors compressors;
    private final java.nio.file.Path spoolDirectory;
    private final List<Algorithm> alternatives;
    private final CompressHints hints;

    private Compression(Builder b) {
        this.algorithm = b.algorithm;
        this.level = b.level;
        this.dictSize = b.dictSize;
        this.pclusterSize = b.pclusterSize;
        this.ztailpacking = b.ztailpacking;
        this.compactIndexes = b.compactIndexes;
        this.fragments = b.fragments || b.allFragments;
        this.allFragments = b.allFragments;
        this.fragmentPclusterSize = b.fragmentPclusterSize;
        this.dedupe = b.dedupe;
        this.directories = b.directories;
        this.maxExtentBytes = b.maxExtentBytes;
        this.compressors = b.compressors;
        this.spoolDirectory = b.spoolDirectory;
        this.alternatives = List.copyOf(b.alternatives);
        this.hints = b.hints;
    }

    /**
     * One algorithm of an image with its own settings ({@code ALG[,level=N][,dictsize=N]} of {@code -z}).
     *
     * @param name the encoder's name
     * @param level the level, or null for the encoder's default
     * @param dictSize the history window in bytes, or 0 for the encoder's default
     */
    public record Algorithm(String name, Integer level, int dictSize) {
        public Algorithm {
            Objects.requireNonNull(name, "name");
            if (dictSize < 0) {
                throw new IllegalArgumentException("dictsize must not be negative: " + dictSize);
            }
        }

        /**
         * One algorithm in mkfs.erofs's {@code -z} spelling ({@code ALG}, {@code ALG,LEVEL}, {@code ALG,level=N},
         * {@code dictsize=BYTES}), checked against the compressors installed as {@link Compression#parse} does.
         */
        public static Algorithm parse(String spec) {
            if (spec.contains(":")) {
                throw new IllegalArgumentException("one algorithm expected: " + spec);
            }
            Builder b = parseOne(spec);
            return new Algorithm(b.algorithm, b.level, b.dictSize);
        }

        @Override
        public String toString() {
            return name + (level == null ? "" : "," + level) + (dictSize == 0 ? "" : ",dictsize=" + dictSize);
        }
    }

    /** No compression: every file stored as it is. */
    public static Compression none() {
        return NONE;
    }

    /**
     * Compression with the named encoder ({@code "lz4"}, {@code "lz4hc"}, {@code "deflate"}, {@code "zstd"}), at
     * its default level and window, one-block
     * pclusters, compact indexes and no inline tails: mkfs.erofs's defaults for {@code -z NAME}.
     */
    public static Builder builder(String algorithm) {
        return new Builder(Objects.requireNonNull(algorithm, "algorithm"));
    }

    /**
     * A builder from the {@code -z} spelling of mkfs.erofs: {@code ALG}, {@code ALG,LEVEL}, {@code ALG,level=LEVEL}
     * and {@code dictsize=BYTES} (a number, or with a {@code k} or {@code m} suffix), several of them separated by
     * colons (the first is the image's primary algorithm, the others {@linkplain #alternatives() alternatives} that
     * {@linkplain #hints() hints} choose by index), each checked against the compressors
     * installed: the name, the level against the encoder's range, and the window by creating one encoder.
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown compressor, a level that is not a number or
     *     out of range, an option the encoder does not know, a window it refuses
     */
    public static Builder parse(String spec) {
        String[] algs = spec.split(":", -1);
        Builder b = parseOne(algs[0]);
        for (int i = 1; i < algs.length; i++) {
            b.addAlternative(Algorithm.parse(algs[i]));
        }
        return b;
    }

    private static Builder parseOne(String spec) {
        String[] parts = spec.split(",", -1);
        String name = parts[0].trim();
        Compressors installed = Compressors.installed();
        io.github.erofs4j.core.spi.CompressorProvider p = installed.provider(name).orElseThrow(
                () -> new IllegalArgumentException("unknown compressor '" + name + "' (available: "
                        + installed.names() + ")"));
        Builder b = builder(name);
        for (int i = 1; i < parts.length; i++) {
            String v = parts[i].trim();
            if (v.startsWith("dictsize=")) {
                b.dictSize(parseSize(name, v.substring("dictsize=".length())));
                continue;
            }
            if (v.startsWith("level=")) {
                v = v.substring("level=".length());
            } else if (i > 1 || v.isEmpty() || !Character.isDigit(v.charAt(0))) {
                throw new IllegalArgumentException("unknown option '" + parts[i] + "' of " + name
                        + " (takes level=N and dictsize=BYTES)");
            }
            int level;
            try {
                level = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("level of " + name + " is not a number: '" + v + "'");
            }
            if (level < p.minLevel() || level > p.maxLevel()) {
                throw new IllegalArgumentException(name + " levels are " + p.minLevel() + " to " + p.maxLevel()
                        + ": " + level);
            }
            b.level(level);
        }
        // The encoder refuses what its range does not say (lzma has no levels 10 to 99) and a window it cannot use.
        int level = b.level != null ? b.level : p.defaultLevel();
        try {
            p.create(level, new io.github.erofs4j.core.spi.CompressorOptions(b.dictSize, 0)).close();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return b;
    }

    private static int parseSize(String name, String v) {
        long unit = 1;
        String digits = v;
        if (v.endsWith("k") || v.endsWith("K")) {
            unit = 1 << 10;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m") || v.endsWith("M")) {
            unit = 1 << 20;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(digits) * unit;
            if (n > 0 && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("dictsize of " + name + " is not a positive size: '" + v + "'");
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(algorithm);
        b.level = level;
        b.dictSize = dictSize;
        b.pclusterSize = pclusterSize;
        b.ztailpacking = ztailpacking;
        b.compactIndexes = compactIndexes;
        b.fragments = fragments;
        b.allFragments = allFragments;
        b.fragmentPclusterSize = fragmentPclusterSize;
        b.dedupe = dedupe;
        b.directories = directories;
        b.maxExtentBytes = maxExtentBytes;
        b.compressors = compressors;
        b.spoolDirectory = spoolDirectory;
        b.alternatives.addAll(alternatives);
        b.hints = hints;
        return b;
    }

    /**
     * Every algorithm of the image by index: the primary one ({@link #algorithm()}, {@link #level()},
     * {@link #dictSize()}) first, then the {@linkplain #alternatives() alternatives}. Empty without compression.
     */
    public List<Algorithm> algorithms() {
        if (!enabled()) {
            return List.of();
        }
        List<Algorithm> l = new java.util.ArrayList<>(1 + alternatives.size());
        l.add(new Algorithm(algorithm, level, dictSize));
        l.addAll(alternatives);
        return List.copyOf(l);
    }

    /** The algorithms after the primary one (indexes 1, 2, ... of {@link #algorithms()}), for hints to choose. */
    public List<Algorithm> alternatives() {
        return alternatives;
    }

    /** The per-file rules ({@code --compress-hints}), or null: every file with the primary algorithm and -C. */
    public CompressHints hints() {
        return hints;
    }

    /** Whether files are compressed at all. */
    public boolean enabled() {
        return algorithm != null;
    }

    /** The encoder's name, or null for none. */
    public String algorithm() {
        return algorithm;
    }

    /** The level, or null for the encoder's default. */
    public Integer level() {
        return level;
    }

    /** The history window in bytes ({@code dictsize}), or 0 for the encoder's default. */
    public int dictSize() {
        return dictSize;
    }

    /** The largest pcluster in bytes, or 0 for one block. */
    public int pclusterSize() {
        return pclusterSize;
    }

    /** Whether a file's last compressed extent may be stored inline after its inode. */
    public boolean ztailpacking() {
        return ztailpacking;
    }

    /** Compact lcluster indexes (2 or 4 bytes each), or the full 8-byte form. */
    public boolean compactIndexes() {
        return compactIndexes;
    }

    /**
     * Whether the tail of each file (what is left once no more whole physical clusters can be filled) is stored in
     * the packed inode, among the tails of other files, instead of a pcluster of its own ({@code -E fragments}).
     * Identical tails are stored once. Implied by {@link #allFragments()}.
     */
    public boolean fragments() {
        return fragments;
    }

    /** Whether whole files are stored in the packed inode ({@code -E all-fragments}). */
    public boolean allFragments() {
        return allFragments;
    }

    /** The largest pcluster of the packed inode in bytes, or 0 for that of the files ({@code -E fragments=SIZE}). */
    public int fragmentPclusterSize() {
        return fragmentPclusterSize;
    }

    /**
     * Whether compressed data already stored for an earlier extent (of any file) is referred to again instead of
     * being stored twice ({@code -E dedupe}). Files that use it get full indexes. Compression then runs on one
     * thread, as the matches depend on everything compressed before.
     */
    public boolean dedupe() {
        return dedupe;
    }

    /**
     * Whether directories are stored compressed ({@code --zD}): each directory's whole content becomes a fragment
     * of the packed inode, after those of the files, as mkfs.erofs 1.9.3 stores them.
     */
    public boolean directories() {
        return directories;
    }

    /** The most uncompressed bytes one extent may cover. */
    public long maxExtentBytes() {
        return maxExtentBytes;
    }

    /** The compressors to use, or null for those installed. */
    public Compressors compressors() {
        return compressors;
    }

    /** Where compressed data waits between compression and emission, or null for the temporary directory. */
    public java.nio.file.Path spoolDirectory() {
        return spoolDirectory;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression c && Objects.equals(algorithm, c.algorithm)
                && Objects.equals(level, c.level) && dictSize == c.dictSize && pclusterSize == c.pclusterSize
                && ztailpacking == c.ztailpacking && compactIndexes == c.compactIndexes
                && fragments == c.fragments && allFragments == c.allFragments
                && fragmentPclusterSize == c.fragmentPclusterSize && dedupe == c.dedupe
                && directories == c.directories
                && maxExtentBytes == c.maxExtentBytes && Objects.equals(compressors, c.compressors)
                && Objects.equals(spoolDirectory, c.spoolDirectory) && alternatives.equals(c.alternatives)
                && Objects.equals(hints, c.hints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, level, dictSize, pclusterSize, ztailpacking, compactIndexes, fragments,
                allFragments, fragmentPclusterSize, dedupe, directories, maxExtentBytes, compressors, spoolDirectory,
                alternatives, hints);
    }

    @Override
    public String toString() {
        StringBuilder alts = new StringBuilder();
        for (Algorithm a : alternatives) {
            alts.append(':').append(a);
        }
        return enabled() ? algorithm + (level == null ? "" : "," + level)
                + (dictSize == 0 ? "" : ",dictsize=" + dictSize) + alts
                + (hints == null ? "" : " hints " + hints.rules().size()) + " pcluster " + pclusterSize
                + (ztailpacking ? " ztailpacking" : "") + (compactIndexes ? "" : " legacy-compress")
                + (allFragments ? " all-fragments" : fragments ? " fragments" : "")
                + (fragmentPclusterSize == 0 ? "" : "=" + fragmentPclusterSize) + (dedupe ? " dedupe" : "")
                + (directories ? " directories" : "")
                : "none";
    }

    /** Builder of {@link Compression}; not thread-safe. */
    public static final class Builder {
        private final String algorithm;
        private Integer level;
        private int dictSize;
        private int pclusterSize;
        private boolean ztailpacking;
        private boolean compactIndexes = true;
        private boolean fragments;
        private boolean allFragments;
        private int fragmentPclusterSize;
        private boolean dedupe;
        private boolean directories;
        private long maxExtentBytes = Long.MAX_VALUE;
        private Compressors compressors;
        private java.nio.file.Path spoolDirectory;
        private final List<Algorithm> alternatives = new java.util.ArrayList<>();
        private CompressHints hints;

        private Builder(String algorithm) {
            this.algorithm = algorithm;
        }

        /** The level (its range is the encoder's: lz4hc 0 to 12, deflate 1 to 9, zstd 1 to 22); null for the default. */
        public Builder level(Integer v) {
            level = v;
            return this;
        }

        /**
         * The history window in bytes ({@code dictsize}); 0 (the default) for the encoder's own: 64 KiB for lz4,
         * 32 KiB for deflate, eight times the largest pcluster up to 1 MiB for zstd, four times the largest
         * pcluster from 32 KiB to 8 MiB for lzma (the dictionary size; 4 KiB to 8 MiB when given). The encoder checks the value
         * when the image is written (zstd: a power of two from 1 KiB to 1 MiB).
         */
        public Builder dictSize(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("dictsize must not be negative: " + v);
            }
            dictSize = v;
            return this;
        }

        /**
         * The largest pcluster in bytes ({@code -C}): 0 for one block, else a multiple of the block size up to
         * 1 MiB. More than one block needs Linux 5.13.
         */
        public Builder pclusterSize(int v) {
            if (v < 0 || v > (1 << 20)) {
                throw new IllegalArgumentException("pcluster size must be from 0 to 1 MiB: " + v);
            }
            pclusterSize = v;
            return this;
        }

        /** Inline tails ({@code -E ztailpacking}; Linux 5.17). */
        public Builder ztailpacking(boolean v) {
            ztailpacking = v;
            return this;
        }

        /** Compact indexes (the default), or the full form ({@code -E legacy-compress}). */
        public Builder compactIndexes(boolean v) {
            compactIndexes = v;
            return this;
        }

        /** File tails in the packed inode ({@code -E fragments}; Linux 6.1). */
        public Builder fragments(boolean v) {
            fragments = v;
            return this;
        }

        /** Whole files in the packed inode ({@code -E all-fragments}; implies fragments; Linux 6.1). */
        public Builder allFragments(boolean v) {
            allFragments = v;
            return this;
        }

        /**
         * The largest pcluster of the packed inode ({@code -E fragments=SIZE}): 0 (the default) for that of the
         * files, else a multiple of the block size, at most the files' largest pcluster.
         */
        public Builder fragmentPclusterSize(int v) {
            if (v < 0 || v > (1 << 20)) {
                throw new IllegalArgumentException("packed inode pcluster size must be from 0 to 1 MiB: " + v);
            }
            fragmentPclusterSize = v;
            return this;
        }

        /** Compressed data shared between identical extents ({@code -E dedupe}; Linux 6.1). */
        public Builder dedupe(boolean v) {
            dedupe = v;
            return this;
        }

        /**
         * Compressed directories ({@code --zD}): the content of every directory in the packed inode, which the
         * image then has even without fragments (Linux 6.1).
         */
        public Builder directories(boolean v) {
            directories = v;
            return this;
        }

        /** The most uncompressed bytes one extent may cover ({@code --max-extent-bytes}). */
        public Builder maxExtentBytes(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("max extent bytes must be positive: " + v);
            }
            maxExtentBytes = v;
            return this;
        }

        /** The compressors to choose from; null (the default) for those installed. */
        public Builder compressors(Compressors v) {
            compressors = v;
            return this;
        }

        /**
         * Where compressed data waits until it is copied into the image (a temporary file, deleted at the end);
         * null (the default) for {@code java.io.tmpdir}. The image's own directory avoids a copy across file
         * systems.
         */
        public Builder spoolDirectory(java.nio.file.Path v) {
            spoolDirectory = v;
            return this;
        }

        /**
         * Adds an algorithm after the primary one and those added before (its index in {@link #algorithms()} is
         * one more than theirs), for {@linkplain #hints(CompressHints) hints} to choose ({@code -zA:B}).
         */
        public Builder addAlternative(Algorithm v) {
            alternatives.add(Objects.requireNonNull(v, "algorithm"));
            return this;
        }

        /**
         * Per-file pcluster sizes and algorithms ({@code --compress-hints}); null (the default) for none. The first
         * rule whose pattern matches a regular file's path decides; files no rule matches use the primary algorithm
         * and {@link #pclusterSize(int)}.
         */
        public Builder hints(CompressHints v) {
            hints = v;
            return this;
        }

        public Compression build() {
            return new Compression(this);
        }
    }
}
