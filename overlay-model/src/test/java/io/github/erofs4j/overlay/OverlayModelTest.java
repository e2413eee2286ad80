package io.github.erofs4j.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's rules on small hand-made stacks, the conversions, and deterministic output. */
class OverlayModelTest {
    private static final String P = "trusted.overlay.";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MergedView merge(OverlayOptions o, FsTree... layers) throws Exception {
        OverlayStack.Builder sb = OverlayStack.builder().options(o);
        for (int i = 0; i < layers.length; i++) {
            sb.lower(Layer.of("l" + i, layers[i]));
        }
        return sb.build().merge();
    }

    @Test
    void whiteoutsOpaqueDirectoriesAndTopmostMetadata() throws Exception {
        FsTree upper = new FsTree();
        upper.put("gone", Node.charDevice(0, 0));
        upper.mkdirs("opq").xattr(P + "opaque", b("y")).mtime(7, 0).put("new", Node.file(b("n")));
        upper.mkdirs("merged").permissions(0700).xattr(P + "overlay.opaque", b("y")).xattr(P + "origin", new byte[0]);
        FsTree lower = new FsTree();
        lower.put("gone", Node.file(b("old")));
        lower.mkdirs("opq").put("hidden", Node.file(b("h")));
        lower.mkdirs("merged").permissions(0755).put("kept", Node.file(b("k")));
        MergedView v = merge(OverlayOptions.defaults(), upper, lower);
        assertTrue(v.lookup("/gone").isEmpty());
        assertEquals(List.of("/opq/new"), v.list("/opq").stream().map(MergedView.Entry::path).toList());
        MergedView.Entry merged = v.lookup("merged").orElseThrow();
        assertEquals(0700, merged.permissions());
        assertEquals(0, merged.layer());
        // Private xattrs hidden, escaped ones unescaped one level.
        assertEquals(List.of(P + "opaque"), List.copyOf(merged.xattrs().keySet()));
        assertEquals(1, v.lookup("/merged/kept").orElseThrow().layer());
    }

    @Test
    void redirectsAndMetacopy() throws Exception {
        FsTree upper = new FsTree();
        upper.mkdirs("renamed").xattr(P + "redirect", b("/old/dir"));
        upper.put("meta", Node.file(new byte[3]).permissions(0600).xattr(P + "metacopy", new byte[0]));
        FsTree lower = new FsTree();
        lower.mkdirs("old/dir").put("f", Node.file(b("f")));
        lower.put("meta", Node.file(b("abc")));
        OverlayOptions o = OverlayOptions.builder().metacopy(true).build();
        MergedView v = merge(o, upper, lower);
        assertEquals(1, v.lookup("/renamed/f").orElseThrow().layer());
        MergedView.Entry meta = v.lookup("/meta").orElseThrow();
        assertEquals(0600, meta.permissions());
        assertArrayEquals(b("abc"), meta.newInputStream().readAllBytes());
        assertEquals(1, meta.dataLayer());
        // Without metacopy or redirects, the same layers show the upper's own entries.
        MergedView plain = merge(OverlayOptions.builder().followRedirects(false).build(), upper, lower);
        assertTrue(plain.lookup("/renamed/f").isEmpty());
        assertArrayEquals(new byte[3], plain.lookup("/meta").orElseThrow().newInputStream().readAllBytes());
        // A metacopy file without data below fails as the kernel's lookup does.
        FsTree alone = new FsTree();
        alone.put("x", Node.file(new byte[1]).xattr(P + "metacopy", new byte[0]));
        FsTree empty = new FsTree();
        OverlayException e = assertThrows(OverlayException.class, () -> merge(o, alone, empty));
        assertEquals(OverlayException.Kind.METACOPY_WITHOUT_DATA, e.kind());
        assertEquals("/x", e.path());
        // An xattr whiteout on the way ends the data search as a character device does.
        FsTree mid = new FsTree();
        mid.mkdirs("/").xattr(P + "opaque", b("x"));
        mid.put("x", Node.file(new byte[0]).xattr(P + "whiteout", new byte[0]));
        FsTree data = new FsTree();
        data.put("x", Node.file(b("d")));
        assertEquals(OverlayException.Kind.METACOPY_WITHOUT_DATA,
                assertThrows(OverlayException.class, () -> merge(o, alone, mid, data)).kind());
        assertArrayEquals(b("d"), merge(o, alone, data).lookup("/x").orElseThrow().newInputStream().readAllBytes());
    }

    @Test
    void ociWhiteoutsConvertBothWays() throws Exception {
        FsTree t = new FsTree();
        t.mkdirs("d").put(".wh..wh..opq", Node.file(new byte[0]));
        t.mkdirs("e").put(".wh.x", Node.file(new byte[0]).mtime(5, 0));
        OciLayers.toOverlay(t, OverlayOptions.defaults(), OciLayers.WhiteoutStyle.CHAR_DEVICE);
        assertArrayEquals(b("y"), t.get("d").xattrs().get(P + "opaque"));
        assertTrue(OverlayTransforms.isWhiteout(t.get("e/x")));
        assertEquals(5, t.get("e/x").mtimeSeconds());
        assertTrue(t.get("e").xattrs().containsKey(P + "origin"));
        OciLayers.toOci(t, OverlayOptions.defaults());
        assertEquals(FileType.REGULAR, t.get("d/.wh..wh..opq").type());
        assertEquals(FileType.REGULAR, t.get("e/.wh.x").type());
        assertNull(t.get("e/x"));
        assertTrue(t.get("d").xattrs().isEmpty() && t.get("e").xattrs().isEmpty());

        FsTree x = new FsTree();
        x.mkdirs("e").put(".wh.y", Node.file(new byte[0]));
        OciLayers.toOverlay(x, OverlayOptions.userXattr(), OciLayers.WhiteoutStyle.XATTR);
        assertTrue(x.get("e/y").xattrs().containsKey("user.overlay.whiteout"));
        assertArrayEquals(b("x"), x.get("e").xattrs().get("user.overlay.opaque"));

        FsTree r = new FsTree();
        r.mkdirs("a").xattr(P + "redirect", b("/b"));
        assertEquals(OverlayException.Kind.UNREPRESENTABLE,
                assertThrows(OverlayException.class, () -> OciLayers.toOci(r, OverlayOptions.defaults())).kind());
    }

    @Test
    void stripRemovesWhiteoutsAndOpaqueMarks() {
        FsTree t = new FsTree();
        t.mkdirs("d").xattr(P + "opaque", b("y")).put("w", Node.charDevice(0, 0));
        t.put("f", Node.file(b("f")));
        assertEquals(1, OverlayTransforms.strip(t));
        assertNull(t.get("d/w"));
        assertFalse(t.get("d").xattrs().containsKey(P + "opaque"));
        assertTrue(t.get("f") != null);
    }

    @Test
    void flattenedImageBytesDoNotDependOnInsertionOrder() throws Exception {
        RandomStacks.Stack s = RandomStacks.generate(42);
        byte[] first = image(s.toStack().merge().toFsTree());
        byte[] again = image(s.toStack().merge().toFsTree());
        assertArrayEquals(first, again);
        // The same layers built with names added in reverse order.
        List<FsTree> reversed = s.layers().stream().map(OverlayModelTest::reversedCopy).toList();
        List<FsTree> data = s.dataOnly().stream().map(OverlayModelTest::reversedCopy).toList();
        byte[] other = image(new RandomStacks.Stack(reversed, data, s.options()).toStack().merge().toFsTree());
        assertArrayEquals(first, other);
    }

    @Test
    void optionsRefuseWhatTheKernelRefuses() {
        assertThrows(IllegalArgumentException.class, () -> OverlayOptions.builder()
                .namespace(OverlayOptions.XattrNamespace.USER).build());
        assertThrows(IllegalStateException.class, () -> OverlayStack.builder().build());
        FsTree t = new FsTree();
        assertThrows(IllegalStateException.class, () -> OverlayStack.builder().lower(Layer.of("a", t))
                .dataOnly(Layer.of("b", t)).build());
        assertEquals("redirect_dir=follow,metacopy=off", OverlayOptions.defaults().mountOptions());
    }

    private static byte[] image(FsTree t) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("erofs4j-flat", ".erofs");
        try {
            ErofsWriter.write(t, f, WriteOptions.defaults());
            return java.nio.file.Files.readAllBytes(f);
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    private static FsTree reversedCopy(FsTree t) {
        FsTree out = new FsTree();
        out.root().copyAttributesFrom(t.root());
        reversed(t.root(), out.root());
        return out;
    }

    private static void reversed(Node from, Node to) {
        for (var e : from.children().descendingMap().entrySet()) {
            Node c = e.getValue();
            if (c.type() == FileType.DIRECTORY) {
                Node d = Node.directory().copyAttributesFrom(c);
                reversed(c, d);
                to.put(e.getKey(), d);
            } else {
                to.put(e.getKey(), c);
            }
        }
    }
}
