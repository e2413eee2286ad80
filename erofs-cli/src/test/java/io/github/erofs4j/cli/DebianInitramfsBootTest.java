package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.initramfs.Initoverlayfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots Debian's kernel under qemu with a real Debian initramfs, made by initramfs-tools' {@code mkinitramfs} for
 * that kernel (in a private mount namespace, so that nothing of the host is written), through the initoverlayfs
 * pair that {@code erofs initramfs} makes of it: the first stage mounts the EROFS image through dm-verity with a
 * tmpfs overlay, then initramfs-tools' own {@code /init} runs from it, mounts a real root disk (ext4) and hands
 * over to the root's init with its own {@code run-init}, which accepts only a ramfs or tmpfs root (so the first
 * stage gives it a tmpfs root with the overlay's top-level directories bound in). The same initramfs is also
 * booted directly, to compare.
 */
@Tag("boot")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianInitramfsBootTest {
    private static final String BOOT_LABEL = "erofsboot";
    private static final String ROOT_LABEL = "erofsroot";
    private static final String IMAGE_ON_DISK = "/initoverlayfs.erofs";
    private static final String APPEND = "console=ttyS0 panic=-1 printk.time=1 root=LABEL=" + ROOT_LABEL
            + " ro fsck.mode=skip";
    private static final int BOOT_TIMEOUT = 600;

    private Path work;
    private BootHarness.Kernel kernel;
    private Path initrd;
    private Path out;
    private Path bootDisk;
    private Path rootDisk;
    private String rootHash;
    private String skip;

    @BeforeAll
    void prepare() throws Exception {
        StringBuilder why = new StringBuilder();
        kernel = BootHarness.kernelForBootTest(why);
        if (kernel == null) {
            skip = why.toString();
            return;
        }
        for (String tool : List.of("mkinitramfs", "unshare", "mkfs.ext4", "/bin/busybox")) {
            assertTrue(BootHarness.onPath(tool), tool + " is missing (see .ci/run for the packages)");
        }
        work = Path.of("target", "debian-boot-test").toAbsolutePath();
        BootHarness.deleteTree(work);
        Files.createDirectories(work);
        initrd = mkinitramfs();

        out = work.resolve("out");
        Cli.Result r = Cli.run("initramfs", initrd.toString(), out.toString(), "--bootfs=LABEL=" + BOOT_LABEL,
                "--fs=" + IMAGE_ON_DISK, "--modules-dir=" + kernel.modules(), "--timeout=120");
        assertEquals(0, r.status(), r.toString());
        Matcher m = Pattern.compile("Root hash: +([0-9a-f]{64})").matcher(r.out());
        assertTrue(m.find(), r.out());
        rootHash = m.group(1);
        // initramfs-tools puts no erofs, overlay or dm-verity module in; they come from the kernel's module tree.
        assertTrue(r.out().contains("kernel/fs/erofs/erofs.ko <- host:" + kernel.modules()), r.out());
        assertTrue(r.out().contains("sbin/dmsetup <- initramfs:/"), r.out());

        Path bootDir = work.resolve("boot.d");
        Files.createDirectories(bootDir);
        Files.copy(out.resolve(Initoverlayfs.IMAGE), bootDir.resolve(IMAGE_ON_DISK.substring(1)));
        bootDisk = work.resolve("boot.img");
        BootHarness.ext4(bootDir, bootDisk, BOOT_LABEL, Files.size(out.resolve(Initoverlayfs.IMAGE)) / (1 << 20)
                * 5 / 4 + 32);
        BootHarness.deleteTree(bootDir);

        Path rootDir = work.resolve("root.d");
        for (String d : List.of("bin", "sbin", "dev", "proc", "sys", "run", "tmp")) {
            Files.createDirectories(rootDir.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootDir.resolve("bin/busybox"));
        try (InputStream in = getClass().getResourceAsStream("root-init.sh")) {
            Files.write(rootDir.resolve("sbin/init"), in.readAllBytes());
        }
        Files.setPosixFilePermissions(rootDir.resolve("sbin/init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        rootDisk = work.resolve("root.img");
        BootHarness.ext4(rootDir, rootDisk, ROOT_LABEL, 16);
        BootHarness.deleteTree(rootDir);
    }

    /**
     * The initramfs that Debian's mkinitramfs makes for the kernel with the host's initramfs-tools configuration,
     * kept beside the unpacked kernel package for later runs.
     */
    private Path mkinitramfs() throws Exception {
        Path made = kernel.root().resolveSibling("initrd.img-mkinitramfs-report");
        if (Files.isRegularFile(made)) {
            return made;
        }
        Path script = work.resolve("mkinitramfs-chroot.sh");
        try (InputStream in = getClass().getResourceAsStream("mkinitramfs-chroot.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Path tmp = made.resolveSibling(made.getFileName() + ".tmp");
        assertNotNull(BootHarness.run(null, "sh", script.toString(), kernel.root().toString(), kernel.version(),
                work.resolve("mkinitramfs").toString(), tmp.toString()), "mkinitramfs in a private mount namespace");
        BootHarness.deleteTree(work.resolve("mkinitramfs"));
        Files.move(tmp, made);
        return made;
    }

    /** Removes the large files (disk images, outputs), keeping the console logs. */
    @AfterAll
    void removeLargeFiles() throws IOException {
        BootHarness.keepOnlyLogs(work);
    }

    /**
     * The pair's image and the single image of {@code --single}, mounted by the kernel, show what unpacking the
     * initramfs with cpio gives (time stamps aside: the images clamp them to SOURCE_DATE_EPOCH).
     */
    @Test
    @Order(0)
    void theImagesShowTheUnpackedInitramfs() throws Exception {
        assumeTrue(skip == null, skip);
        assumeTrue(KernelTools.machineProblem() == null, KernelTools.machineProblem());
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        assertNotNull(BootHarness.run(unpacked, "sh", "-c", "zstd -dc '" + initrd + "' | cpio -id --quiet"),
                "unpacking the initramfs");
        List<String> want = manifest(unpacked);
        BootHarness.deleteTree(unpacked);
        assertTrue(want.size() > 1000, "entries: " + want.size());
        KernelTools.assertSameLines(want, mounted(out.resolve(Initoverlayfs.IMAGE)), "the pair's image");

        Path single = work.resolve("single");
        // lz4 rather than the default lz4hc: the kernel decodes both alike, and lz4 takes a fraction of the time.
        Cli.Result r = Cli.run("initramfs", "--single", "-z", "lz4", initrd.toString(), single.toString());
        assertEquals(0, r.status(), r.toString());
        assertFalse(Files.exists(single.resolve(Initoverlayfs.MINI)), "no first stage");
        KernelTools.assertSameLines(want, mounted(single.resolve(Initoverlayfs.SINGLE)), "--single");
    }

    private static List<String> manifest(Path dir) throws IOException {
        return KernelTools.run(List.of("python3", KernelTools.tool("manifest.py").toString(), dir.toString(),
                "--no-mtime"), null);
    }

    private List<String> mounted(Path image) throws IOException {
        Path mnt = Files.createDirectories(work.resolve("mnt"));
        KernelTools.run(List.of("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString()), null);
        try {
            return manifest(mnt);
        } finally {
            KernelTools.run(List.of("umount", mnt.toString()), null);
        }
    }

    @Test
    @Order(1)
    void theInitramfsBootsTheRootDirectly() throws Exception {
        assumeTrue(skip == null, skip);
        BootHarness.Console c = boot("direct", initrd, List.of(rootDisk));
        assertNotNull(c.line("FULLINIT: uptime "), "the initramfs's init-top scripts ran:\n" + c.text());
        assertRootInitRan(c);
    }

    @Test
    @Order(2)
    void theInitramfsBootsTheRootThroughInitoverlayfs() throws Exception {
        assumeTrue(skip == null, skip);
        BootHarness.Console c = boot("initoverlayfs", out.resolve(Initoverlayfs.MINI), List.of(bootDisk, rootDisk));
        assertTrue(c.has("initoverlayfs: dm-verity active over /dev/loop") && c.has(", root hash " + rootHash), c.text());
        assertTrue(c.has("initoverlayfs: root: a tmpfs with the overlay's top-level directories bound in"),
                c.text());
        String handover = c.line("initoverlayfs: running /init of the full initramfs");
        assertNotNull(handover, c.text());
        // initramfs-tools' init ran from there: its first words come after the first stage's last, and its
        // run-init accepted the root.
        int full = c.text().indexOf("Loading, please wait...");
        assertTrue(full > c.text().indexOf("initoverlayfs: running /init"), c.text());
        assertFalse(c.has("run-init: "), c.text());
        assertNotNull(c.line("FULLINIT: uptime "), "the initramfs's init-top scripts ran:\n" + c.text());
        assertRootInitRan(c);
        assertEquals("initoverlayfs", c.line("ROOTINIT: device-mapper "), "the image's dm-verity device is there");
    }

    private static void assertRootInitRan(BootHarness.Console c) {
        String started = c.line("ROOTINIT: started as pid ");
        assertNotNull(started, c.text());
        assertTrue(started.startsWith("1 "), "the root's init is pid 1: " + started);
        String root = c.line("ROOTINIT: root ");
        assertTrue(root.startsWith("/dev/vd") && root.contains(" ext4 ro"), "the root is the ext4 disk: " + root);
        assertEquals("0", c.line("ROOTINIT: overlay mounts "), "the root's mount table shows no overlay");
        assertTrue(c.has("ROOTINIT: done"), c.text());
    }

    private BootHarness.Console boot(String name, Path image, List<Path> disks) throws Exception {
        BootHarness.Console c = BootHarness.boot(kernel, image, disks, APPEND,
                l -> l.contains("ROOTINIT: done") || l.contains("boot stopped; starting a shell")
                        || l.contains("Kernel panic") || l.contains("Rebooting automatically due to panic"),
                BOOT_TIMEOUT, work.resolve(name + ".console.log"));
        System.out.printf("boot %s: %.1f s%s; kernel ran the first init at %s; full init %s; its init-top at %s; "
                + "root init at uptime %s; %s%n", name, c.seconds(), c.timedOut() ? " (timed out)" : "",
                kernelTime(c, "Run /init as init process"), c.line("initoverlayfs: running /init of the full "
                + "initramfs"), c.line("FULLINIT: uptime "), c.line("ROOTINIT: uptime "),
                c.line("ROOTINIT: memory: "));
        return c;
    }

    /** The kernel's time stamp of the first console line holding {@code text}, or null. */
    private static String kernelTime(BootHarness.Console c, String text) {
        for (String l : c.text().split("\r?\n")) {
            Matcher m = Pattern.compile("^\\[\\s*([0-9.]+)\\] .*").matcher(l);
            if (l.contains(text) && m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }
}
