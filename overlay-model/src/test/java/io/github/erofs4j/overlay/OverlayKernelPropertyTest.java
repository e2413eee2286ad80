package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The kernel is the truth: random stacks written as EROFS images, loop-mounted and stacked by overlayfs, show
 * exactly the merged view; the flattened image mounted alone shows it too.
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
class OverlayKernelPropertyTest {

    /** A metacopy file's absolute redirect passing a middle layer's directory with a relative redirect. */
    @Example
    void absoluteRedirectThroughRelativelyRedirectedDirectory() throws Exception {
        mergedViewIsTheKernelsView(33912L);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void mergedViewIsTheKernelsView(@ForAll long seed) throws Exception {
        RandomStacks.Stack s = RandomStacks.generate(seed);
        Statistics.label("mount").collect(s.options().mountOptions());
        for (String f : RandomStacks.features(s)) {
            Statistics.label("features").collect(f);
        }
        Path dir = Files.createTempDirectory("erofs4j-ovl");
        List<Layer> opened = new ArrayList<>();
        try (KernelMounts m = new KernelMounts(dir)) {
            // The model reads the layers back from the images the kernel mounts: the writer adds origin marks.
            KernelMounts.Mounted mounted = m.mountStack(s, dir, opened);
            MergedView view = mounted.view();
            List<String> model = ViewManifest.of(view);
            Path ovl = mounted.mount();
            List<String> kernel;
            try {
                kernel = KernelMounts.manifest(ovl);
            } catch (java.io.IOException e) {
                throw new AssertionError("seed " + seed + ": the mount cannot be listed (" + e.getMessage() + ")\n"
                        + RandomStacks.dump(s) + "model:\n" + String.join("\n", model), e);
            }
            assertEquals(kernel, model, () -> "seed " + seed + ": " + ViewManifest.diff(kernel, model) + RandomStacks.dump(s));

            Path flat = dir.resolve("flat.erofs");
            view.writeImage(flat, WriteOptions.defaults());
            List<String> flattened = KernelMounts.manifest(m.erofs(flat));
            assertEquals(kernel, flattened, () -> "flattened, seed " + seed + ": " + ViewManifest.diff(kernel, flattened));
        } finally {
            for (Layer l : opened) {
                l.close();
            }
            KernelMounts.deleteTree(dir);
        }
    }

    static Path write(Path dir, String name, FsTree tree) throws java.io.IOException {
        Path img = dir.resolve(name + ".erofs");
        ErofsWriter.write(tree, img, WriteOptions.defaults());
        return img;
    }
}
