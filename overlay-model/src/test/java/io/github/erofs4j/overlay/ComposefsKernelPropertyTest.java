package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A composefs image and store of a random directory, mounted by the kernel as erofs plus an overlay with the store
 * as a data-only lower layer, show the directory; so does the model's merge of the same image and store. Writing
 * the same tree again into the same store writes no object and the same image.
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
class ComposefsKernelPropertyTest {

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void mountShowsTheSource(@ForAll long seed) throws Exception {
        FsTree tree = RandomTrees.generate(seed, new RandomTrees.Shape(60, false, 4096, true));
        // A 0:0 device becomes an escaped xattr whiteout (for an overlay stacked on this one), not a device.
        dropWhiteouts(tree.root());
        Path dir = Files.createTempDirectory("erofs4j-cfs");
        try (KernelMounts m = new KernelMounts(dir)) {
            Path src = dir.resolve("src");
            RandomTrees.materialize(tree, src);
            List<String> want = KernelMounts.manifest(src);
            Path store = dir.resolve("store");
            Path img = dir.resolve("cfs.erofs");
            Composefs.Summary s = Composefs.write(src, img, store, WriteOptions.defaults());
            long objects;
            try (Stream<Path> files = Files.walk(store)) {
                objects = files.filter(Files::isRegularFile).count();
            }
            assertEquals(s.objects(), objects, "objects in the store");

            Path lower = m.erofs(img);
            Path ovl = m.overlay(List.of(lower), List.of(store), "redirect_dir=on,metacopy=on");
            List<String> kernel = KernelMounts.manifest(ovl);
            assertEquals(want, kernel, () -> "seed " + seed + ": " + ViewManifest.diff(want, kernel));

            try (Layer image = Layer.fromImage(img); Layer data = Layer.fromDirectory(store)) {
                MergedView view = OverlayStack.builder().lower(image).dataOnly(data)
                        .options(OverlayOptions.builder().metacopy(true).build()).build().merge();
                List<String> model = ViewManifest.of(view);
                assertEquals(want, model, () -> "model, seed " + seed + ": " + ViewManifest.diff(want, model));
            }

            Path again = dir.resolve("again.erofs");
            Composefs.Summary s2 = Composefs.write(src, again, store, WriteOptions.defaults());
            assertEquals(0, s2.objectsWritten(), "objects written again");
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(img), Files.readAllBytes(again)), "same image");
        } finally {
            KernelMounts.deleteTree(dir);
        }
    }

    private static void dropWhiteouts(Node dir) {
        for (Map.Entry<byte[], Node> e : new ArrayList<>(dir.children().entrySet())) {
            if (OverlayTransforms.isWhiteout(e.getValue())) {
                dir.remove(e.getKey());
            } else if (e.getValue().type() == FileType.DIRECTORY) {
                dropWhiteouts(e.getValue());
            }
        }
    }
}
