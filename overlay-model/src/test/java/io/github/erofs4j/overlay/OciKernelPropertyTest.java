package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * OCI layer tarballs with {@code .wh.} whiteouts and opaque markers merge to what the kernel shows for the same
 * tarballs converted by {@code mkfs.erofs --aufs --tar=f} (erofs-utils 1.9.3, named by the environment variable
 * MKFS_EROFS_193) and stacked as an overlay; the merged image mounts as the same view.
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
@AddLifecycleHook(OciKernelPropertyTest.SkipWithoutMkfs.class)
class OciKernelPropertyTest {

    /** Skips the property, saying why, without an mkfs.erofs that converts tarballs with --aufs. */
    static final class SkipWithoutMkfs implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String mkfs = System.getenv("MKFS_EROFS_193");
            return mkfs != null && Files.isExecutable(Path.of(mkfs)) ? SkipResult.doNotSkip()
                    : SkipResult.skip("MKFS_EROFS_193 names no mkfs.erofs 1.9.3 (Debian's 1.5 has no --tar or --aufs)");
        }
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void mergedOciLayersAreTheKernelsOverlay(@ForAll long seed) throws Exception {
        String mkfs = System.getenv("MKFS_EROFS_193");
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("erofs4j-oci");
        try (KernelMounts m = new KernelMounts(dir)) {
            int n = 2 + r.nextInt(2);
            List<Path> tars = new ArrayList<>();
            List<Path> mounts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path tar = dir.resolve("layer" + i + ".tar");
                writeTar(tar, r, i == n - 1);
                tars.add(tar);
                Path img = dir.resolve("layer" + i + ".erofs");
                KernelMounts.run(List.of(mkfs, "--quiet", "--aufs", "--tar=f", img.toString(), tar.toString()));
                mounts.add(m.erofs(img));
            }
            List<String> kernel = KernelMounts.manifest(m.overlay(mounts, List.of(), ""));
            try (OciLayers.Merged merged = OciLayers.merge(tars)) {
                List<String> model = ViewManifest.of(merged.view());
                assertEquals(kernel, model, () -> "seed " + seed + ": " + ViewManifest.diff(kernel, model));
            }
            Path flat = dir.resolve("merged.erofs");
            OciLayers.mergeToImage(tars, flat, WriteOptions.defaults());
            List<String> image = KernelMounts.manifest(m.erofs(flat));
            assertEquals(kernel, image, () -> "image, seed " + seed + ": " + ViewManifest.diff(kernel, image));
        } finally {
            KernelMounts.deleteTree(dir);
        }
    }

    /** A random OCI layer: directories, files and symlinks over a few names, whiteouts and opaque markers. */
    private static void writeTar(Path tar, Random r, boolean base) throws IOException {
        try (OutputStream os = Files.newOutputStream(tar); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry root = new TarArchiveEntry("./");
            attrs(root, r, 0755);
            out.putArchiveEntry(root);
            out.closeArchiveEntry();
            writeDir(out, "", r, base, 0);
        }
    }

    private static void writeDir(TarArchiveOutputStream out, String prefix, Random r, boolean base, int depth)
            throws IOException {
        boolean opaque = !base && !prefix.isEmpty() && r.nextInt(6) == 0;
        if (opaque) {
            file(out, prefix + ".wh..wh..opq", new byte[0], r);
        }
        for (String name : RandomStacks.NAMES) {
            int k = r.nextInt(100);
            if (k >= 50) {
                continue;
            }
            String path = prefix + name;
            if (k < 18 && depth < 2) {
                TarArchiveEntry d = new TarArchiveEntry(path + "/");
                attrs(d, r, 0755);
                out.putArchiveEntry(d);
                out.closeArchiveEntry();
                writeDir(out, path + "/", r, base, depth + 1);
            } else if (k < 34) {
                byte[] data = new byte[r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(6000)];
                r.nextBytes(data);
                file(out, path, data, r);
            } else if (k < 40) {
                TarArchiveEntry l = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
                l.setLinkName("t" + r.nextInt(3));
                attrs(l, r, 0777);
                out.putArchiveEntry(l);
                out.closeArchiveEntry();
            } else if (!opaque) {
                file(out, prefix + ".wh." + name, new byte[0], r);
            }
        }
    }

    private static void file(TarArchiveOutputStream out, String path, byte[] data, Random r) throws IOException {
        TarArchiveEntry f = new TarArchiveEntry(path);
        attrs(f, r, r.nextBoolean() ? 0644 : 0755);
        f.setSize(data.length);
        out.putArchiveEntry(f);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static void attrs(TarArchiveEntry e, Random r, int mode) {
        e.setMode(e.getMode() & ~07777 | mode);
        e.setUserId(r.nextInt(3) * 500);
        e.setGroupId(r.nextInt(3) * 500);
        e.setModTime((long) r.nextInt(2_000_000_000) * 1000L);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
