package io.github.erofs4j.cli;

import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteEvent;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.core.write.WriteSummary;
import io.github.erofs4j.overlay.OverlayTransforms;
import io.github.erofs4j.verity.dm.DmVerityParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code erofs mkfs}: builds an uncompressed EROFS image from a directory, a tarball or a cpio archive, with
 * mkfs.erofs's options where they apply.
 */
@Command(name = "mkfs", sortOptions = false,
        description = {"Build an EROFS image from a directory, a tarball or a cpio archive (detected by content;",
            "gzip, xz, lzma, zstd, lz4 and bzip2 compression detected too). SOURCE '-' reads standard input.",
            "SOURCE_DATE_EPOCH, when set and -T is not given, fixes the build time and clamps newer mtimes."})
public final class Mkfs implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "image file to create (replaced atomically)")
    Path image;

    @Parameters(index = "1", paramLabel = "SOURCE", description = "directory, tar or cpio archive, or '-'")
    String source;

    @Option(names = "-b", paramLabel = "SIZE", description = "block size in bytes, 512 to 65536 (default 4096)")
    int blockSize = 4096;

    @Option(names = "-T", paramLabel = "SECS", description = "build time; also every file's mtime unless "
            + "--mkfs-time")
    Long buildTime;

    @Option(names = "--mkfs-time", description = "-T sets only the build time")
    boolean mkfsTime;

    @Option(names = "--all-time", description = "-T sets every file's mtime too (the default)")
    boolean allTime;

    @Option(names = "-U", paramLabel = "UUID", description = "volume UUID, 'clear' (all zeros) or 'random' "
            + "(the default)")
    String uuid = "random";

    @Option(names = "-L", paramLabel = "LABEL", description = "volume label, at most 15 bytes")
    String label = "";

    @Option(names = "--all-root", description = "make every file owned by root")
    boolean allRoot;

    @Option(names = "--force-uid", paramLabel = "UID", description = "set every file's uid")
    Long forceUid;

    @Option(names = "--force-gid", paramLabel = "GID", description = "set every file's gid")
    Long forceGid;

    @Option(names = "--uid-offset", paramLabel = "N", description = "add N to every uid")
    long uidOffset;

    @Option(names = "--gid-offset", paramLabel = "N", description = "add N to every gid")
    long gidOffset;

    @Option(names = "-x", paramLabel = "N", description = "share an xattr used more than N times (default 2); "
            + "negative drops the source's xattrs")
    int xattrTolerance = 2;

    @Option(names = "-E", paramLabel = "OPTS", split = ",", description = "extended options: noinline_data "
            + "(^inline_data), force-inode-compact, force-inode-extended, nosbcrc, [^]xattr-name-filter, "
            + "force-chunk-indexes (8-byte chunk entries), force-inode-blockmap (4-byte, the default); with -z: "
            + "[^]ztailpacking, legacy-compress, fragments[=SIZE] (file tails in the packed inode, SIZE its "
            + "pcluster size), all-fragments[=SIZE] (whole files), dedupe (shared compressed data); Linux 6.1 for "
            + "the last three")
    List<String> extended = new ArrayList<>();

    @Option(names = "-z", paramLabel = "ALG[,LEVEL][:ALG2...]", description = "compress regular files: lz4; lz4hc "
            + "with a level from 0 to 12 (default 9); deflate with a level from 1 (default) to 9; zstd with a level "
            + "from 1 to 22 (default: zstd's fast level -1, as mkfs.erofs 1.9.3) and dictsize=BYTES (a power of "
            + "two up to 1 MiB; default 8 pclusters); lzma with a level from 0 to 9 or 100 to 109 and dictsize. "
            + "Written ALG,N or ALG,level=N[,dictsize=N]; several separated by ':' (the first for every file, the "
            + "others chosen by index in --compress-hints)")
    String compressor;

    @Option(names = "--compress-hints", paramLabel = "FILE", description = "per-file rules, one a line: "
            + "PCLUSTER-BYTES [ALGORITHM-INDEX] REGEX; the first rule whose (Java) regular expression is found in a "
            + "regular file's path (no leading '/') gives its largest pcluster (0: not compressed) and its "
            + "algorithm (an index into -z's list, 0 when left out)")
    Path compressHints;

    @Option(names = "-m", paramLabel = "SIZE[:ALG]", description = "compressed metadata (Linux 6.17): every inode "
            + "in the metabox inode, compressed in pclusters of SIZE bytes with algorithm ALG, an index into -z's "
            + "list (default 0) or an algorithm spelled as in -z, which joins the end of that list (and, as in "
            + "mkfs.erofs, compresses the files too when there is no -z). Without compression the metabox is "
            + "stored uncompressed")
    String metabox;

    @Option(names = "--zD", arity = "0..1", paramLabel = "0|1", parameterConsumer = BinaryFlag.class,
            description = "with -z: compressed directories (1, also --zD alone) or not (0, the default): each "
            + "directory's content in the packed inode (Linux 6.1). mkfs.erofs 1.9.3 reads this flag the other way "
            + "round (--zD alone enables, --zD=1 disables)")
    String compressDirs = "0";

    @Option(names = "-C", paramLabel = "BYTES", description = "largest physical cluster, a multiple of the block "
            + "size up to 1 MiB (default: one block); more than a block needs Linux 5.13")
    Integer pclusterSize;

    @Option(names = "--max-extent-bytes", paramLabel = "BYTES", description = "most uncompressed bytes one "
            + "compressed extent may cover")
    Long maxExtentBytes;

    @Option(names = "--chunksize", paramLabel = "BYTES", description = "chunk-based files with this chunk size "
            + "(power of two, at least the block size); zero chunks become holes, duplicates share blocks, "
            + "files stored back to back get larger chunks")
    Long chunkSize;

    @Option(names = "--root-xattr-isize", paramLabel = "BYTES", description = "reserve at least this much inline "
            + "xattr space in the root inode (13 to 65532)")
    Integer rootXattrSize;

    @Option(names = "--xattr-prefix", paramLabel = "PREFIX", description = "register a long xattr name prefix "
            + "(repeatable)")
    List<String> xattrPrefixes = new ArrayList<>();

    @Option(names = "--exclude-path", paramLabel = "PATH", description = "leave out this path (repeatable)")
    List<String> excludePaths = new ArrayList<>();

    @Option(names = "--exclude-regex", paramLabel = "REGEX", description = "leave out paths matching (repeatable)")
    List<String> excludeRegexes = new ArrayList<>();

    @Option(names = "--tar", arity = "0..1", paramLabel = "f", parameterConsumer = TarMode.class,
            description = "SOURCE is a tarball (only full-image mode 'f')")
    String tar;

    @Option(names = "--cpio", description = "SOURCE is a cpio archive")
    boolean cpio;

    @Option(names = "--aufs", description = "turn AUFS/OCI '.wh.' whiteouts into overlayfs whiteouts and opaque "
            + "directories")
    boolean aufs;

    @Option(names = "--ovlfs-strip", arity = "0..1", paramLabel = "0|1", parameterConsumer = BinaryFlag.class,
            description = "drop overlayfs whiteouts and opaque markers")
    String ovlfsStrip = "0";

    @Option(names = "--workers", paramLabel = "N", description = "worker threads (default: processors); "
            + "the image bytes never depend on it")
    Integer workers;

    @Option(names = "--quiet", description = "no progress bar or summary")
    boolean quiet;

    @CommandLine.Mixin
    MkfsVerity verity = new MkfsVerity();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Environment, replaceable by tests. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        // A negative -x, as in mkfs.erofs: the source's xattrs are not read (see the source options below) and
        // nothing is shared; the overlayfs markers that mkfs itself adds (whiteout origin, --aufs opaque) stay.
        WriteOptions.Builder b = WriteOptions.builder().blockSize(blockSize).volumeLabel(label)
                .xattrShareThreshold(xattrTolerance < 0 ? Integer.MAX_VALUE : xattrTolerance)
                .xattrPrefixes(xattrPrefixes);
        String sde = env.get("SOURCE_DATE_EPOCH");
        long time;
        if (buildTime != null) {
            time = buildTime;
            b.timestamps(mkfsTime ? WriteOptions.TimestampPolicy.PRESERVE : WriteOptions.TimestampPolicy.BUILD_TIME);
        } else if (sde != null && !sde.isBlank()) {
            try {
                time = Long.parseLong(sde.trim());
            } catch (NumberFormatException e) {
                throw usage("SOURCE_DATE_EPOCH is not a number: " + sde);
            }
            b.timestamps(WriteOptions.TimestampPolicy.CLAMP);
        } else {
            time = System.currentTimeMillis() / 1000;
        }
        b.buildTime(time);
        UUID fsUuid = switch (uuid.toLowerCase(Locale.ROOT)) {
            case "random" -> RandomUuid.next();
            case "clear" -> new UUID(0, 0);
            default -> parseUuid(uuid);
        };
        b.uuid(fsUuid);
        DmVerityParams dm = verity.params(spec.commandLine(), image, fsUuid, time, label);
        WriteOptions.OwnerPolicy owners = WriteOptions.OwnerPolicy.KEEP.withUidOffset(uidOffset)
                .withGidOffset(gidOffset);
        try {
            if (allRoot || forceUid != null) {
                owners = owners.withForcedUid(allRoot ? 0 : forceUid);
            }
            if (allRoot || forceGid != null) {
                owners = owners.withForcedGid(allRoot ? 0 : forceGid);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        b.owners(owners);
        boolean ztailpacking = false;
        boolean legacyCompress = false;
        SpaceSavers savers = new SpaceSavers();
        for (String e : extended) {
            switch (e.trim()) {
                case "noinline_data", "^inline_data" -> b.inlineData(false);
                case "inline_data" -> b.inlineData(true);
                case "force-inode-compact" -> b.inodeFormat(WriteOptions.InodeFormat.COMPACT);
                case "force-inode-extended" -> b.inodeFormat(WriteOptions.InodeFormat.EXTENDED);
                case "nosbcrc" -> b.superblockChecksum(false);
                case "xattr-name-filter" -> b.xattrNameFilter(true);
                case "^xattr-name-filter" -> b.xattrNameFilter(false);
                case "force-chunk-indexes" -> b.chunkFormat(WriteOptions.ChunkFormat.INDEXES);
                case "force-inode-blockmap" -> b.chunkFormat(WriteOptions.ChunkFormat.BLOCK_MAP);
                case "ztailpacking" -> ztailpacking = true;
                case "^ztailpacking" -> ztailpacking = false;
                case "legacy-compress" -> legacyCompress = true;
                case "" -> { }
                default -> {
                    boolean taken;
                    try {
                        taken = savers.accept(e.trim());
                    } catch (IllegalArgumentException x) {
                        throw usage(x.getMessage());
                    }
                    if (!taken) {
                        throw usage("unsupported extended option: " + e);
                    }
                }
            }
        }
        if (chunkSize != null) {
            b.chunkSize(chunkSize);
        }
        String zSpec = compressor;
        if (metabox != null) {
            int colon = metabox.indexOf(':');
            int mbAlg = 0;
            if (colon >= 0) {
                String alg = metabox.substring(colon + 1);
                if (alg.matches("[0-9]+")) {
                    mbAlg = Integer.parseInt(alg);
                } else {
                    // As mkfs.erofs: an algorithm named here is appended to -z's list (it is the list when there
                    // is no -z).
                    mbAlg = zSpec == null ? 0 : zSpec.split(":", -1).length;
                    zSpec = zSpec == null ? alg : zSpec + ":" + alg;
                }
            }
            int mbSize;
            try {
                mbSize = Integer.parseInt(colon >= 0 ? metabox.substring(0, colon) : metabox);
                b.metabox(new io.github.erofs4j.core.write.Metabox(mbSize, mbAlg));
            } catch (IllegalArgumentException e) {
                throw usage("-m " + metabox + ": " + (e instanceof NumberFormatException ? "not a size" : e.getMessage()));
            }
        }
        if (zSpec != null) {
            b.compression(compression(zSpec, ztailpacking, legacyCompress, savers));
        } else if (pclusterSize != null || maxExtentBytes != null || compressHints != null) {
            throw usage("-C, --max-extent-bytes and --compress-hints need -z");
        } else if (compressDirs.equals("1")) {
            throw usage("--zD needs -z (or -m with an algorithm)");
        } else if (savers.dedupe() && chunkSize == null) {
            // As mkfs.erofs: without compression, dedupe shares identical blocks through block-sized chunks.
            b.chunkSize(blockSize);
        }
        if (rootXattrSize != null) {
            b.rootXattrSize(rootXattrSize);
        }
        if (workers != null) {
            b.workers(workers);
        }
        if (tar != null && !tar.equals("f")) {
            throw usage("only --tar=f (full image) is supported");
        }
        if (tar != null && cpio) {
            throw usage("--tar and --cpio exclude each other");
        }
        SourceKind kind = tar != null ? SourceKind.TAR : cpio ? SourceKind.CPIO : null;
        List<String> warnings = new ArrayList<>();
        SourceOptions so = SourceOptions.builder().exclude(exclusions()).xattrs(xattrTolerance >= 0)
                .workers(workers != null ? workers : Math.max(1, Runtime.getRuntime().availableProcessors()))
                .spoolDirectory(image.toAbsolutePath().getParent())
                .warnings(w -> warn(err, warnings, w)).build();
        ProgressBar bar = !quiet && System.console() != null ? new ProgressBar(err) : null;
        b.listener(e -> {
            if (e instanceof WriteEvent.Warning w) {
                warn(err, warnings, w);
            } else if (e instanceof WriteEvent.Progress p && bar != null) {
                bar.update("writing", p.bytesWritten(), p.totalBytes());
            } else if (e instanceof WriteEvent.Compressing c && bar != null) {
                bar.update("compressing " + c.files() + "/" + c.totalFiles() + " files", c.bytes(), c.totalBytes());
            }
        });
        WriteOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        WriteSummary s;
        MkfsVerity.Outcome vo = null;
        SourceTree st = source.equals("-") ? Sources.load(System.in, kind, so)
                : Sources.load(Path.of(source), kind, so);
        long loaded = System.nanoTime();
        try (st) {
            overlayMetadata(st, w -> warn(err, warnings, w));
            if (verity.active()) {
                int threads = workers != null ? workers : Runtime.getRuntime().availableProcessors();
                vo = verity.write(st.tree(), image, options, dm, threads);
                s = vo.summary();
            } else {
                s = ErofsWriter.write(st.tree(), image, options);
            }
        } finally {
            if (bar != null) {
                bar.done();
            }
        }
        if (!quiet) {
            double secs = (System.nanoTime() - start) / 1e9;
            err.printf(Locale.ROOT, "%s: %d inodes, %d blocks of %d bytes (%d bytes, %d metadata blocks, "
                    + "%d shared xattrs) in %.2f s (reading the source %.2f s)%n", image, s.inodes(), s.blocks(),
                    s.blockSize(), s.imageBytes(), s.metadataBlocks(), s.sharedXattrs(), secs,
                    (loaded - start) / 1e9);
            if (s.compressedFiles() > 0) {
                err.printf(Locale.ROOT, "%d files compressed: %d bytes stored in %d (ratio %.3f, %.1f %% saved)%n",
                        s.compressedFiles(), s.compressedSourceBytes(), s.compressedStoredBytes(),
                        (double) s.compressedStoredBytes() / s.compressedSourceBytes(),
                        100.0 * (s.compressedSourceBytes() - s.compressedStoredBytes()) / s.compressedSourceBytes());
            }
            err.flush();
        }
        if (vo != null) {
            verity.print(spec.commandLine().getOut(), image, vo);
        }
        return 0;
    }

    /**
     * The overlayfs rules of mkfs.erofs, applied to the tree before it is written: {@code --aufs} turns
     * {@code .wh.} markers into whiteouts; then a directory holding a whiteout that counts as overlayfs metadata
     * (any 0:0 device, except that of a tarball only those made from markers) is marked with an empty
     * {@code trusted.overlay.origin}, or with {@code --ovlfs-strip} loses its whiteouts (and every entry its
     * {@code trusted.overlay.opaque}).
     */
    private void overlayMetadata(SourceTree st, java.util.function.Consumer<WriteEvent.Warning> warnings) {
        Set<Node> made = aufs ? OverlayTransforms.aufsToOverlay(st.tree(), warnings) : Set.of();
        Predicate<Node> counts = st.kind() == SourceKind.TAR ? made::contains : n -> true;
        if (ovlfsStrip.equals("0")) {
            OverlayTransforms.markOrigins(st.tree(), counts);
        } else {
            OverlayTransforms.strip(st.tree(), counts);
        }
    }

    private void warn(PrintWriter err, List<String> seen, WriteEvent.Warning w) {
        if (!quiet) {
            err.println("erofs mkfs: warning: " + w.path() + ": " + w.message());
            err.flush();
        }
        seen.add(w.message());
    }

    private Predicate<String> exclusions() {
        List<String> paths = new ArrayList<>();
        for (String p : excludePaths) {
            String q = p;
            while (q.startsWith("/")) {
                q = q.substring(1);
            }
            while (q.endsWith("/") && q.length() > 1) {
                q = q.substring(0, q.length() - 1);
            }
            paths.add(q);
        }
        List<Pattern> res = new ArrayList<>();
        for (String r : excludeRegexes) {
            res.add(Pattern.compile(r));
        }
        if (paths.isEmpty() && res.isEmpty()) {
            return rel -> false;
        }
        Predicate<String> one = rel -> paths.contains(rel) || res.stream().anyMatch(p -> p.matcher(rel).find());
        // Archives list descendants on their own: an excluded directory takes everything below it along.
        return rel -> {
            for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
                if (one.test(rel.substring(0, i))) {
                    return true;
                }
            }
            return one.test(rel);
        };
    }

    private UUID parseUuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw usage("bad UUID: " + s);
        }
    }

    private CommandLine.ParameterException usage(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    /**
     * An optional option value taken only when it is one of the option's values, so that {@code --tar IMAGE -}
     * leaves IMAGE alone (mkfs.erofs's getopt takes optional values only when attached with '=').
     */
    /** {@code -z ALG[,LEVEL]} or {@code ALG[,level=LEVEL]} with {@code -C}, -E and --max-extent-bytes. */
    private io.github.erofs4j.core.write.Compression compression(String spec, boolean ztail, boolean legacy,
            SpaceSavers savers) {
        try {
            io.github.erofs4j.core.write.Compression.Builder c = io.github.erofs4j.core.write.Compression.parse(spec);
            if (pclusterSize != null) {
                c.pclusterSize(pclusterSize);
            }
            if (maxExtentBytes != null) {
                c.maxExtentBytes(maxExtentBytes);
            }
            if (compressHints != null) {
                try {
                    c.hints(io.github.erofs4j.core.write.CompressHints.read(compressHints));
                } catch (java.io.IOException | IllegalArgumentException e) {
                    throw usage("--compress-hints " + (e instanceof java.io.IOException ? compressHints + ": " + e
                            : e.getMessage()));
                }
            }
            return savers.applyTo(c).ztailpacking(ztail).compactIndexes(!legacy).directories(compressDirs.equals("1"))
                    .spoolDirectory(image.toAbsolutePath().getParent()).build();
        } catch (IllegalArgumentException e) {
            throw usage("-z " + spec + ": " + e.getMessage());
        }
    }

    abstract static class OptionalValue implements CommandLine.IParameterConsumer {
        private final java.util.Set<String> values;
        private final String fallback;

        OptionalValue(String fallback, String... values) {
            this.fallback = fallback;
            this.values = java.util.Set.of(values);
        }

        @Override
        public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec arg,
                CommandLine.Model.CommandSpec spec) {
            arg.setValue(!args.isEmpty() && values.contains(args.peek()) ? args.pop() : fallback);
        }
    }

    /** {@code --tar[=f|i|headerball]}. */
    static final class TarMode extends OptionalValue {
        TarMode() {
            super("f", "f", "i", "headerball");
        }
    }

    /** A flag with an optional value, 1 when left out: {@code --ovlfs-strip[=0|1]}, {@code --zD[=0|1]}. */
    static final class BinaryFlag extends OptionalValue {
        BinaryFlag() {
            super("1", "0", "1");
        }
    }

    /** A one-line progress bar on the terminal. */
    static final class ProgressBar {
        private final PrintWriter out;
        private int last = -1;
        private String lastWhat = "";
        private long phaseStart;
        private long phaseStartBytes;
        private int width;

        ProgressBar(PrintWriter out) {
            this.out = out;
        }

        void update(String what, long done, long total) {
            int pct = total <= 0 ? 100 : (int) (done * 100 / total);
            long now = System.nanoTime();
            if (pct == last && what.equals(lastWhat)) {
                return;
            }
            if (!what.equals(lastWhat)) {
                phaseStart = now;
                phaseStartBytes = done;
            }
            last = pct;
            lastWhat = what;
            int w = 30;
            int fill = pct * w / 100;
            double secs = (now - phaseStart) / 1e9;
            double rate = secs > 0.2 ? (done - phaseStartBytes) / secs / (1 << 20) : 0;
            String line = String.format(Locale.ROOT, "\r[%s%s] %3d%% %s %d/%d MiB%s", "=".repeat(fill),
                    " ".repeat(w - fill), pct, what, done >> 20, total >> 20,
                    rate > 0 ? String.format(Locale.ROOT, " %.0f MiB/s", rate) : "");
            out.print(line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            out.flush();
        }

        void done() {
            if (last >= 0) {
                out.print("\r" + " ".repeat(width) + "\r");
                out.flush();
            }
        }
    }
}
