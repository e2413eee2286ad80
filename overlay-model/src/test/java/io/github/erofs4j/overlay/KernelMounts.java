package io.github.erofs4j.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Loop mounts of EROFS images and overlay mounts of them, for the kernel tests; closing unmounts everything it
 * mounted, last first, and removes the mount points.
 */
final class KernelMounts implements AutoCloseable {
    private final Path base;
    private final Deque<Path> mounted = new ArrayDeque<>();
    private int next;

    KernelMounts(Path base) {
        this.base = base;
    }

    /** Why this machine cannot mount overlays of EROFS images, or null. */
    static String machineProblem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot loop-mount";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no loop device support (/dev/loop-control missing)";
        }
        try {
            String fs = Files.readString(Path.of("/proc/filesystems"));
            if (!fs.contains("\terofs") || !fs.contains("\toverlay")) {
                return "the kernel lists no erofs or no overlay file system in /proc/filesystems";
            }
        } catch (IOException e) {
            return "cannot read /proc/filesystems: " + e;
        }
        if (!Files.isReadable(tool("manifest.py"))) {
            return tool("manifest.py") + " not found";
        }
        return null;
    }

    /** Skips a jqwik property, with the reason, where the mounts are impossible. */
    static final class SkipWithoutMount implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String why = machineProblem();
            return why == null ? SkipResult.doNotSkip() : SkipResult.skip(why);
        }
    }

    static Path tool(String name) {
        return io.github.erofs4j.core.testing.Fixtures.tool(name);
    }

    /** Loop-mounts an image read-only; returns the mount point. */
    Path erofs(Path image) throws IOException {
        Path mnt = Files.createDirectories(base.resolve("m" + next++));
        run(List.of("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString()));
        mounted.push(mnt);
        return mnt;
    }

    /** Mounts a read-only overlay of directories (topmost first), data-only directories and mount options. */
    Path overlay(List<Path> lowers, List<Path> dataOnly, String options) throws IOException {
        Path mnt = Files.createDirectories(base.resolve("m" + next++));
        StringBuilder lower = new StringBuilder();
        for (Path p : lowers) {
            lower.append(lower.length() == 0 ? "" : ":").append(p);
        }
        for (Path p : dataOnly) {
            lower.append("::").append(p);
        }
        String opts = "ro,lowerdir=" + lower + (options.isEmpty() ? "" : "," + options);
        run(List.of("mount", "-t", "overlay", "overlay", "-o", opts, mnt.toString()));
        mounted.push(mnt);
        return mnt;
    }

    /**
     * Writes a random stack's layers as EROFS images, mounts them as an overlay and reads them back as layers
     * (opened ones are added to {@code opened}, for the caller to close): the model sees the images the kernel
     * mounts.
     */
    Mounted mountStack(RandomStacks.Stack s, Path dir, List<Layer> opened) throws IOException {
        OverlayStack.Builder b = OverlayStack.builder().options(s.options());
        List<Path> lowers = new java.util.ArrayList<>();
        for (int i = 0; i < s.layers().size(); i++) {
            Path img = OverlayKernelPropertyTest.write(dir, "l" + i, s.layers().get(i));
            opened.add(Layer.fromImage(img));
            b.lower(opened.get(opened.size() - 1));
            lowers.add(erofs(img));
        }
        List<Path> data = new java.util.ArrayList<>();
        for (int i = 0; i < s.dataOnly().size(); i++) {
            Path img = OverlayKernelPropertyTest.write(dir, "d" + i, s.dataOnly().get(i));
            opened.add(Layer.fromImage(img));
            b.dataOnly(opened.get(opened.size() - 1));
            data.add(erofs(img));
        }
        MergedView view = b.build().merge();
        return new Mounted(view, overlay(lowers, data, s.options().mountOptions()));
    }

    /** A stack's merged view and the kernel's overlay mount of it. */
    record Mounted(MergedView view, Path mount) {}

    /** The manifest lines (manifest.py) of a directory. */
    static List<String> manifest(Path dir) throws IOException {
        return run(List.of("python3", tool("manifest.py").toString(), dir.toString()));
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        while (!mounted.isEmpty()) {
            Path m = mounted.pop();
            try {
                run(List.of("umount", m.toString()));
                Files.deleteIfExists(m);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs a command, returns its stdout lines; fails on a non-zero exit. */
    static List<String> run(List<String> cmd) throws IOException {
        return io.github.erofs4j.core.testing.KernelTools.run(cmd, null);
    }

    static void deleteTree(Path root) throws IOException {
        io.github.erofs4j.core.testing.KernelTools.deleteTree(root);
    }
}
