package io.github.erofs4j.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the initramfs builder: configuration, modules.dep, ELF dependencies, the early cpio. */
class PartsTest {
    @TempDir
    Path tmp;

    @Test
    void bootConfigReadsInitoverlayfsConfAndRejectsShellSyntax() {
        BootConfig c = BootConfig.parse("# comment\nbootfs UUID=1234-ABCD\nbootfstype ext4\nfs=/boot/x.erofs\n"
                + "other key\n");
        assertEquals(new BootConfig("UUID=1234-ABCD", "ext4", "/boot/x.erofs"), c);
        assertEquals("bootfs UUID=1234-ABCD\nbootfstype ext4\nfs /boot/x.erofs\n", c.format());
        assertEquals(c, BootConfig.parse(c.format()));
        assertEquals(new BootConfig("/dev/vda2", null, null), BootConfig.parse("bootfs /dev/vda2"));
        assertThrows(IllegalArgumentException.class, () -> new BootConfig("LABEL=a b", null, null));
        assertThrows(IllegalArgumentException.class, () -> new BootConfig("LABEL=$(reboot)", null, null));
        assertThrows(IllegalArgumentException.class, () -> new BootConfig("vda2", null, null));
        assertThrows(IllegalArgumentException.class, () -> new BootConfig("LABEL=boot", null, "relative.erofs"));
        assertThrows(IllegalArgumentException.class, () -> BootConfig.parse("fs /x.erofs\n"));
    }

    @Test
    void modulesDepGivesDependenciesFirstEachOnce() throws IOException {
        ModulesDep d = ModulesDep.parse(("kernel/a/dm-verity.ko: kernel/a/dm-bufio.ko kernel/a/dm-mod.ko\n"
                + "kernel/a/dm-bufio.ko:\nkernel/a/dm-mod.ko:\nkernel/b/sd_mod.ko: kernel/b/scsi_mod.ko\n"
                + "kernel/b/scsi_mod.ko: kernel/b/scsi_common.ko\nkernel/b/scsi_common.ko:\n")
                .getBytes(StandardCharsets.UTF_8));
        List<String> absent = new ArrayList<>();
        List<String> order = d.loadOrder(List.of("sd_mod", "dm_verity", "dm-mod", "virtio_blk"), absent);
        assertEquals(List.of("kernel/b/scsi_common.ko", "kernel/b/scsi_mod.ko", "kernel/b/sd_mod.ko",
                "kernel/a/dm-bufio.ko", "kernel/a/dm-mod.ko", "kernel/a/dm-verity.ko"), order);
        assertEquals(List.of("virtio_blk"), absent);
        assertEquals("erofs", ModulesDep.name("kernel/fs/erofs/erofs.ko.xz"));
        assertThrows(IOException.class, () -> ModulesDep.parse("no colon here\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void modulesDepSurvivesACycle() throws IOException {
        ModulesDep d = ModulesDep.parse("a.ko: b.ko\nb.ko: a.ko\n".getBytes(StandardCharsets.UTF_8));
        List<String> order = d.loadOrder(List.of("a"), new ArrayList<>());
        assertEquals(2, order.size());
    }

    @Test
    void elfNeededOfHostExecutables() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Path dmsetup = Path.of("/usr/sbin/dmsetup");
        assumeTrue(Files.isRegularFile(busybox) && Files.isRegularFile(dmsetup), "needs busybox-static and dmsetup");
        ElfNeeded bb = ElfNeeded.parse(Files.readAllBytes(busybox), "busybox");
        assertTrue(bb.isStatic(), bb.toString());
        ElfNeeded dm = ElfNeeded.parse(Files.readAllBytes(dmsetup), "dmsetup");
        assertEquals("/lib64/ld-linux-x86-64.so.2", dm.interpreter());
        assertTrue(dm.needed().contains("libc.so.6"), dm.toString());
        assertTrue(dm.needed().stream().anyMatch(n -> n.startsWith("libdevmapper.so")), dm.toString());
    }

    @Test
    void truncatedOrFlippedElfGivesIOExceptionOrAnAnswer() throws IOException {
        Path dmsetup = Path.of("/usr/sbin/dmsetup");
        assumeTrue(Files.isRegularFile(dmsetup), "needs dmsetup");
        byte[] b = Files.readAllBytes(dmsetup);
        for (int len = 0; len < Math.min(b.length, 4096); len += 7) {
            byte[] cut = Arrays.copyOf(b, len);
            try {
                ElfNeeded.parse(cut, "cut");
            } catch (IOException e) {
                // expected for most
            }
        }
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] f = b.clone();
            int at = r.nextInt(Math.min(b.length, 1 << 14));
            f[at] ^= (byte) (1 << r.nextInt(8));
            try {
                ElfNeeded.parse(f, "flipped");
            } catch (IOException e) {
                // expected for some
            }
        }
    }

    @Test
    void earlyCpioEndsWhereTheCompressedMemberStarts() throws IOException {
        byte[] early = Samples.newc(List.of(new Samples.Entry("kernel", null),
                new Samples.Entry("kernel/x86/microcode/GenuineIntel.bin", new byte[] {1, 2, 3})));
        byte[] gz = Samples.gzip(Samples.newc(List.of(new Samples.Entry("init", "x".getBytes()))));
        Path f = tmp.resolve("initrd");
        Files.write(f, Samples.concat(early, gz));
        assertEquals(early.length, EarlyCpio.length(f));
        Files.write(f, gz);
        assertEquals(0, EarlyCpio.length(f));
        Files.write(f, early);
        assertEquals(0, EarlyCpio.length(f), "no compressed member: no early part");
        Files.write(f, Arrays.copyOf(early, 150));
        assertThrows(IOException.class, () -> EarlyCpio.length(f));
    }

    @Test
    void treeLookupIsNullForMissingPaths() throws IOException {
        io.github.erofs4j.core.write.FsTree t = new io.github.erofs4j.core.write.FsTree();
        t.mkdirs("usr/lib/modules/1");
        t.put("lib", io.github.erofs4j.core.write.Node.symlink("usr/lib"));
        t.put("loop", io.github.erofs4j.core.write.Node.symlink("loop"));
        assertNotNull(Initoverlayfs.TreeLookup.resolve(t, "lib/modules/1"));
        assertNotNull(Initoverlayfs.TreeLookup.resolve(t, "/lib/../lib/modules/./1"));
        assertNull(Initoverlayfs.TreeLookup.resolve(t, "lib/modules/2"));
        assertNull(Initoverlayfs.TreeLookup.resolve(t, "loop/x"));
    }
}
