package io.github.erofs4j.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.source.Compression;
import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds initoverlayfs pairs from a small made-up initramfs (an early cpio, then a gzip cpio with a modules.dep,
 * placeholder module files, an init and the host's static busybox) and checks both outputs, their
 * reproducibility and the dm-verity tree.
 */
class InitoverlayfsTest {
    private static final String KVER = "9.9.9-test";
    private static final BootConfig BOOT = new BootConfig("LABEL=boot", null, "/initoverlayfs.erofs");

    @TempDir
    Path tmp;

    private Path initrd;
    private byte[] early;

    @BeforeEach
    void initrd() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")) && Files.isRegularFile(Path.of("/usr/sbin/dmsetup")),
                "needs busybox-static and dmsetup on the host");
        early = Samples.newc(List.of(new Samples.Entry("kernel", null), new Samples.Entry("kernel/x86", null),
                new Samples.Entry("kernel/x86/microcode", null),
                new Samples.Entry("kernel/x86/microcode/AuthenticAMD.bin", new byte[] {9, 8, 7})));
        String m = "lib/modules/" + KVER + "/";
        byte[] main = Samples.newc(List.of(
                new Samples.Entry("init", "#!/bin/sh\necho full\n".getBytes(StandardCharsets.US_ASCII)),
                new Samples.Entry("bin", null),
                new Samples.Entry("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox"))),
                new Samples.Entry("lib", null), new Samples.Entry("lib/modules", null),
                new Samples.Entry("lib/modules/" + KVER, null),
                new Samples.Entry(m + "modules.dep", ("kernel/fs/erofs/erofs.ko: kernel/lib/libcrc32c.ko\n"
                        + "kernel/lib/libcrc32c.ko:\nkernel/drivers/md/dm-verity.ko: kernel/drivers/md/dm-mod.ko.xz\n"
                        + "kernel/drivers/md/dm-mod.ko.xz:\nkernel/drivers/block/loop.ko:\n"
                        + "kernel/fs/ext4/ext4.ko: kernel/lib/libcrc32c.ko\nkernel/drivers/block/virtio_blk.ko:\n")
                        .getBytes(StandardCharsets.US_ASCII)),
                new Samples.Entry(m + "kernel", null), new Samples.Entry(m + "kernel/fs", null),
                new Samples.Entry(m + "modules.alias", ("alias virtio:d00000002v* virtio_blk\n"
                        + "alias fs-erofs erofs\n").getBytes(StandardCharsets.US_ASCII)),
                new Samples.Entry(m + "kernel/drivers/block", null),
                new Samples.Entry(m + "kernel/drivers/block/virtio_blk.ko", "virtio_blk module".getBytes()),
                new Samples.Entry(m + "kernel/fs/erofs", null), new Samples.Entry(m + "kernel/fs/ext4", null),
                new Samples.Entry(m + "kernel/fs/ext4/ext4.ko", "ext4 module".getBytes()),
                new Samples.Entry(m + "kernel/fs/erofs/erofs.ko", "erofs module".getBytes()),
                new Samples.Entry(m + "kernel/lib", null),
                new Samples.Entry(m + "kernel/lib/libcrc32c.ko", "libcrc32c module".getBytes()),
                new Samples.Entry(m + "kernel/drivers", null), new Samples.Entry(m + "kernel/drivers/md", null),
                new Samples.Entry(m + "kernel/drivers/md/dm-verity.ko", "dm-verity module".getBytes()),
                new Samples.Entry(m + "kernel/drivers/md/dm-mod.ko.xz", Samples.xz("dm-mod module".getBytes())),
                new Samples.Entry("canary", "x".repeat(10000).getBytes())));
        initrd = tmp.resolve("initrd.img");
        Files.write(initrd, Samples.concat(early, Samples.gzip(main)));
    }

    private InitramfsOptions.Builder options() {
        return InitramfsOptions.builder(BOOT).sourceDateEpoch(1_700_000_000L);
    }

    @Test
    void writesBothOutputsWithTheirParts() throws IOException {
        InitramfsResult r = Initoverlayfs.build(initrd, tmp.resolve("out"), options().build());
        assertEquals(KVER, r.kernelVersion());
        assertEquals(Compression.GZIP, r.inputCompression());
        assertEquals(Compression.GZIP, r.outputCompression());
        assertEquals(early.length, r.earlyBytes());
        assertEquals(List.of("kernel/lib/libcrc32c.ko", "kernel/fs/erofs/erofs.ko", "kernel/drivers/md/dm-mod.ko",
                "kernel/drivers/md/dm-verity.ko", "kernel/drivers/block/virtio_blk.ko", "kernel/fs/ext4/ext4.ko"),
                r.modules());
        assertFalse(r.modules().contains("kernel/drivers/block/loop.ko"), "listed in modules.dep, absent as file");
        assertTrue(r.absentModules().stream().anyMatch(a -> a.startsWith("loop (")), r.absentModules().toString());
        assertTrue(r.absentModules().contains("overlay"), "no overlay module in this kernel");
        assertTrue(r.tools().contains("bin/busybox <- initramfs:/bin/busybox"), r.tools().toString());
        assertTrue(r.tools().stream().anyMatch(t -> t.startsWith("sbin/dmsetup <- host:")), r.tools().toString());

        byte[] mini = Files.readAllBytes(r.miniInitramfs());
        assertArrayEquals(early, Arrays.copyOf(mini, early.length), "early part unchanged");
        assertEquals(0x1F, mini[early.length] & 0xFF, "then gzip, as the input");
        try (SourceTree t = Sources.load(r.miniInitramfs(), SourceKind.CPIO, SourceOptions.defaults())) {
            FsTree tree = t.tree();
            assertArrayEquals(Initoverlayfs.initScript(), read(tree.get("init")));
            assertEquals(0755, tree.get("init").permissions());
            assertArrayEquals(Files.readAllBytes(Path.of("/bin/busybox")), read(tree.get("bin/busybox")));
            assertArrayEquals(Files.readAllBytes(Path.of("/usr/sbin/dmsetup")), read(tree.get("sbin/dmsetup")));
            assertNotNull(tree.get("lib64/ld-linux-x86-64.so.2"));
            assertNotNull(tree.get("lib/x86_64-linux-gnu/libc.so.6"));
            assertEquals(FileType.CHAR_DEVICE, tree.get("dev/console").type());
            assertEquals("erofs module", new String(read(tree.get("lib/modules/" + KVER
                    + "/kernel/fs/erofs/erofs.ko"))));
            assertEquals("dm-mod module", new String(read(tree.get("lib/modules/" + KVER
                    + "/kernel/drivers/md/dm-mod.ko"))), "compressed modules are stored decompressed");
            assertNull(tree.get("canary"), "the mini initramfs holds only the first stage");
            assertEquals("- kernel/lib/libcrc32c.ko\n- kernel/fs/erofs/erofs.ko\n- kernel/drivers/md/dm-mod.ko\n"
                    + "- kernel/drivers/md/dm-verity.ko\nhw kernel/drivers/block/virtio_blk.ko\n"
                    + "ext4 kernel/fs/ext4/ext4.ko\n", new String(read(tree.get("etc/initoverlayfs.modules"))));
            // For busybox modprobe: dependencies under the stored names, and the device aliases of storage drivers.
            String dep = new String(read(tree.get("lib/modules/" + KVER + "/modules.dep")));
            assertTrue(dep.contains("kernel/drivers/md/dm-verity.ko: kernel/drivers/md/dm-mod.ko\n"), dep);
            assertEquals("alias virtio:d00000002v* virtio_blk\n",
                    new String(read(tree.get("lib/modules/" + KVER + "/modules.alias"))));
            String conf = new String(read(tree.get(Initoverlayfs.CONFIG_PATH)), StandardCharsets.UTF_8);
            assertTrue(conf.contains("\nbootfs LABEL=boot\nfs /initoverlayfs.erofs\ninit /init\ntimeout 30\n"
                    + "kernel " + KVER + "\n"), conf);
            assertTrue(conf.contains("\nverity_root_hash " + r.rootHash() + "\n"), conf);
            assertTrue(conf.contains("\nverity_salt " + r.salt() + "\n"), conf);
            assertTrue(conf.contains("\nverity_data_blocks " + r.imageBytes() / 4096 + "\n"), conf);
            assertTrue(conf.contains("\nverity_hash_start " + (r.imageBytes() / 4096 + 1) + "\n"), conf);
        }

        // The image: EROFS of the whole initramfs, then a dm-verity tree that checks against the root hash.
        long size = Files.size(r.image());
        assertTrue(size > r.imageBytes(), "tree appended");
        DmVerity.verify(r.image(), r.image(), HexFormat.of().parseHex(r.rootHash()),
                DmVerityParams.builder().hashOffset(r.imageBytes()).build(), Parallelism.single());
        try (ErofsImage img = ErofsImage.open(r.image())) {
            assertNotNull(img.resolve("/canary"));
            assertNotNull(img.resolve("/kernel/x86/microcode/AuthenticAMD.bin"));
            assertNotNull(img.resolve("/lib/modules/" + KVER + "/modules.dep"));
        }
    }

    @Test
    void sameInputAndOptionsGiveTheSameBytes() throws IOException {
        InitramfsResult a = Initoverlayfs.build(initrd, tmp.resolve("a"), options().build());
        InitramfsResult b = Initoverlayfs.build(initrd, tmp.resolve("b"), options().build());
        assertArrayEquals(Files.readAllBytes(a.image()), Files.readAllBytes(b.image()));
        assertArrayEquals(Files.readAllBytes(a.miniInitramfs()), Files.readAllBytes(b.miniInitramfs()));
        InitramfsResult c = Initoverlayfs.build(initrd, tmp.resolve("c"), options().sourceDateEpoch(1).build());
        assertFalse(Arrays.equals(Files.readAllBytes(a.miniInitramfs()), Files.readAllBytes(c.miniInitramfs())),
                "the time stamps come from SOURCE_DATE_EPOCH");
    }

    @Test
    void otherCompressionsAndNoVerity() throws IOException {
        for (Compression z : List.of(Compression.ZSTD, Compression.XZ, Compression.NONE)) {
            InitramfsResult r = Initoverlayfs.build(initrd, tmp.resolve(z.name()),
                    options().outputCompression(z).dmVerity(false).build());
            assertNull(r.rootHash());
            assertEquals(r.imageBytes(), Files.size(r.image()), "no tree appended");
            byte[] mini = Files.readAllBytes(r.miniInitramfs());
            byte[] head = Arrays.copyOfRange(mini, early.length, early.length + 8);
            assertEquals(z, Compression.detect(head, head.length));
            if (z == Compression.NONE) {
                assertEquals("070701", new String(head, 0, 6, StandardCharsets.US_ASCII));
            }
            try (SourceTree t = Sources.load(r.miniInitramfs(), SourceKind.CPIO, SourceOptions.defaults())) {
                String conf = new String(read(t.tree().get(Initoverlayfs.CONFIG_PATH)), StandardCharsets.UTF_8);
                assertFalse(conf.contains("verity_"), conf);
            }
        }
    }

    @Test
    void refusesWhatItCannotDo() throws IOException {
        Path emptyHost = Files.createDirectories(tmp.resolve("host"));
        IOException e = assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, tmp.resolve("x"),
                options().hostRoot(emptyHost).build()));
        assertTrue(e.getMessage().contains("dmsetup"), e.getMessage());
        // Without dm-verity no dmsetup is needed, and blkid is optional.
        InitramfsResult r = Initoverlayfs.build(initrd, tmp.resolve("y"), options().hostRoot(emptyHost)
                .dmVerity(false).build());
        assertTrue(r.tools().stream().noneMatch(t -> t.startsWith("sbin/")), r.tools().toString());
        assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, tmp.resolve("z"),
                options().imageCompression("brotli").build()));
        assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, tmp.resolve("z"),
                options().imageCompression("lz4hc,13").build()));
        assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, tmp.resolve("z"),
                options().kernelVersion("1.0").build()));
        assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, tmp.resolve("z"),
                options().outputCompression(Compression.LZ4_LEGACY).build()));
    }

    @Test
    void btrfsLowerNeedsMkfsBtrfsAndSaysWhichPackage() throws IOException {
        Path out = tmp.resolve("nobtrfs");
        for (String missing : List.of("/nonexistent/mkfs.btrfs", "mkfs.btrfs-not-installed")) {
            IOException e = assertThrows(IOException.class, () -> Initoverlayfs.build(initrd, out,
                    options().lower(InitramfsOptions.Lower.BTRFS).mkfsBtrfs(missing).build()));
            assertTrue(e.getMessage().contains(missing + " not found") && e.getMessage().contains("btrfs-progs"),
                    e.getMessage());
        }
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "a failed build leaves nothing behind");
        }
        assertThrows(IllegalArgumentException.class,
                () -> options().single(true).lower(InitramfsOptions.Lower.BTRFS).build());
    }

    /**
     * The btrfs lower: mkfs.btrfs's image of the whole initramfs behind the same dm-verity tree; the first stage
     * is told to mount btrfs and carries no erofs module. Loop-mounted, it shows the same tree as the EROFS lower.
     */
    @Test
    @Tag("kernel")
    void btrfsLowerHoldsTheSameTreeBehindDmVerity() throws IOException, InterruptedException {
        assumeTrue(onPath("mkfs.btrfs"), "mkfs.btrfs is not installed (Debian: apt-get install btrfs-progs)");
        InitramfsResult r = Initoverlayfs.build(initrd, tmp.resolve("btrfs"),
                options().lower(InitramfsOptions.Lower.BTRFS).build());
        assertEquals(Initoverlayfs.IMAGE_BTRFS, r.image().getFileName().toString());
        assertEquals(InitramfsOptions.Lower.BTRFS, r.lower());
        assertTrue(r.imageTool().startsWith("mkfs.btrfs, part of btrfs-progs"), r.imageTool());
        try (var s = Files.list(r.image().getParent())) {
            assertEquals(List.of(Initoverlayfs.IMAGE_BTRFS, Initoverlayfs.MINI),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no scratch files left");
        }
        DmVerity.verify(r.image(), r.image(), HexFormat.of().parseHex(r.rootHash()),
                DmVerityParams.builder().hashOffset(r.imageBytes()).build(), Parallelism.single());
        assertFalse(r.modules().contains("kernel/fs/erofs/erofs.ko"), r.modules().toString());
        try (SourceTree t = Sources.load(r.miniInitramfs(), SourceKind.CPIO, SourceOptions.defaults())) {
            String conf = new String(read(t.tree().get(Initoverlayfs.CONFIG_PATH)), StandardCharsets.UTF_8);
            assertTrue(conf.contains("\nlower btrfs\n"), conf);
            assertTrue(conf.contains("\nverity_data_blocks " + r.imageBytes() / 4096 + "\n"), conf);
        }
        String why = machineProblem();
        assumeTrue(why == null, why);
        InitramfsResult e = Initoverlayfs.build(initrd, tmp.resolve("erofs"), options().build());
        List<String> want = view(e.image(), "erofs", e.imageBytes());
        List<String> got = view(r.image(), "btrfs", r.imageBytes());
        // mkfs.btrfs gives the root directory its own time (when it ran), not the source directory's.
        assertEquals(want.get(0).substring(0, want.get(0).lastIndexOf(' ')),
                got.get(0).substring(0, got.get(0).lastIndexOf(' ')));
        assertEquals(want.subList(1, want.size()), got.subList(1, got.size()));
    }

    private static boolean onPath(String command) {
        for (String dir : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String machineProblem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot loop-mount";
        }
        return Files.exists(Path.of("/dev/loop-control")) ? null : "no loop devices";
    }

    /**
     * The kernel's view of the filesystem part of {@code image}: every path with its type, mode, owner, size, mtime,
     * link target and content digest, from a read-only loop mount.
     */
    private List<String> view(Path image, String type, long bytes) throws IOException, InterruptedException {
        Path mnt = Files.createDirectories(tmp.resolve("mnt-" + type));
        sh("mount", "-t", type, "-o", "loop,ro,sizelimit=" + bytes, image.toString(), mnt.toString());
        try (var s = Files.walk(mnt)) {
            List<String> out = new java.util.ArrayList<>();
            for (Path p : s.sorted().toList()) {
                var a = Files.readAttributes(p, "unix:*", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                String line = mnt.relativize(p) + " " + Integer.toOctalString((Integer) a.get("mode")) + " "
                        + a.get("uid") + ":" + a.get("gid") + " " + a.get("lastModifiedTime");
                if (Files.isSymbolicLink(p)) {
                    line += " -> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    line += " " + a.get("size") + " " + Arrays.hashCode(Files.readAllBytes(p));
                }
                out.add(line);
            }
            assertTrue(out.size() > 20, out.toString());
            return out;
        } finally {
            sh("umount", mnt.toString());
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + text);
    }

    private static byte[] read(Node n) throws IOException {
        assertNotNull(n);
        ByteBuffer b = ByteBuffer.allocate((int) n.size());
        if (n.size() == 0) {
            return new byte[0];
        }
        try (ReadableByteChannel ch = n.content().open(0)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
        }
        return b.array();
    }
}
