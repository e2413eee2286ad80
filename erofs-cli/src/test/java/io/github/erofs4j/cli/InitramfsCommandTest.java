package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code erofs initramfs}: usage errors, and a configuration file read as initoverlayfs's. */
class InitramfsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void usageErrors() throws IOException {
        Path initrd = Files.write(tmp.resolve("initrd"), new byte[] {0x1f, (byte) 0x8b});
        String out = tmp.resolve("out").toString();
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out).status(), "no --bootfs");
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--bootfs=vda1").status());
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--bootfs=LABEL=a;reboot").status());
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--bootfs=LABEL=a", "--fs=x.erofs").status());
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--bootfs=LABEL=a", "--compress=lz4")
                .status());
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--bootfs=LABEL=a", "--lower=ext4").status());
        assertEquals(2, Cli.run("initramfs", initrd.toString(), out, "--single", "--lower=btrfs").status());
        Cli.Result r = Cli.run("initramfs", initrd.toString(), out, "--bootfs=LABEL=a");
        assertEquals(1, r.status(), r.toString());
    }

    @Test
    void configFileGivesTheBootKeys() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "needs busybox-static");
        ByteArrayOutputStream cpio = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream c = new CpioArchiveOutputStream(new GZIPOutputStream(cpio),
                CpioConstants.FORMAT_NEW, 512, "US-ASCII")) {
            entry(c, "bin", null);
            entry(c, "bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")));
            entry(c, "lib", null);
            entry(c, "lib/modules", null);
            entry(c, "lib/modules/1.0", null);
            entry(c, "lib/modules/1.0/modules.dep", new byte[0]);
        }
        Path initrd = Files.write(tmp.resolve("initrd"), cpio.toByteArray());
        Path conf = Files.writeString(tmp.resolve("initoverlayfs.conf"),
                "bootfs PARTLABEL=boot\nbootfstype xfs\nfs /images/i.erofs\n");
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("initramfs", initrd.toString(), out.toString(), "--config=" + conf,
                "--no-dm-verity", "--fs=/other.erofs");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("dm-verity:      off"), r.out());
        try (SourceTree t = Sources.load(out.resolve(Initoverlayfs.MINI), SourceKind.CPIO,
                SourceOptions.defaults())) {
            Node n = t.tree().get(Initoverlayfs.CONFIG_PATH);
            ByteBuffer b = ByteBuffer.allocate((int) n.size());
            try (ReadableByteChannel ch = n.content().open(0)) {
                while (b.hasRemaining() && ch.read(b) >= 0) {
                    // fill
                }
            }
            String text = new String(b.array(), StandardCharsets.UTF_8);
            assertTrue(text.contains("\nbootfs PARTLABEL=boot\nbootfstype xfs\nfs /other.erofs\n"), text);
        }
    }

    private static void entry(CpioArchiveOutputStream c, String name, byte[] data) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, data == null ? 0 : data.length);
        e.setMode(data == null ? CpioConstants.C_ISDIR | 0755 : CpioConstants.C_ISREG | 0755);
        e.setNumberOfLinks(data == null ? 2 : 1);
        c.putArchiveEntry(e);
        if (data != null) {
            c.write(data);
        }
        c.closeArchiveEntry();
    }
}
