package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The upper layer computed by {@link OverlayDiff}, mounted by the kernel over the lower, shows exactly the target
 * (as a plain mount of the target's image shows it).
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
class OverlayDiffKernelPropertyTest {

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void upperOverLowerShowsTheTarget(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        OverlayOptions ovl = RandomStacks.options(seed);
        boolean metacopy = ovl.metacopy();
        // The writer marks directories holding character-device whiteouts with trusted.overlay.origin, which a
        // userxattr mount shows: there the upper layer uses xattr whiteouts.
        OciLayers.WhiteoutStyle style = ovl.namespace() == OverlayOptions.XattrNamespace.USER || r.nextBoolean()
                ? OciLayers.WhiteoutStyle.XATTR : OciLayers.WhiteoutStyle.CHAR_DEVICE;
        OverlayDiff.Options opts = OverlayDiff.Options.builder().overlay(ovl).whiteouts(style).metacopy(metacopy)
                .opaqueDirectories(r.nextBoolean()).build();
        FsTree lowerTree = RandomStacks.plainTree(seed, ovl);
        FsTree target = mutate(RandomStacks.plainTree(seed, ovl), r, ovl.prefix());
        Statistics.collect(ovl.mountOptions(), style);

        Path dir = Files.createTempDirectory("erofs4j-diff");
        try (KernelMounts m = new KernelMounts(dir)) {
            Path lowerImg = OverlayKernelPropertyTest.write(dir, "lower", lowerTree);
            Path targetImg = OverlayKernelPropertyTest.write(dir, "target", target);
            FsTree upper;
            try (Layer lower = Layer.fromImage(lowerImg)) {
                upper = OverlayDiff.diff(lower, target, opts);
                Path upperImg = OverlayKernelPropertyTest.write(dir, "upper", upper);
                Path l = m.erofs(lowerImg);
                Path u = m.erofs(upperImg);
                List<String> want = KernelMounts.manifest(m.erofs(targetImg));
                List<String> got = KernelMounts.manifest(m.overlay(List.of(u, l), List.of(), ovl.mountOptions()));
                assertEquals(want, got, () -> "seed " + seed + " " + ovl + " " + style + ": "
                        + ViewManifest.diff(want, got) + RandomStacks.dump(
                                new RandomStacks.Stack(List.of(upper, lowerTree), List.of(), ovl)));
            }
        } finally {
            KernelMounts.deleteTree(dir);
        }
    }

    /** Changes a tree at random: entries removed, replaced, given new metadata or content, added. */
    static FsTree mutate(FsTree t, Random r, String p) {
        mutate(t.root(), r, p, 0);
        return t;
    }

    private static void mutate(Node dir, Random r, String p, int depth) {
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            Node c = e.getValue();
            int k = r.nextInt(100);
            if (k < 12) {
                dir.remove(e.getKey());
            } else if (k < 20) {
                dir.put(e.getKey(), Node.file(new byte[] {(byte) r.nextInt(), 1, 2}).mtime(r.nextInt(1 << 30), 0));
            } else if (k < 35) {
                c.mtime(c.mtimeSeconds() + 1 + r.nextInt(1000), r.nextInt(1_000_000_000));
                if (r.nextBoolean()) {
                    c.permissions(c.permissions() ^ 0044);
                }
            } else if (k < 42 && c.type() == FileType.REGULAR) {
                c.content(io.github.erofs4j.core.write.FileContent.of(new byte[] {(byte) r.nextInt(), 9}));
            } else if (k < 48 && (c.type() == FileType.REGULAR || c.type() == FileType.DIRECTORY)) {
                c.xattr(p + "opaque", new byte[] {'y'}); // an overlay xattr of the target: escaped in the upper
            } else if (c.type() == FileType.DIRECTORY && depth < 3) {
                mutate(c, r, p, depth + 1);
            }
        }
        if (r.nextInt(4) == 0) {
            dir.put("new" + r.nextInt(3), Node.file(new byte[] {7}).mtime(r.nextInt(1 << 30), 0));
        }
    }
}
