package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A metacopy file's absolute redirect walked through the lower layers, where the directories on the way have
 * redirects of their own: the kernel's mount and the model agree on the data found, or on the lookup failing.
 */
@Tag("kernel")
@AddLifecycleHook(KernelMounts.SkipWithoutMount.class)
class OverlayRedirectKernelTest {
    private static final String P = "trusted.overlay.";
    private static final OverlayOptions METACOPY = OverlayOptions.builder().metacopy(true).build();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static FsTree top() {
        FsTree t = new FsTree();
        t.put("bm", Node.file(new byte[3]).xattr(P + "metacopy", new byte[0]).xattr(P + "redirect", b("/a/b")));
        return t;
    }

    @Example
    void relativeRedirectOfAMiddleDirectoryLeadsNowhere() throws Exception {
        FsTree mid = new FsTree();
        mid.mkdirs("a").xattr(P + "redirect", b("e")).put("c", Node.file(b("c")));
        FsTree low = new FsTree();
        low.mkdirs("a").put("b", Node.file(b("abc")));
        low.put("e", Node.file(b("e")));
        failsAsTheKernel(List.of(top(), new FsTree(), mid, low), List.of());
    }

    @Example
    void absoluteRedirectOfAMiddleDirectoryChangesThePath() throws Exception {
        FsTree mid = new FsTree();
        mid.mkdirs("a").xattr(P + "redirect", b("/x"));
        FsTree low = new FsTree();
        low.mkdirs("a").put("b", Node.file(b("no!")));
        low.mkdirs("x").put("b", Node.file(b("abc")));
        MergedView v = showsAsTheKernel(List.of(top(), mid, low), List.of());
        assertEquals(2, v.lookup("/bm").orElseThrow().dataLayer());
    }

    @Example
    void dataOnlyLayersNeedTheLastRedirectAbsolute() throws Exception {
        FsTree mid = new FsTree();
        mid.mkdirs("a").put("c", Node.file(b("c")));
        FsTree data = new FsTree();
        data.mkdirs("a").put("b", Node.file(b("abc")));
        failsAsTheKernel(List.of(top(), mid), List.of(data));
    }

    @Example
    void dataOnlyLayersFollowAnAbsoluteRedirectOfTheLastLayer() throws Exception {
        FsTree mid = new FsTree();
        mid.mkdirs("a").xattr(P + "redirect", b("/x"));
        FsTree data = new FsTree();
        data.mkdirs("a").put("b", Node.file(b("no!")));
        data.mkdirs("x").put("b", Node.file(b("abc")));
        MergedView v = showsAsTheKernel(List.of(top(), mid), List.of(data));
        assertEquals(2, v.lookup("/bm").orElseThrow().dataLayer());
    }

    private static MergedView showsAsTheKernel(List<FsTree> layers, List<FsTree> dataOnly) throws Exception {
        return run(layers, dataOnly, (stack, mount) -> {
            MergedView view = stack.merge();
            assertEquals(KernelMounts.manifest(mount), ViewManifest.of(view));
            return view;
        });
    }

    private static void failsAsTheKernel(List<FsTree> layers, List<FsTree> dataOnly) throws Exception {
        run(layers, dataOnly, (stack, mount) -> {
            OverlayException e = assertThrows(OverlayException.class, stack::merge);
            assertEquals(OverlayException.Kind.METACOPY_WITHOUT_DATA, e.kind());
            assertEquals("/bm", e.path());
            IOException k = assertThrows(IOException.class,
                    () -> Files.readAttributes(mount.resolve("bm"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
            assertTrue(String.valueOf(k.getMessage()).contains("Input/output error"), k::toString);
            return null;
        });
    }

    private interface Check {
        MergedView check(OverlayStack stack, Path mount) throws Exception;
    }

    private static MergedView run(List<FsTree> layers, List<FsTree> dataOnly, Check check) throws Exception {
        Path dir = Files.createTempDirectory("erofs4j-ovlr");
        List<Layer> opened = new ArrayList<>();
        try (KernelMounts m = new KernelMounts(dir)) {
            OverlayStack.Builder b = OverlayStack.builder().options(METACOPY);
            List<Path> lowers = new ArrayList<>();
            List<Path> data = new ArrayList<>();
            for (int i = 0; i < layers.size() + dataOnly.size(); i++) {
                boolean isData = i >= layers.size();
                FsTree t = isData ? dataOnly.get(i - layers.size()) : layers.get(i);
                Path img = OverlayKernelPropertyTest.write(dir, "l" + i, t);
                Layer l = Layer.fromImage(img);
                opened.add(l);
                if (isData) {
                    b.dataOnly(l);
                    data.add(m.erofs(img));
                } else {
                    b.lower(l);
                    lowers.add(m.erofs(img));
                }
            }
            return check.check(b.build(), m.overlay(lowers, data, METACOPY.mountOptions()));
        } finally {
            for (Layer l : opened) {
                l.close();
            }
            KernelMounts.deleteTree(dir);
        }
    }
}
