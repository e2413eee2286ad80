package io.github.erofs4j.cli;

import io.github.erofs4j.core.internal.Records;
import io.github.erofs4j.core.format.DeviceSlot;
import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.format.Feature;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.read.DataExtent;
import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.Xattr;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code erofs dump}: the superblock, statistics, or one inode in detail, like {@code dump.erofs}. */
@Command(name = "dump", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the superblock and features (the default, or -s), statistics (-S), or one inode in "
                + "detail (--path or --nid: layout, extents, xattrs; --ls adds its directory entries).",
            "--json prints the same information as one JSON object."})
final class DumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ImageArgs imageArgs;

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--path", paramLabel = "P", description = "The inode at path P (symlinks not followed).")
        String path;

        @Option(names = "--nid", paramLabel = "N", description = "The inode with nid N.")
        Long nid;
    }

    @Option(names = "-s", description = "Show the superblock (also with --path/--nid).")
    boolean superblock;

    @Option(names = "-S", description = "Show statistics: inodes by type and layout, sizes, xattrs (walks the "
            + "whole image).")
    boolean statistics;

    @Option(names = "-e", description = "Accepted for dump.erofs compatibility: extents are always shown.")
    boolean extentsFlag;

    @Option(names = "--ls", description = "With --path/--nid on a directory: list its entries.")
    boolean listEntries;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The EROFS image.")
    Path image;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String where = target == null ? null : target.path != null ? target.path : "nid " + target.nid;
        try (ErofsImage img = imageArgs.open(image)) {
            boolean inode = target != null;
            boolean sb = superblock || (!inode && !statistics);
            Map<String, Object> doc = Json.object();
            doc.put("image", image.toString());
            Fields text = new Fields();
            if (sb) {
                superblock(img, text.section(doc, "superblock", null));
            }
            if (statistics) {
                statistics(img, text.section(doc, "statistics", "Statistics"));
            }
            if (inode) {
                ErofsInode in = target.path != null ? img.resolve(target.path) : img.inode(target.nid);
                String path = target.path != null ? normalize(target.path) : findPath(img, in.nid());
                inode(img, in, path, text.section(doc, "inode", null));
            }
            if (json) {
                out.println(Json.write(doc));
            } else {
                text.print(out);
            }
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("erofs dump: " + ImageArgs.describe(image, where, e));
            return Main.EXIT_FAILURE;
        }
    }

    private static String normalize(String p) {
        String s = p.replaceAll("/+", "/");
        if (!s.startsWith("/")) {
            s = "/" + s;
        }
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static Number unsigned(long v) {
        return v >= 0 ? v : new java.math.BigInteger(Long.toUnsignedString(v));
    }

    private static void superblock(ErofsImage img, Section s) {
        SuperBlock sb = Records.superBlock(img);
        s.put("magic", "Filesystem magic number", String.format("0x%08X", sb.magic()));
        s.put("blockSize", "Filesystem block size", img.blockSize());
        s.put("blocks", "Filesystem blocks", sb.blocks());
        s.put("imageBytes", "Filesystem image size", img.imageSize());
        s.put("metaBlkaddr", "Filesystem inode metadata start block", sb.metaBlkaddr());
        s.put("xattrBlkaddr", "Filesystem shared xattr metadata start block", sb.xattrBlkaddr());
        // A nid is unsigned: with a metabox the root's has its top bit set (the root lives in the metabox).
        s.put("rootNid", "Filesystem root nid", unsigned(img.rootNid()));
        if (sb.hasIncompat(Feature.INCOMPAT_METABOX)) {
            s.put("metaboxNid", "Filesystem metabox nid", unsigned(sb.metaboxNid()));
        }
        s.put("inodes", "Filesystem inode count", sb.inos());
        long created = sb.epoch() + sb.buildTime();
        s.put("buildTime", "Filesystem created", created);
        s.text("Filesystem created", Instant.ofEpochSecond(created, sb.fixedNsec()) + " (" + created + ")");
        s.put("epoch", "Filesystem epoch", sb.epoch());
        s.put("fixedNsec", "Filesystem fixed nanoseconds", sb.fixedNsec());
        List<String> compat = Feature.compatNames(sb.featureCompat());
        List<String> incompat = Feature.incompatNames(sb.featureIncompat());
        List<Object> all = Json.array();
        all.addAll(compat);
        all.addAll(incompat);
        s.put("features", "Filesystem features", all);
        s.text("Filesystem features", String.join(" ", compat) + (incompat.isEmpty() ? "" : " ")
                + String.join(" ", incompat));
        s.put("featureCompat", "Filesystem compat bits", String.format("0x%08x", sb.featureCompat()));
        s.put("featureIncompat", "Filesystem incompat bits", String.format("0x%08x", sb.featureIncompat()));
        if (sb.hasCompat(Feature.COMPAT_SB_CHKSUM)) {
            s.put("checksum", "Filesystem checksum", String.format("0x%08x", sb.checksum()));
        }
        s.put("uuid", "Filesystem UUID", uuid(sb.uuid()));
        s.put("volumeName", "Filesystem volume name", Text.safe(sb.volumeLabel()));
        if (sb.xattrPrefixCount() > 0) {
            s.put("xattrPrefixCount", "Filesystem long xattr prefixes", sb.xattrPrefixCount());
        }
        if (sb.packedNid() != 0) {
            s.put("packedNid", "Filesystem packed nid", sb.packedNid());
        }
        List<DeviceSlot> slots = Records.deviceSlots(img);
        if (!slots.isEmpty()) {
            List<Object> devs = Json.array();
            int i = 1;
            for (DeviceSlot d : slots) {
                Map<String, Object> m = Json.object();
                m.put("device", i);
                m.put("tag", Text.safe(cstring(d.tag())));
                m.put("blocks", d.blocksLo() | ((long) d.blocksHi() << 32));
                m.put("mappedBlkaddr", d.uniaddrLo() | ((long) d.uniaddrHi() << 32));
                devs.add(m);
                s.text("Filesystem device " + i, "tag \"" + m.get("tag") + "\", " + m.get("blocks") + " blocks, "
                        + "mapped at block " + m.get("mappedBlkaddr"));
                i++;
            }
            s.json("devices", devs);
        }
    }

    private static String cstring(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static String uuid(byte[] u) {
        String h = Text.hex(u);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    /** Walks every reachable inode once. */
    private static void statistics(ErofsImage img, Section s) throws IOException {
        Map<String, Long> types = new TreeMap<>();
        Map<String, Long> layouts = new TreeMap<>();
        long[] sizeBuckets = new long[18];
        long files = 0;
        long fileBytes = 0;
        long storedBytes = 0;
        long holeBytes = 0;
        long xattrInodes = 0;
        long xattrs = 0;
        long multiLinked = 0;
        long compressed = 0;
        long entries = 0;
        Set<Long> seen = new HashSet<>();
        Deque<ErofsInode> todo = new ArrayDeque<>();
        ErofsInode root = img.root();
        seen.add(root.nid());
        todo.add(root);
        while (!todo.isEmpty()) {
            ErofsInode in = todo.poll();
            types.merge(in.type().name().toLowerCase(), 1L, Long::sum);
            layouts.merge(Erofs.layoutName(in.dataLayout()), 1L, Long::sum);
            List<Xattr> xs = in.xattrs();
            if (!xs.isEmpty()) {
                xattrInodes++;
                xattrs += xs.size();
            }
            if (in.compressed()) {
                compressed++;
            }
            if (in.type() != FileType.DIRECTORY && in.nlink() > 1) {
                multiLinked++;
            }
            if (in.type() == FileType.REGULAR) {
                files++;
                fileBytes += in.size();
                long kib = in.size() >> 10;
                int bucket = kib == 0 ? 0 : Math.min(sizeBuckets.length - 1, 64 - Long.numberOfLeadingZeros(kib));
                sizeBuckets[bucket]++;
                if (!in.compressed()) {
                    for (DataExtent x : in.dataExtents()) {
                        if (x.physicalOffset() < 0) {
                            holeBytes += x.length();
                        } else {
                            storedBytes += x.length();
                        }
                    }
                }
            }
            if (in.type() == FileType.DIRECTORY) {
                for (DirEntry e : in.children()) {
                    entries++;
                    if (seen.add(e.nid())) {
                        todo.add(img.inode(e.nid()));
                    }
                }
            }
        }
        s.put("inodes", "Inodes reached", (long) seen.size());
        s.put("directoryEntries", "Directory entries (without . and ..)", entries);
        s.put("types", "Inodes by type", types);
        s.text("Inodes by type", types.toString().replaceAll("[{}]", ""));
        s.put("layouts", "Inodes by data layout", layouts);
        s.text("Inodes by data layout", layouts.toString().replaceAll("[{}]", ""));
        s.put("compressedInodes", "Compressed inodes", compressed);
        s.put("hardLinkedInodes", "Non-directories with several links", multiLinked);
        s.put("regularFiles", "Regular files", files);
        s.put("fileBytes", "Bytes in regular files", fileBytes);
        s.put("storedBytes", "Bytes stored uncompressed", storedBytes);
        s.put("holeBytes", "Bytes in holes", holeBytes);
        s.put("xattrInodes", "Inodes with xattrs", xattrInodes);
        s.put("xattrs", "Xattrs in total", xattrs);
        List<Object> dist = Json.array();
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < sizeBuckets.length; i++) {
            long from = i == 0 ? 0 : 1L << (i - 1);
            Map<String, Object> m = Json.object();
            m.put("fromKiB", from);
            m.put("toKiB", i == sizeBuckets.length - 1 ? null : (1L << i));
            m.put("count", sizeBuckets[i]);
            dist.add(m);
            if (sizeBuckets[i] > 0) {
                t.append(String.format("%n  %6d .. %-6s KiB %8d", from,
                        i == sizeBuckets.length - 1 ? "" : Long.toString(1L << i), sizeBuckets[i]));
            }
        }
        s.json("fileSizeDistribution", dist);
        s.text("File size distribution", t.toString());
    }

    private static void inode(ErofsImage img, ErofsInode in, String path, Section s) throws IOException {
        s.put("path", "File", path == null ? null : Text.safe(path));
        s.put("nid", "NID", in.nid());
        s.put("type", "Type", in.type().name().toLowerCase().replace('_', ' '));
        s.put("mode", "Mode", String.format("0%06o", in.mode()));
        s.text("Mode", String.format("%04o/%s", in.permissions(), Text.modeString(in.type(), in.mode())));
        s.put("uid", "Uid", in.uid());
        s.put("gid", "Gid", in.gid());
        s.put("size", "Size", in.size());
        s.put("nlink", "Links", in.nlink());
        s.put("mtime", "Timestamp", in.mtimeSeconds());
        s.json("mtimeNanos", in.mtimeNanos());
        s.text("Timestamp", Text.time(in, true) + " UTC (" + in.mtimeSeconds() + ")");
        s.put("inodeOffset", "Inode offset", in.inodeOffset());
        s.put("inodeSize", "Inode size", Records.core(in).coreSize());
        s.text("Inode size", Records.core(in).coreSize() + (in.extendedInode() ? " (extended)" : " (compact)"));
        s.json("extended", in.extendedInode());
        s.put("xattrBodySize", "Xattr size", in.xattrBodySize());
        s.put("layout", "Layout", Erofs.layoutName(in.dataLayout()));
        s.text("Layout", in.dataLayout() + " (" + Erofs.layoutName(in.dataLayout()) + ")");
        s.put("compressed", "Compressed", in.compressed());
        if (in.type() == FileType.CHAR_DEVICE || in.type() == FileType.BLOCK_DEVICE) {
            s.put("rdev", "Device", in.rdevMajor() + ":" + in.rdevMinor());
        }
        if (in.type() == FileType.DIRECTORY) {
            s.put("dotOmitted", "Dot omitted", in.dotOmitted());
        }
        if (in.type() == FileType.SYMLINK) {
            byte[] t = in.readSymlink();
            s.put("target", "Target", Text.safe(new String(t, StandardCharsets.UTF_8)));
            s.json("targetHex", Text.hex(t));
        }
        List<Object> xs = Json.array();
        StringBuilder xt = new StringBuilder();
        for (Xattr x : in.xattrs()) {
            Map<String, Object> m = Json.object();
            m.put("name", Text.safe(x.name()));
            m.put("valueHex", Text.hex(x.value()));
            xs.add(m);
            xt.append(String.format("%n  %s = %s", Text.safe(x.name()), Text.value(x.value())));
        }
        s.json("xattrs", xs);
        s.text("Xattrs", xs.size() + (xs.isEmpty() ? "" : ":" + xt));
        if (in.type() == FileType.REGULAR || in.type() == FileType.DIRECTORY || in.type() == FileType.SYMLINK) {
            List<Object> ex = Json.array();
            StringBuilder et = new StringBuilder();
            List<DataExtent> extents;
            try {
                extents = in.dataExtents();
            } catch (IOException e) {
                if (!ImageArgs.isUnsupported(e)) {
                    throw e;
                }
                extents = List.of();
                s.put("extentsError", "Extents", ImageArgs.reason(e));
            }
            int i = 0;
            for (DataExtent x : extents) {
                Map<String, Object> m = Json.object();
                m.put("logicalOffset", x.logicalOffset());
                m.put("length", x.length());
                m.put("device", x.device());
                m.put("physicalOffset", x.physicalOffset() < 0 ? null : x.physicalOffset());
                m.put("compressed", x.compressed());
                ex.add(m);
                et.append(String.format("%n  %4d: %12d..%12d | %10d : %s", i++, x.logicalOffset(),
                        x.logicalOffset() + x.length(), x.length(), x.physicalOffset() < 0 ? "hole"
                                : (x.device() == 0 ? "" : x.device() == DataExtent.METABOX ? "metabox "
                                        : "device " + x.device() + " ") + (x.compressed()
                                        ? "compressed, from " + x.physicalOffset()
                                        : x.physicalOffset() + ".." + (x.physicalOffset() + x.length()))));
            }
            if (!extents.isEmpty() || !s.has("extentsError")) {
                s.json("extents", ex);
                s.text("Extents", extents.size() + (extents.isEmpty() ? ""
                        : ":  (logical from..to | length : physical from..to)" + et));
            }
        }
        if (in.type() == FileType.DIRECTORY) {
            List<DirEntry> entries = in.entries();
            s.put("entryCount", "Entries", entries.size());
            {
                List<Object> es = Json.array();
                StringBuilder lt = new StringBuilder();
                for (DirEntry e : entries) {
                    Map<String, Object> m = Json.object();
                    m.put("name", Text.safe(e.name()));
                    m.put("nid", e.nid());
                    m.put("fileType", e.fileType());
                    es.add(m);
                    lt.append(String.format("%n  %12d %2d %s", e.nid(), e.fileType(), Text.safe(e.name())));
                }
                s.jsonIf("entries", es);
                s.textIf("Entries", entries.size() + ":  (nid, dirent type, name)" + lt);
            }
        }
    }

    /** The first path (breadth first, on-disk order) that reaches a nid, or null. */
    private static String findPath(ErofsImage img, long nid) throws IOException {
        if (nid == img.rootNid()) {
            return "/";
        }
        Set<Long> seen = new HashSet<>();
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.add(new Object[] {img.root(), ""});
        seen.add(img.rootNid());
        while (!todo.isEmpty()) {
            Object[] f = todo.poll();
            ErofsInode dir = (ErofsInode) f[0];
            for (DirEntry e : dir.children()) {
                String p = f[1] + "/" + e.name();
                if (e.nid() == nid) {
                    return p;
                }
                if (e.fileType() == Erofs.FT_DIR && seen.add(e.nid())) {
                    todo.add(new Object[] {img.inode(e.nid()), p});
                }
            }
        }
        return null;
    }

    /** Collects labelled fields once, for both the JSON and the text output. */
    final class Fields {
        private final List<Section> sections = new ArrayList<>();

        Section section(Map<String, Object> doc, String key, String title) {
            Section s = new Section(title);
            doc.put(key, s.json);
            sections.add(s);
            return s;
        }

        void print(PrintWriter out) {
            boolean first = true;
            for (Section s : sections) {
                if (!first) {
                    out.println();
                }
                first = false;
                if (s.title != null) {
                    out.println(s.title + ":");
                }
                for (String[] l : s.lines) {
                    out.println(String.format("%-46s%s", l[0] + ":", l[1]));
                }
            }
        }
    }

    /** One block of fields; text lines keep the order of first mention. */
    final class Section {
        final String title;
        final Map<String, Object> json = Json.object();
        final List<String[]> lines = new ArrayList<>();

        Section(String title) {
            this.title = title;
        }

        void put(String key, String label, Object value) {
            json.put(key, value);
            text(label, value instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                    : String.valueOf(value));
        }

        boolean has(String key) {
            return json.containsKey(key);
        }

        void json(String key, Object value) {
            json.put(key, value);
        }

        void jsonIf(String key, Object value) {
            if (listEntries) {
                json.put(key, value);
            }
        }

        void textIf(String label, String value) {
            if (listEntries) {
                text(label, value);
            }
        }

        /** Sets the text of a label, replacing an earlier one (so put() then text() refines the wording). */
        void text(String label, String value) {
            for (String[] l : lines) {
                if (l[0].equals(label)) {
                    l[1] = value;
                    return;
                }
            }
            lines.add(new String[] {label, value});
        }
    }
}
