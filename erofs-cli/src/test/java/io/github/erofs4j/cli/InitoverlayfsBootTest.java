package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.initramfs.Initoverlayfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots Debian's kernel under qemu with the mini initramfs that {@code erofs initramfs} makes from a full
 * initramfs (the kernel's storage, filesystem and device-mapper modules, a static busybox, dmsetup, and an init
 * that reports what it sees), the EROFS image lying on a second virtual disk formatted ext4. Checks that the full
 * initramfs's init runs from an overlayfs root whose lower is the EROFS image through dm-verity and whose upper is
 * a writable tmpfs; that a flipped byte of file data makes reading that file fail; that a wrong root hash
 * stops the boot in the first stage; and that the same holds with a btrfs lower ({@code --lower=btrfs}).
 *
 * <p>With {@code -Derofs4j.boot.compare=BOOTS} (see {@code bench/initoverlayfs-lower.sh}) it also measures the two
 * lowers side by side: image size, build time, and the kernel's uptime when the full initramfs's init starts.
 */
@Tag("boot")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitoverlayfsBootTest {
    private static final String LABEL = "erofsboot";
    private static final String IMAGE_ON_DISK = "/boot/initoverlayfs.erofs";
    private static final String BTRFS_ON_DISK = "/boot/initoverlayfs.btrfs";
    private static final String ARG = "initoverlayfs_test_arg";
    private static final int BOOT_TIMEOUT = 420;

    private Path work;
    private BootHarness.Kernel kernel;
    private Path initrd;
    private Path out;
    private Path disk;
    private String rootHash;
    private Path outBtrfs;
    private Path diskBtrfs;
    private String rootHashBtrfs;
    private String canaryMd5;
    private String skip;

    @BeforeAll
    void prepare() throws Exception {
        StringBuilder why = new StringBuilder();
        kernel = BootHarness.kernelForBootTest(why);
        if (kernel == null) {
            skip = why.toString();
            return;
        }
        for (String tool : List.of("mkfs.ext4", "mkfs.btrfs", "cpio", "zstd", "ldd", "/usr/sbin/dmsetup",
                "/bin/busybox")) {
            assertTrue(BootHarness.onPath(tool), tool + " is missing (see .ci/run for the packages)");
        }
        work = Path.of("target", "boot-test").toAbsolutePath();
        BootHarness.deleteTree(work);
        Files.createDirectories(work);
        Path full = work.resolve("full");
        canaryMd5 = assembleFullInitramfs(full);
        initrd = work.resolve("initrd.img");
        writeInitrd(full, initrd);

        out = work.resolve("out");
        rootHash = find(convert(out, "erofs"), "Root hash: +([0-9a-f]{64})");
        disk = work.resolve("disk.img");
        makeDisk(out.resolve(Initoverlayfs.IMAGE), IMAGE_ON_DISK, disk);
        outBtrfs = work.resolve("out-btrfs");
        rootHashBtrfs = find(convert(outBtrfs, "btrfs"), "Root hash: +([0-9a-f]{64})");
        diskBtrfs = work.resolve("disk-btrfs.img");
        makeDisk(outBtrfs.resolve(Initoverlayfs.IMAGE_BTRFS), BTRFS_ON_DISK, diskBtrfs);
    }

    /** Runs {@code erofs initramfs} on the test's initramfs with this lower; returns what it printed. */
    private String convert(Path outDir, String lower) {
        Cli.Result r = Cli.run("initramfs", initrd.toString(), outDir.toString(), "--bootfs=LABEL=" + LABEL,
                "--fs=" + (lower.equals("btrfs") ? BTRFS_ON_DISK : IMAGE_ON_DISK), "--timeout=120",
                "--lower=" + lower);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("sbin/dmsetup <- initramfs:/"), "dmsetup taken from the full initramfs:\n"
                + r.out());
        return r.out();
    }

    /** The first group of {@code regex} in {@code text}. */
    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in:\n" + text);
        return m.group(1);
    }

    /**
     * A measurement, not a check, run by {@code bench/initoverlayfs-lower.sh}: the two lowers from the same input
     * side by side in one run. Image size; build time of {@code erofs initramfs} in this JVM (three builds each,
     * alternating; the first of all also warms the JVM); whether a second build gives the same bytes; and the
     * kernel's uptime when the full initramfs's init starts (BOOTS boots each, alternating). Prints
     * {@code compare:} lines; the medians are the results.
     */
    @Test
    @Order(6)
    void compareLowers() throws Exception {
        assumeTrue(skip == null, skip);
        String boots = System.getProperty("erofs4j.boot.compare");
        assumeTrue(boots != null, "a measurement: bench/initoverlayfs-lower.sh runs it (-Derofs4j.boot.compare=N)");
        List<String> lowers = List.of("erofs", "btrfs");
        java.util.Map<String, List<Double>> build = new java.util.TreeMap<>();
        java.util.Map<String, List<Double>> cpu = new java.util.TreeMap<>();
        java.util.Map<String, List<Double>> reached = new java.util.TreeMap<>();
        java.util.Map<String, List<Double>> stage = new java.util.TreeMap<>();
        java.util.Map<String, Path> first = new java.util.TreeMap<>();
        for (int i = 0; i < 3; i++) {
            for (String lower : lowers) {
                Path o = work.resolve("compare-" + lower + "-" + i);
                double cpu0 = cpuSeconds();
                long t0 = System.nanoTime();
                String printed = convert(o, lower);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuUsed = cpuSeconds() - cpu0;
                build.computeIfAbsent(lower, k -> new java.util.ArrayList<>()).add(seconds);
                cpu.computeIfAbsent(lower, k -> new java.util.ArrayList<>()).add(cpuUsed);
                Path image = o.resolve(lower.equals("btrfs") ? Initoverlayfs.IMAGE_BTRFS : Initoverlayfs.IMAGE);
                System.out.printf("compare: %s build %d: %.1f s, CPU %.1f s; image %d bytes (%s bytes of filesystem), "
                        + "first stage %d bytes%n", lower, i, seconds, cpuUsed, Files.size(image),
                        find(printed, "\\((\\d+) bytes of"), Files.size(o.resolve(Initoverlayfs.MINI)));
                if (first.containsKey(lower)) {
                    Path a = first.get(lower);
                    System.out.printf("compare: %s build %d has the bytes of build 0: image %s, first stage %s%n",
                            lower, i, Files.mismatch(a.resolve(image.getFileName()), image) < 0,
                            Files.mismatch(a.resolve(Initoverlayfs.MINI), o.resolve(Initoverlayfs.MINI)) < 0);
                    BootHarness.deleteTree(o);
                } else {
                    first.put(lower, o);
                }
            }
        }
        for (int i = 0; i < Integer.parseInt(boots); i++) {
            for (String lower : lowers) {
                boolean b = lower.equals("btrfs");
                BootHarness.Console c = boot("compare-" + lower + "-" + i,
                        (b ? outBtrfs : out).resolve(Initoverlayfs.MINI), b ? diskBtrfs : disk);
                String up = c.line("FULLINIT: uptime ");
                assertNotNull(up, c.text());
                double at = Double.parseDouble(up.split(" ")[0]);
                reached.computeIfAbsent(lower, k -> new java.util.ArrayList<>()).add(at);
                // The first stage's share: from the kernel starting the mini initramfs's /init to the full init.
                double started = Double.parseDouble(find(c.text(), "\\[ *([0-9.]+)\\] Run /init as init process"));
                stage.computeIfAbsent(lower, k -> new java.util.ArrayList<>())
                        .add(Math.round((at - started) * 100) / 100.0);
            }
        }
        for (String lower : lowers) {
            System.out.printf("compare: %s: build median %.1f s of %s, CPU median %.1f s of %s; full init reached "
                    + "at median %.2f s of %s; first stage median %.2f s of %s%n", lower, median(build.get(lower)),
                    build.get(lower), median(cpu.get(lower)), cpu.get(lower), median(reached.get(lower)),
                    reached.get(lower), median(stage.get(lower)), stage.get(lower));
        }
    }

    /**
     * CPU seconds used by this JVM and by its children that have ended (mkfs.btrfs among them), from
     * /proc/self/stat (utime, stime, cutime, cstime; clock ticks of 1/100 s).
     */
    private static double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int i = 11; i <= 14; i++) {
            ticks += Long.parseLong(f[i]);
        }
        return ticks / 100.0;
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    /** Removes the large files (disk images, trees, initramfs images), keeping the console logs. */
    @AfterAll
    void removeLargeFiles() throws IOException {
        BootHarness.keepOnlyLogs(work);
    }

    @Test
    @Order(1)
    void miniInitramfsKeepsTheEarlyPartAndIsSmall() throws IOException {
        assumeTrue(skip == null, skip);
        byte[] in = Files.readAllBytes(initrd);
        byte[] mini = Files.readAllBytes(out.resolve(Initoverlayfs.MINI));
        int early = earlyLength;
        assertTrue(early > 0);
        assertArrayEquals(java.util.Arrays.copyOf(in, early), java.util.Arrays.copyOf(mini, early),
                "the early cpio is copied unchanged");
        assertEquals(0x28, mini[early] & 0xFF, "the main part is zstd, as the input's");
        assertTrue(mini.length < in.length / 2, "mini " + mini.length + " bytes, input " + in.length);
    }

    @Test
    @Order(2)
    void bootsIntoTheFullInitramfsFromAnOverlayOverVerifiedErofs() throws Exception {
        assumeTrue(skip == null, skip);
        BootHarness.Console c = boot("pristine", out.resolve(Initoverlayfs.MINI), disk);
        // Of the filesystem modules, only the boot filesystem's are loaded (xfs and btrfs are in the initramfs).
        assertFalse(c.has("SGI XFS") || c.has("Btrfs loaded"), c.text());
        assertBootedFromVerifiedLower(c, "erofs", rootHash);
    }

    /** The full initramfs's init runs as well from an overlay over the btrfs lower, through dm-verity. */
    @Test
    @Order(5)
    void bootsIntoTheFullInitramfsFromAnOverlayOverVerifiedBtrfs() throws Exception {
        assumeTrue(skip == null, skip);
        BootHarness.Console c = boot("btrfs", outBtrfs.resolve(Initoverlayfs.MINI), diskBtrfs);
        // The lower's filesystem is loaded besides the boot filesystem's; erofs is not needed.
        assertTrue(c.has("Btrfs loaded"), c.text());
        assertFalse(c.has("SGI XFS"), c.text());
        assertBootedFromVerifiedLower(c, "btrfs", rootHashBtrfs);
    }

    private void assertBootedFromVerifiedLower(BootHarness.Console c, String lowerType, String hash) {
        assertTrue(c.has("initoverlayfs: dm-verity active over /dev/loop"), c.text());
        assertTrue(c.has("EXT4-fs (vda): mounted"), c.text());
        // Storage drivers load for the devices present: this machine has virtio and IDE, no USB or NVMe.
        assertFalse(c.has("usb-storage") || c.has("nvme"), c.text());
        // The boot filesystem is mounted as the type blkid found, not by trying every filesystem the kernel knows.
        assertFalse(c.has("erofs: (device vda)"), c.text());
        String started = c.line("FULLINIT: started as pid ");
        assertNotNull(started, c.text());
        assertTrue(started.startsWith("1 with arguments:") && started.contains(ARG),
                "the full init is pid 1 and gets the kernel's arguments: " + started);
        String root = c.line("FULLINIT: root ");
        assertTrue(root.startsWith("overlay overlay rw,"), root);
        assertTrue(root.contains("lowerdir=/run/initoverlayfs/lower"), root);
        assertTrue(root.contains("upperdir=/run/initoverlayfs/rw/upper"), root);
        assertEquals("/dev/mapper/initoverlayfs " + lowerType + " ro", firstWords(c.line("FULLINIT: lower "), 2)
                + " " + c.line("FULLINIT: lower ").split(" ")[2].split(",")[0]);
        assertTrue(c.line("FULLINIT: upper ").startsWith("tmpfs tmpfs rw"), c.line("FULLINIT: upper "));
        assertTrue(c.has("FULLINIT: this init is in the lower"), c.text());
        assertTrue(c.has("FULLINIT: root writable: the write landed in the tmpfs upper"), c.text());
        String table = c.line("FULLINIT: dm table: ");
        assertTrue(table.contains(" verity 1 /dev/loop") || table.matches(".* verity 1 7:\\d+ 7:\\d+ .*"), table);
        assertTrue(table.contains(" sha256 " + hash + " "), table);
        assertEquals(canaryMd5, c.line("FULLINIT: canary read, md5 "), c.text());
        assertTrue(c.has("FULLINIT: done"), c.text());
    }

    @Test
    @Order(3)
    void aFlippedByteOfFileDataFailsThatRead() throws Exception {
        assumeTrue(skip == null, skip);
        Path tampered = work.resolve("tampered.erofs");
        Files.copy(out.resolve(Initoverlayfs.IMAGE), tampered, StandardCopyOption.REPLACE_EXISTING);
        // The canary's first stored extent (a compressed pcluster with the default lz4hc image, or plain
        // blocks), found through the reader: one byte in its middle flipped.
        long at;
        try (io.github.erofs4j.core.read.ErofsImage img = io.github.erofs4j.core.read.ErofsImage.open(tampered)) {
            io.github.erofs4j.core.read.DataExtent first = img.resolve("/canary").dataExtents().get(0);
            assertTrue(first.physicalOffset() > 0 && first.length() > 16, "canary data in the image: " + first);
            at = first.physicalOffset() + img.blockSize() / 2;
        }
        try (var ch = java.nio.channels.FileChannel.open(tampered, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01)).position(0);
            ch.write(b, at);
        }
        Path tamperedDisk = work.resolve("tampered-disk.img");
        makeDisk(tampered, IMAGE_ON_DISK, tamperedDisk);
        BootHarness.Console c = boot("tampered", out.resolve(Initoverlayfs.MINI), tamperedDisk);
        assertTrue(c.has("FULLINIT: root overlay overlay"), c.text());
        String failed = c.line("FULLINIT: canary read failed: ");
        assertNotNull(failed, c.text());
        assertTrue(failed.contains("Input/output error"), failed);
        assertTrue(c.has("FULLINIT: done"), c.text());
    }

    @Test
    @Order(4)
    void aWrongRootHashStopsTheFirstStage() throws Exception {
        assumeTrue(skip == null, skip);
        String conf;
        try (SourceTree t = Sources.load(out.resolve(Initoverlayfs.MINI), SourceKind.CPIO,
                SourceOptions.defaults())) {
            conf = new String(read(t.tree().get(Initoverlayfs.CONFIG_PATH)), StandardCharsets.UTF_8);
        }
        assertTrue(conf.contains("verity_root_hash " + rootHash), conf);
        char c0 = rootHash.charAt(10);
        String wrong = rootHash.substring(0, 10) + (c0 == '0' ? '1' : '0') + rootHash.substring(11);
        // A later archive in the initramfs replaces a file of an earlier one: this one carries a wrong root hash.
        Path bad = work.resolve("initramfs-wrong-hash.img");
        Files.copy(out.resolve(Initoverlayfs.MINI), bad, StandardCopyOption.REPLACE_EXISTING);
        try (OutputStream o = Files.newOutputStream(bad, StandardOpenOption.APPEND)) {
            // The kernel takes a cpio header only at an offset that is a multiple of 4; zeros before it are skipped.
            o.write(new byte[(int) (-Files.size(bad) & 3)]);
            o.write(cpio(List.of(new Object[] {"etc", null},
                    new Object[] {Initoverlayfs.CONFIG_PATH, conf.replace(rootHash, wrong).getBytes()})));
        }
        BootHarness.Console c = boot("wrong-root-hash", bad, disk);
        assertTrue(c.has("initoverlayfs: FAILED: dm-verity: the image does not match the root hash"), c.text());
        assertFalse(c.has("FULLINIT:"), c.text());
    }

    private int earlyLength;

    private BootHarness.Console boot(String name, Path mini, Path diskImage) throws Exception {
        BootHarness.Console c = BootHarness.boot(kernel, mini, diskImage,
                "console=ttyS0 panic=-1 printk.time=1 " + ARG,
                l -> l.contains("FULLINIT: done") || l.contains("boot stopped; starting a shell")
                        || l.contains("Kernel panic"),
                BOOT_TIMEOUT, work.resolve(name + ".console.log"));
        System.out.printf("boot %s: %.1f s%s; uptime at the full init: %s; %s%n", name, c.seconds(),
                c.timedOut() ? " (timed out)" : "", c.line("FULLINIT: uptime "), c.line("FULLINIT: memory: "));
        return c;
    }

    private String assembleFullInitramfs(Path full) throws Exception {
        Path modSrc = kernel.modules();
        Path modDst = full.resolve("lib/modules").resolve(kernel.version());
        for (String sub : List.of("kernel/fs", "kernel/lib", "kernel/crypto", "kernel/arch", "kernel/block", "kernel/drivers/block",
                "kernel/drivers/md", "kernel/drivers/virtio", "kernel/drivers/scsi", "kernel/drivers/ata",
                "kernel/drivers/nvme", "kernel/drivers/usb", "kernel/drivers/mmc", "kernel/drivers/cdrom")) {
            copyTree(modSrc.resolve(sub), modDst.resolve(sub));
        }
        try (Stream<Path> s = Files.list(modSrc)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, modDst.resolve(p.getFileName()));
            }
        }
        Files.createDirectories(full.resolve("bin"));
        Files.createDirectories(full.resolve("sbin"));
        Files.createDirectories(full.resolve("etc"));
        Files.copy(Path.of("/bin/busybox"), full.resolve("bin/busybox"));
        copyWithLibraries(Path.of("/usr/sbin/dmsetup"), full, "sbin/dmsetup");
        byte[] init;
        try (var in = getClass().getResourceAsStream("full-init.sh")) {
            init = in.readAllBytes();
        }
        Files.write(full.resolve("init"), init);
        full.resolve("init").toFile().setExecutable(true, false);
        StringBuilder canary = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            canary.append(String.format("erofs4j canary line %05d%n", i));
        }
        byte[] cb = canary.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(full.resolve("canary"), cb);
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(cb));
    }

    /** Copies an executable and the libraries {@code ldd} names, at the same paths, into {@code root}. */
    private static void copyWithLibraries(Path exe, Path root, String dest) throws Exception {
        Files.copy(exe, root.resolve(dest));
        String ldd = BootHarness.run(null, "ldd", exe.toString());
        assertNotNull(ldd, "ldd " + exe);
        Matcher m = Pattern.compile("(/\\S+) \\(0x").matcher(ldd);
        while (m.find()) {
            Path lib = Path.of(m.group(1));
            Path to = root.resolve(m.group(1).substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(lib, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void writeInitrd(Path full, Path initrd) throws Exception {
        // The early part as Debian makes it: an uncompressed cpio for the CPU microcode loader.
        byte[] early = cpio(List.of(new Object[] {"kernel", null}, new Object[] {"kernel/x86", null},
                new Object[] {"kernel/x86/microcode", null},
                new Object[] {"kernel/x86/microcode/.enuineIntel.align.0123456789abc", new byte[0]}));
        earlyLength = early.length;
        Path main = work.resolve("main.cpio.zst");
        String made = BootHarness.run(full, "sh", "-c", "find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 "
                + "| zstd -q -3 -T1 > " + main);
        assertNotNull(made, "cpio | zstd");
        try (OutputStream o = Files.newOutputStream(initrd)) {
            o.write(early);
            Files.copy(main, o);
        }
    }

    private static void makeDisk(Path image, String onDisk, Path diskImage) throws Exception {
        Path dir = diskImage.resolveSibling(diskImage.getFileName() + ".d");
        BootHarness.deleteTree(dir);
        Path dest = dir.resolve(onDisk.substring(1));
        Files.createDirectories(dest.getParent());
        Files.copy(image, dest);
        BootHarness.ext4(dir, diskImage, LABEL, Files.size(image) / (1 << 20) * 5 / 4 + 32);
        BootHarness.deleteTree(dir);
    }

    /** A newc archive of directories (null content) and files, as the kernel reads it. */
    private static byte[] cpio(List<Object[]> entries) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream c = new CpioArchiveOutputStream(bo, CpioConstants.FORMAT_NEW, 512,
                "US-ASCII")) {
            long ino = 1;
            for (Object[] e : entries) {
                byte[] data = (byte[]) e[1];
                CpioArchiveEntry ce = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, (String) e[0],
                        data == null ? 0 : data.length);
                ce.setMode(data == null ? CpioConstants.C_ISDIR | 0755 : CpioConstants.C_ISREG | 0644);
                ce.setInode(ino++);
                ce.setNumberOfLinks(data == null ? 2 : 1);
                c.putArchiveEntry(ce);
                if (data != null) {
                    c.write(data);
                }
                c.closeArchiveEntry();
            }
        }
        return bo.toByteArray();
    }

    private static byte[] read(Node n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) n.size());
        try (ReadableByteChannel ch = n.content().open(0)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
        }
        return b.array();
    }

    private static String firstWords(String s, int n) {
        String[] w = s.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(n, w.length)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }
}
