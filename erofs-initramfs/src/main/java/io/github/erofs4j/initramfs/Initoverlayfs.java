package io.github.erofs4j.initramfs;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.source.Compression;
import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import io.github.erofs4j.verity.dm.DmVerityTree;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Makes an initoverlayfs pair from an initramfs: {@value #IMAGE} (the whole initramfs as EROFS, then its dm-verity
 * hash tree; or {@value #IMAGE_BTRFS}, the same as btrfs, with {@link InitramfsOptions.Lower#BTRFS}) and
 * {@value #MINI} (the first stage: the input's early uncompressed part unchanged, then a cpio with
 * the modules, a static busybox, dmsetup and blkid with their libraries, the configuration and the init script).
 * Stateless and thread-safe; with an EROFS image the output bytes depend only on the input files and the options
 * (a btrfs image is mkfs.btrfs's, which gives other bytes every time: random device and tree UUIDs, the unpacked
 * files' inode numbers and change times).
 */
public final class Initoverlayfs {
    /** File name of the EROFS image in the output directory. */
    public static final String IMAGE = "initoverlayfs.erofs";
    /** File name of the btrfs image that {@link InitramfsOptions.Lower#BTRFS} writes instead of {@value #IMAGE}. */
    public static final String IMAGE_BTRFS = "initoverlayfs.btrfs";
    /** File name of the mini initramfs in the output directory. */
    public static final String MINI = "initramfs.img";
    /** File name of the single raw EROFS image that {@link InitramfsOptions#single()} writes instead. */
    public static final String SINGLE = "initerofs.erofs";
    /** Path of the configuration inside the mini initramfs. */
    public static final String CONFIG_PATH = "etc/initoverlayfs.conf";

    private static final int BLOCK = 4096;
    private static final long MAX_FILE = 512L << 20;
    private static final List<String> LIB_DIRS = List.of("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu",
            "lib64", "usr/lib64", "lib", "usr/lib");

    /** Module names that serve one boot filesystem type, as blkid names the type. */
    private static final Map<String, String> FILESYSTEM_OF = Map.of("ext4", "ext4", "vfat", "vfat", "nls_cp437",
            "vfat", "nls_ascii", "vfat", "nls_iso8859_1", "vfat", "xfs", "xfs", "btrfs", "btrfs", "exfat", "exfat",
            "f2fs", "f2fs");

    /** Storage drivers: loaded for the devices present when modules.alias names their devices. */
    private static final java.util.Set<String> HARDWARE = java.util.Set.of("virtio_pci", "virtio_blk",
            "virtio_scsi", "sd_mod", "sr_mod", "nvme", "ahci", "ata_piix", "xhci_pci", "ehci_pci", "ohci_pci",
            "uhci_hcd", "usb_storage", "uas", "mmc_block", "sdhci_pci", "sdhci_acpi");

    private Initoverlayfs() {}

    /** The device aliases ({@code alias PATTERN MODULE} lines) of modules.alias, by normalized module name. */
    private static Map<String, List<String>> aliasesOf(byte[] text) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("alias")) {
                out.computeIfAbsent(ModulesDep.normalize(w[2]), k -> new ArrayList<>()).add(w[1]);
            }
        }
        return out;
    }

    /**
     * The image's compression from its {@code -z} spelling: {@code none}, or as {@code erofs mkfs -z} takes it
     * ({@code lz4hc[,LEVEL]}, {@code lz4}, {@code lzma}, {@code deflate}, {@code zstd}, with their options; the
     * booted kernel's EROFS driver must support the algorithm); spool files go beside the output.
     */
    private static io.github.erofs4j.core.write.Compression imageCompression(String spec) throws IOException {
        if (spec.equals("none")) {
            return io.github.erofs4j.core.write.Compression.none();
        }
        try {
            return io.github.erofs4j.core.write.Compression.parse(spec).build();
        } catch (IllegalArgumentException e) {
            throw new IOException("EROFS image compression '" + spec + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code initrd} and writes {@value #IMAGE} and {@value #MINI} into {@code outDir} (created if missing;
     * existing files of those names are replaced).
     */
    public static InitramfsResult build(Path initrd, Path outDir, InitramfsOptions o) throws IOException {
        io.github.erofs4j.core.write.Compression imageCompression = imageCompression(o.imageCompression());
        Files.createDirectories(outDir);
        long early = EarlyCpio.length(initrd);
        Compression input = mainCompression(initrd, early);
        Compression output = o.outputCompression() != null ? o.outputCompression() : input;
        compressorCheck(output);
        byte[] inputDigest = digest(initrd, Long.MAX_VALUE);

        if (o.single()) {
            return single(initrd, outDir, o, imageCompression, early, input, inputDigest);
        }
        boolean btrfs = o.lower() == InitramfsOptions.Lower.BTRFS;
        String imageName = btrfs ? IMAGE_BTRFS : IMAGE;
        Path image = outDir.resolve(imageName);
        Path mini = outDir.resolve(MINI);
        Path imageTmp = outDir.resolve(imageName + ".tmp");
        Path miniTmp = outDir.resolve(MINI + ".tmp");
        try (SourceTree source = Sources.load(initrd, SourceKind.CPIO, SourceOptions.defaults())) {
            FsTree tree = source.tree();
            Mini m = new Mini(o.sourceDateEpoch());
            Lookup inInitramfs = new TreeLookup(tree);
            Lookup onHost = new HostLookup(o.hostRoot());

            String kver = kernelVersion(tree, o.kernelVersion());
            String modDir = "lib/modules/" + kver + "/";
            byte[] dep = inInitramfs.read(modDir + "modules.dep");
            if (dep == null) {
                throw new IOException("the initramfs has no " + modDir + "modules.dep");
            }
            List<String> absent = new ArrayList<>();
            // Modules the initramfs lacks (an initramfs-tools initramfs has no erofs, overlay or dm-verity unless
            // configured to) come from the kernel's installed module tree, when there is one.
            Path modulesDir = o.modulesDir() != null ? o.modulesDir()
                    : o.hostRoot().resolve("lib/modules").resolve(kver);
            ModulesDep modulesDep = ModulesDep.parse(dep);
            Lookup installed = null;
            if (Files.isRegularFile(modulesDir.resolve("modules.dep"))) {
                modulesDep = modulesDep.withFallback(ModulesDep.parse(Files.readAllBytes(
                        modulesDir.resolve("modules.dep"))));
                installed = new HostLookup(modulesDir);
            } else if (o.modulesDir() != null) {
                throw new IOException(modulesDir + " has no modules.dep");
            }
            // Filesystem modules go in groups named by the filesystem type: the first stage loads only the boot
            // filesystem's (loading a large module such as xfs or btrfs costs seconds on a slow machine).
            List<String> always = new ArrayList<>();
            Map<String, List<String>> byFs = new TreeMap<>();
            List<String> wanted = new ArrayList<>(o.modules());
            if (btrfs) {
                // The lower's filesystem module: btrfs, loaded by the first stage whatever the boot filesystem;
                // erofs is not needed.
                wanted.removeIf(n -> ModulesDep.normalize(n).equals("erofs"));
                if (!wanted.contains("btrfs")) {
                    wanted.add("btrfs");
                }
            }
            for (String name : wanted) {
                String fsType = FILESYSTEM_OF.get(ModulesDep.normalize(name));
                if (fsType == null) {
                    always.add(name);
                } else {
                    byFs.computeIfAbsent(fsType, k -> new ArrayList<>()).add(name);
                }
            }
            // Storage drivers that modules.alias matches to devices are loaded by the first stage only for
            // devices present (busybox modprobe with the devices' modaliases), the others always.
            byte[] aliasFile = inInitramfs.read(modDir + "modules.alias");
            Map<String, List<String>> aliases = new java.util.HashMap<>();
            if (installed != null && installed.read("modules.alias") != null) {
                aliases.putAll(aliasesOf(installed.read("modules.alias")));
            }
            if (aliasFile != null) {
                aliases.putAll(aliasesOf(aliasFile));
            }
            List<String> hardware = new ArrayList<>();
            List<String> core = new ArrayList<>();
            for (String name : always) {
                (HARDWARE.contains(ModulesDep.normalize(name)) && aliases.containsKey(ModulesDep.normalize(name))
                        ? hardware : core).add(name);
            }
            Map<String, String> groupOf = new java.util.LinkedHashMap<>();
            for (String f : modulesDep.loadOrder(core, absent)) {
                groupOf.put(f, "-");
            }
            for (String f : modulesDep.loadOrder(hardware, absent)) {
                groupOf.putIfAbsent(f, "hw");
            }
            for (Map.Entry<String, List<String>> fsMods : byFs.entrySet()) {
                for (String f : modulesDep.loadOrder(fsMods.getValue(), absent)) {
                    groupOf.putIfAbsent(f, fsMods.getKey());
                }
            }
            List<String> loaded = new ArrayList<>();
            List<String> tools = new ArrayList<>();
            StringBuilder mods = new StringBuilder();
            for (String f : groupOf.keySet()) {
                byte[] ko = inInitramfs.read(modDir + f);
                if (ko == null && installed != null && (ko = installed.read(f)) != null) {
                    tools.add(modDir + f + " <- " + installed.describe(f));
                }
                if (ko == null) {
                    absent.add(ModulesDep.name(f) + " (" + f + " listed in modules.dep but not in the initramfs)");
                    continue;
                }
                // busybox insmod hands the kernel the file's bytes as they are: compressed modules are stored
                // decompressed.
                String plain = f;
                if (!f.endsWith(".ko")) {
                    plain = f.substring(0, f.lastIndexOf(".ko") + 3);
                    ko = decompressModule(f, ko);
                }
                m.file(modDir + plain, 0644, ko);
                loaded.add(plain);
                mods.append(groupOf.get(f)).append(' ').append(plain).append('\n');
            }

            // For modprobe: the dependencies and the device aliases of the modules included, under their stored
            // (decompressed) names.
            Map<String, String> plainOf = new java.util.HashMap<>();
            for (String f : groupOf.keySet()) {
                plainOf.put(f, f.substring(0, f.lastIndexOf(".ko") + 3));
            }
            StringBuilder depOut = new StringBuilder();
            StringBuilder aliasOut = new StringBuilder();
            for (String f : groupOf.keySet()) {
                if (!loaded.contains(plainOf.get(f))) {
                    continue;
                }
                depOut.append(plainOf.get(f)).append(':');
                for (String d : modulesDep.deps(f)) {
                    if (plainOf.containsKey(d)) {
                        depOut.append(' ').append(plainOf.get(d));
                    }
                }
                depOut.append('\n');
                if ("hw".equals(groupOf.get(f))) {
                    for (String pattern : aliases.getOrDefault(ModulesDep.name(f), List.of())) {
                        aliasOut.append("alias ").append(pattern).append(' ').append(ModulesDep.name(f))
                                .append('\n');
                    }
                }
            }
            m.file(modDir + "modules.dep", 0644, depOut.toString().getBytes(StandardCharsets.UTF_8));
            m.file(modDir + "modules.alias", 0644, aliasOut.toString().getBytes(StandardCharsets.UTF_8));

            addBusybox(m, o, inInitramfs, onHost, tools);
            boolean haveDmsetup = addTool(m, "dmsetup", inInitramfs, onHost, tools);
            if (o.dmVerity() && !haveDmsetup) {
                throw new IOException("dm-verity needs dmsetup: neither the initramfs nor the host ("
                        + o.hostRoot() + ") has one (Debian: apt-get install dmsetup)");
            }
            addTool(m, "blkid", inInitramfs, onHost, tools);

            String imageTool = null;
            if (btrfs) {
                imageTool = BtrfsLower.write(tree, imageTmp, o, UUID.nameUUIDFromBytes(inputDigest)).tool();
            } else {
                WriteOptions wo = WriteOptions.builder().buildTime(o.sourceDateEpoch())
                        .timestamps(WriteOptions.TimestampPolicy.CLAMP).uuid(UUID.nameUUIDFromBytes(inputDigest))
                        .compression(imageCompression).build();
                ErofsWriter.write(tree, imageTmp, wo);
            }
            long imageBytes = padToBlock(imageTmp);

            StringBuilder conf = new StringBuilder();
            conf.append("# initoverlayfs first-stage configuration, written by erofs4j\n");
            conf.append(o.boot().format());
            conf.append("init ").append(o.init()).append('\n');
            conf.append("timeout ").append(o.timeoutSeconds()).append('\n');
            conf.append("kernel ").append(kver).append('\n');
            if (btrfs) {
                conf.append("lower btrfs\n");
            }
            if (runInitPath(inInitramfs) != null) {
                // initramfs-tools ends in run-init (klibc's, or busybox's applet, which its shell prefers), which
                // refuses to switch from a root that is not ramfs or tmpfs: the full initramfs gets a tmpfs root
                // whose top-level directories are the overlay's.
                conf.append("root tmpfs\n");
            }
            String rootHash = null;
            String saltHex = null;
            if (o.dmVerity()) {
                byte[] salt = digest(imageTmp, imageBytes);
                DmVerityParams p = DmVerityParams.builder().salt(salt).uuid(UUID.nameUUIDFromBytes(salt))
                        .hashOffset(imageBytes).dataBlocks(imageBytes / BLOCK).build();
                DmVerityTree t = DmVerity.format(imageTmp, imageTmp, p, Parallelism.single());
                rootHash = t.rootHashHex();
                saltHex = HexFormat.of().formatHex(salt);
                conf.append("verity_version ").append(t.params().hashType()).append('\n');
                conf.append("verity_data_block_size ").append(t.params().dataBlockSize()).append('\n');
                conf.append("verity_hash_block_size ").append(t.params().hashBlockSize()).append('\n');
                conf.append("verity_data_blocks ").append(t.dataBlocks()).append('\n');
                conf.append("verity_hash_start ").append(t.hashStartBlock()).append('\n');
                conf.append("verity_algorithm ").append(t.params().algorithm().kernelName()).append('\n');
                conf.append("verity_salt ").append(saltHex).append('\n');
                conf.append("verity_root_hash ").append(rootHash).append('\n');
            }
            m.file(CONFIG_PATH, 0644, conf.toString().getBytes(StandardCharsets.UTF_8));
            m.file("etc/initoverlayfs.modules", 0644, mods.toString().getBytes(StandardCharsets.UTF_8));
            m.file("init", 0755, initScript());
            for (String d : List.of("dev", "proc", "sys", "run", "newroot", "bin", "sbin")) {
                m.dir(d);
            }
            m.charDevice("dev/console", 0600, 5, 1);

            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(miniTmp), 1 << 16)) {
                copyPrefix(initrd, early, out);
                try (OutputStream c = compress(output, new NoClose(out))) {
                    m.writeCpio(c);
                }
            }
            Files.move(imageTmp, image, StandardCopyOption.REPLACE_EXISTING);
            Files.move(miniTmp, mini, StandardCopyOption.REPLACE_EXISTING);
            return new InitramfsResult(image, imageBytes, mini, rootHash, saltHex, kver, List.copyOf(loaded),
                    List.copyOf(absent), List.copyOf(tools), early, input, output, o.lower(), imageTool);
        } finally {
            Files.deleteIfExists(imageTmp);
            Files.deleteIfExists(miniTmp);
        }
    }

    /**
     * Writes {@value #SINGLE}: the whole initramfs as one raw EROFS image, for a kernel that mounts an EROFS
     * initrd itself. No first stage and no dm-verity tree (the boot loader loads the image as a whole).
     */
    private static InitramfsResult single(Path initrd, Path outDir, InitramfsOptions o,
            io.github.erofs4j.core.write.Compression imageCompression, long early, Compression input,
            byte[] inputDigest) throws IOException {
        Path image = outDir.resolve(SINGLE);
        Path imageTmp = outDir.resolve(SINGLE + ".tmp");
        try (SourceTree source = Sources.load(initrd, SourceKind.CPIO, SourceOptions.defaults())) {
            FsTree tree = source.tree();
            if (TreeLookup.resolve(tree, "init") == null) {
                throw new IOException("the initramfs has no /init");
            }
            WriteOptions wo = WriteOptions.builder().buildTime(o.sourceDateEpoch())
                    .timestamps(WriteOptions.TimestampPolicy.CLAMP).uuid(UUID.nameUUIDFromBytes(inputDigest))
                    .compression(imageCompression).build();
            ErofsWriter.write(tree, imageTmp, wo);
            long imageBytes = padToBlock(imageTmp);
            Files.move(imageTmp, image, StandardCopyOption.REPLACE_EXISTING);
            return new InitramfsResult(image, imageBytes, null, null, null, null, List.of(), List.of(), List.of(),
                    early, input, null, InitramfsOptions.Lower.EROFS, null);
        } finally {
            Files.deleteIfExists(imageTmp);
        }
    }

    /** The first-stage init script put in the mini initramfs as {@code /init}. */
    public static byte[] initScript() throws IOException {
        return resource("init.sh");
    }

    /** Where a {@code run-init} is in the initramfs, as initramfs-tools puts it, or null. */
    private static String runInitPath(Lookup initramfs) throws IOException {
        for (String p : List.of("usr/sbin/run-init", "sbin/run-init", "usr/bin/run-init", "bin/run-init")) {
            if (initramfs.read(p) != null) {
                return p;
            }
        }
        return null;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Initoverlayfs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " resource missing");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] decompressModule(String name, byte[] b) throws IOException {
        try (InputStream in = name.endsWith(".ko.xz") ? new org.tukaani.xz.XZInputStream(
                new java.io.ByteArrayInputStream(b))
                : name.endsWith(".ko.zst") ? new com.github.luben.zstd.ZstdInputStreamNoFinalizer(
                        new java.io.ByteArrayInputStream(b))
                : name.endsWith(".ko.gz") ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))
                : null) {
            if (in == null) {
                throw new IOException(name + ": unknown module compression");
            }
            byte[] out = in.readNBytes((int) MAX_FILE + 1);
            if (out.length > MAX_FILE) {
                throw new IOException(name + ": decompresses to more than " + MAX_FILE + " bytes");
            }
            return out;
        } catch (IOException e) {
            throw new IOException(name + ": cannot decompress: " + e.getMessage(), e);
        }
    }

    private static Compression mainCompression(Path initrd, long early) throws IOException {
        try (FileChannel ch = FileChannel.open(initrd)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, early);
            return Compression.detect(b.array(), b.position());
        }
    }

    private static void compressorCheck(Compression c) throws IOException {
        switch (c) {
            case NONE, GZIP, ZSTD, XZ -> { }
            default -> throw new IOException("cannot write a " + c.name().toLowerCase(java.util.Locale.ROOT)
                    + " initramfs: choose gzip, zstd, xz or none");
        }
    }

    private static OutputStream compress(Compression c, OutputStream out) throws IOException {
        return switch (c) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            // The kernel's zstd decoder for initramfs handles the window of ordinary levels; level 3 is zstd's
            // default and what a plain `zstd` run gives.
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, 3);
            // The kernel's xz decoder checks only CRC32 (or nothing).
            case XZ -> new XZOutputStream(out, new LZMA2Options(6), XZ.CHECK_CRC32);
            default -> throw new IllegalStateException(c.name());
        };
    }

    private static void copyPrefix(Path file, long n, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long left = n;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException(file + ": shorter than its early part");
                }
                out.write(buf, 0, r);
                left -= r;
            }
        }
    }

    private static byte[] digest(Path file, long limit) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update("erofs4j initoverlayfs\0".getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long left = limit;
            int r;
            while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                md.update(buf, 0, r);
                left -= r;
            }
        }
        return md.digest();
    }

    private static long padToBlock(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (padded != size) {
                ch.write(ByteBuffer.allocate((int) (padded - size)), size);
            }
            return padded;
        }
    }

    private static String kernelVersion(FsTree tree, String wanted) throws IOException {
        Node dir = TreeLookup.resolve(tree, "lib/modules");
        if (dir == null || dir.type() != FileType.DIRECTORY) {
            throw new IOException("the initramfs has no lib/modules directory");
        }
        List<String> versions = new ArrayList<>();
        for (byte[] name : dir.children().keySet()) {
            versions.add(new String(name, StandardCharsets.UTF_8));
        }
        if (wanted != null) {
            if (!versions.contains(wanted)) {
                throw new IOException("the initramfs has no lib/modules/" + wanted + " (it has " + versions + ")");
            }
            return wanted;
        }
        if (versions.size() != 1) {
            throw new IOException("the initramfs has modules for " + versions + ": name the kernel version");
        }
        return versions.get(0);
    }

    private static void addBusybox(Mini m, InitramfsOptions o, Lookup initramfs, Lookup host, List<String> tools)
            throws IOException {
        if (o.busybox() != null) {
            byte[] b = Files.readAllBytes(o.busybox());
            if (!ElfNeeded.parse(b, o.busybox().toString()).isStatic()) {
                throw new IOException(o.busybox() + " is not a static executable");
            }
            m.file("bin/busybox", 0755, b);
            tools.add("bin/busybox <- " + o.busybox());
            return;
        }
        for (Lookup l : List.of(initramfs, host)) {
            for (String p : List.of("bin/busybox", "usr/bin/busybox", "sbin/busybox", "usr/sbin/busybox")) {
                byte[] b = l.read(p);
                if (b != null && ElfNeeded.isElf(b) && ElfNeeded.parse(b, p).isStatic()) {
                    m.file("bin/busybox", 0755, b);
                    tools.add("bin/busybox <- " + l.describe(p));
                    return;
                }
            }
        }
        throw new IOException("no static busybox in the initramfs or on the host (" + o.hostRoot()
                + "): install busybox-static or name one");
    }

    /** Adds {@code sbin/NAME} with its libraries from the initramfs, else from the host; false when neither has
     *  it. */
    private static boolean addTool(Mini m, String name, Lookup initramfs, Lookup host, List<String> tools)
            throws IOException {
        for (Lookup l : List.of(initramfs, host)) {
            for (String p : List.of("sbin/" + name, "usr/sbin/" + name, "bin/" + name, "usr/bin/" + name)) {
                byte[] b = l.read(p);
                if (b != null && ElfNeeded.isElf(b)) {
                    m.file("sbin/" + name, 0755, b);
                    tools.add("sbin/" + name + " <- " + l.describe(p));
                    addLibraries(m, ElfNeeded.parse(b, p), p, l, tools);
                    return true;
                }
            }
        }
        return false;
    }

    private static void addLibraries(Mini m, ElfNeeded elf, String who, Lookup l, List<String> tools)
            throws IOException {
        Deque<String[]> work = new ArrayDeque<>();
        if (elf.interpreter() != null) {
            work.add(new String[] {elf.interpreter().substring(1), null, who});
        }
        for (String n : elf.needed()) {
            work.add(new String[] {null, n, who});
        }
        while (!work.isEmpty()) {
            String[] w = work.poll();
            String path = w[0];
            byte[] b = null;
            if (path != null) {
                b = l.read(path);
            } else {
                for (String d : LIB_DIRS) {
                    b = l.read(d + "/" + w[1]);
                    if (b != null) {
                        path = d + "/" + w[1];
                        break;
                    }
                }
            }
            if (b == null) {
                throw new IOException(w[2] + " needs " + (w[1] != null ? w[1] : "/" + w[0]) + ", which "
                        + l.describe("") + " does not have");
            }
            if (m.has(path)) {
                continue;
            }
            m.file(path, 0755, b);
            tools.add(path + " <- " + l.describe(path));
            ElfNeeded lib = ElfNeeded.parse(b, path);
            for (String n : lib.needed()) {
                work.add(new String[] {null, n, path});
            }
        }
    }

    /** Read access to files by relative path, following symlinks. */
    interface Lookup {
        /** The file's bytes, or null when it is absent or not a regular file. */
        byte[] read(String path) throws IOException;

        String describe(String path);
    }

    static final class TreeLookup implements Lookup {
        private final FsTree tree;

        TreeLookup(FsTree tree) {
            this.tree = tree;
        }

        @Override
        public byte[] read(String path) throws IOException {
            Node n = resolve(tree, path);
            if (n == null || n.type() != FileType.REGULAR) {
                return null;
            }
            long size = n.size();
            if (size > MAX_FILE) {
                throw new IOException("initramfs: " + path + " is larger than " + MAX_FILE + " bytes");
            }
            if (size == 0 || n.content() == null) {
                return new byte[0];
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            try (ReadableByteChannel ch = n.content().open(0)) {
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // fill
                }
            }
            if (buf.hasRemaining()) {
                throw new IOException("initramfs: " + path + " is shorter than its recorded size");
            }
            return buf.array();
        }

        @Override
        public String describe(String path) {
            return "initramfs:/" + path;
        }

        /** The node at {@code path}, following symbolic links in every component; null when absent. */
        static Node resolve(FsTree tree, String path) {
            Deque<String> todo = new ArrayDeque<>(split(path));
            Deque<Node> stack = new ArrayDeque<>();
            Node cur = tree.root();
            int hops = 0;
            while (!todo.isEmpty()) {
                String c = todo.poll();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    cur = stack.isEmpty() ? tree.root() : stack.pop();
                    continue;
                }
                if (cur.type() != FileType.DIRECTORY) {
                    return null;
                }
                Node next = cur.child(c);
                if (next == null) {
                    return null;
                }
                if (next.type() == FileType.SYMLINK) {
                    if (++hops > 40) {
                        return null;
                    }
                    String target = new String(next.symlinkTarget(), StandardCharsets.UTF_8);
                    List<String> parts = split(target);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.push(parts.get(i));
                    }
                    if (target.startsWith("/")) {
                        cur = tree.root();
                        stack.clear();
                    }
                    continue;
                }
                stack.push(cur);
                cur = next;
            }
            return cur;
        }

        private static List<String> split(String path) {
            List<String> out = new ArrayList<>();
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static final class HostLookup implements Lookup {
        private final Path root;

        HostLookup(Path root) {
            this.root = root;
        }

        @Override
        public byte[] read(String path) throws IOException {
            Path p = root.resolve(path);
            if (!Files.isRegularFile(p)) {
                return null;
            }
            if (Files.size(p) > MAX_FILE) {
                throw new IOException(p + " is larger than " + MAX_FILE + " bytes");
            }
            return Files.readAllBytes(p);
        }

        @Override
        public String describe(String path) {
            return "host:" + root.resolve(path);
        }
    }

    /** The mini initramfs's entries, sorted by path, written as one newc archive with fixed attributes. */
    private static final class Mini {
        private record Entry(int mode, byte[] data, int rdevMajor, int rdevMinor) { }

        private final long mtime;
        private final Map<String, Entry> entries = new TreeMap<>();

        Mini(long mtime) {
            this.mtime = mtime;
        }

        boolean has(String path) {
            return entries.containsKey(path);
        }

        void dir(String path) {
            parents(path);
            entries.putIfAbsent(path, new Entry(CpioConstants.C_ISDIR | 0755, new byte[0], 0, 0));
        }

        void file(String path, int perms, byte[] data) {
            parents(path);
            entries.put(path, new Entry(CpioConstants.C_ISREG | perms, data, 0, 0));
        }

        void charDevice(String path, int perms, int major, int minor) {
            parents(path);
            entries.put(path, new Entry(CpioConstants.C_ISCHR | perms, new byte[0], major, minor));
        }

        private void parents(String path) {
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                dir(path.substring(0, slash));
            }
        }

        void writeCpio(OutputStream out) throws IOException {
            CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW,
                    CpioConstants.BLOCK_SIZE, "US-ASCII");
            long ino = 1;
            for (Map.Entry<String, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                CpioArchiveEntry ce = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, me.getKey(), e.data().length);
                ce.setMode(e.mode());
                ce.setInode(ino++);
                ce.setNumberOfLinks((e.mode() & CpioConstants.S_IFMT) == CpioConstants.C_ISDIR ? 2 : 1);
                ce.setTime(mtime);
                ce.setUID(0);
                ce.setGID(0);
                ce.setRemoteDeviceMaj(e.rdevMajor());
                ce.setRemoteDeviceMin(e.rdevMinor());
                cpio.putArchiveEntry(ce);
                cpio.write(e.data());
                cpio.closeArchiveEntry();
            }
            cpio.finish();
            cpio.flush();
        }
    }

    /** Keeps the file stream open when a compressor closes. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
