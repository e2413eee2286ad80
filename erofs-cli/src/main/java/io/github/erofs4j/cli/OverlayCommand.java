package io.github.erofs4j.cli;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.overlay.Composefs;
import io.github.erofs4j.overlay.Layer;
import io.github.erofs4j.overlay.MergedView;
import io.github.erofs4j.overlay.OciLayers;
import io.github.erofs4j.overlay.OverlayDiff;
import io.github.erofs4j.overlay.OverlayOptions;
import io.github.erofs4j.overlay.OverlayStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code erofs overlay}: overlayfs stacks of layers (EROFS images, directories, tarballs) as the kernel shows them:
 * listing and reading the merged view, flattening it into one image, computing an upper layer from a lower and a
 * target, and merging OCI layer tarballs.
 */
@Command(name = "overlay", mixinStandardHelpOptions = true,
        description = {"Overlayfs stacks of EROFS images, directories and tarballs, as the kernel merges them.",
            "Layers are listed topmost first, as lowerdir= lists them."},
        subcommands = {OverlayCommand.Ls.class, OverlayCommand.Cat.class, OverlayCommand.Flatten.class,
            OverlayCommand.Diff.class, OverlayCommand.Oci.class, OverlayCommand.ComposefsImage.class})
final class OverlayCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand (ls, cat, flatten, diff, oci, composefs)");
    }

    /** The mount options shared by the commands that merge a stack. */
    static final class StackOptions {
        @Option(names = "--data-only", paramLabel = "LAYER",
                description = "A data-only lower layer (after '::' in lowerdir=); repeatable. Implies --metacopy.")
        List<Path> dataOnly = new ArrayList<>();

        @Option(names = "--metacopy", description = "Honour metacopy files (metacopy=on).")
        boolean metacopy;

        @Option(names = "--no-redirects", description = "Do not follow redirects (redirect_dir=nofollow).")
        boolean noRedirects;

        @Option(names = "--userxattr", description = "user.overlay.* xattrs (userxattr: no redirects, no metacopy).")
        boolean userXattr;

        OverlayOptions options() {
            if (userXattr) {
                return OverlayOptions.userXattr();
            }
            return OverlayOptions.builder().followRedirects(!noRedirects)
                    .metacopy(metacopy || !dataOnly.isEmpty()).build();
        }
    }

    /** Opens layers, merges them and closes them. */
    static final class Stack implements AutoCloseable {
        final List<Layer> opened = new ArrayList<>();
        final MergedView view;

        Stack(List<Path> layers, StackOptions o) throws IOException {
            try {
                OverlayStack.Builder b = OverlayStack.builder().options(o.options());
                for (Path p : layers) {
                    opened.add(Layer.open(p));
                    b.lower(opened.get(opened.size() - 1));
                }
                for (Path p : o.dataOnly) {
                    opened.add(Layer.open(p));
                    b.dataOnly(opened.get(opened.size() - 1));
                }
                view = b.build().merge();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            for (Layer l : opened) {
                l.close();
            }
        }
    }

    static int fail(CommandSpec spec, String what) {
        spec.commandLine().getErr().println("erofs overlay " + spec.name() + ": " + what);
        return Main.EXIT_FAILURE;
    }

    /** {@code erofs overlay ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List a directory of the merged view: mode, owner, size, mtime, source layer, name.")
    static final class Ls implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StackOptions stack = new StackOptions();

        @Option(names = {"-R", "--recursive"}, description = "List subdirectories too.")
        boolean recursive;

        @Option(names = {"-p", "--path"}, paramLabel = "PATH", description = "The directory to list (default /).")
        String path = "/";

        @Parameters(paramLabel = "LAYER", arity = "1..*", description = "Layers, topmost first.")
        List<Path> layers;

        @Override
        public Integer call() {
            try (Stack s = new Stack(layers, stack)) {
                Optional<MergedView.Entry> e = s.view.lookup(path);
                if (e.isEmpty()) {
                    return fail(spec, path + ": no such entry in the merged view");
                }
                PrintWriter out = spec.commandLine().getOut();
                if (e.get().type() != FileType.DIRECTORY) {
                    out.println(line(e.get()));
                } else {
                    list(e.get(), out);
                }
                out.flush();
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }

        private void list(MergedView.Entry dir, PrintWriter out) throws IOException {
            for (MergedView.Entry c : dir.children()) {
                out.println(line(c));
                if (recursive && c.type() == FileType.DIRECTORY) {
                    list(c, out);
                }
            }
        }

        private static String line(MergedView.Entry e) {
            StringBuilder sb = new StringBuilder();
            sb.append(e.type().manifestCode() == 'f' ? '-' : e.type().manifestCode()).append(perms(e.permissions()))
                    .append(' ').append(e.uid()).append(' ').append(e.gid()).append(' ').append(e.size())
                    .append(' ').append(Instant.ofEpochSecond(e.mtimeSeconds(), e.mtimeNanos()))
                    .append(" L").append(e.layer());
            if (e.dataLayer() >= 0 && e.dataLayer() != e.layer()) {
                sb.append("+L").append(e.dataLayer());
            }
            sb.append(' ').append(e.path());
            if (e.type() == FileType.SYMLINK) {
                sb.append(" -> ").append(new String(e.symlinkTarget(), StandardCharsets.UTF_8));
            }
            return sb.toString();
        }

        private static String perms(int m) {
            char[] c = "rwxrwxrwx".toCharArray();
            for (int i = 0; i < 9; i++) {
                if ((m & (1 << (8 - i))) == 0) {
                    c[i] = '-';
                }
            }
            if ((m & 04000) != 0) {
                c[2] = c[2] == 'x' ? 's' : 'S';
            }
            if ((m & 02000) != 0) {
                c[5] = c[5] == 'x' ? 's' : 'S';
            }
            if ((m & 01000) != 0) {
                c[8] = c[8] == 'x' ? 't' : 'T';
            }
            return new String(c);
        }
    }

    /** {@code erofs overlay cat}. */
    @Command(name = "cat", mixinStandardHelpOptions = true,
            description = "Write the content of a regular file of the merged view to standard output.")
    static final class Cat implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        OverlayCommand parent;

        @Mixin
        StackOptions stack = new StackOptions();

        @Parameters(index = "0", paramLabel = "PATH", description = "Path of the file in the merged view.")
        String path;

        @Parameters(index = "1..*", paramLabel = "LAYER", arity = "1..*", description = "Layers, topmost first.")
        List<Path> layers;

        @Override
        public Integer call() {
            try (Stack s = new Stack(layers, stack)) {
                Optional<MergedView.Entry> e = s.view.lookup(path);
                if (e.isEmpty()) {
                    return fail(spec, path + ": no such entry in the merged view");
                }
                if (e.get().type() != FileType.REGULAR) {
                    return fail(spec, path + ": not a regular file ("
                            + e.get().type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
                }
                spec.commandLine().getOut().flush();
                OutputStream out = parent.main.stdout();
                try (InputStream in = e.get().newInputStream()) {
                    in.transferTo(out);
                }
                out.flush();
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** {@code erofs overlay flatten}. */
    @Command(name = "flatten", mixinStandardHelpOptions = true,
            description = {"Write the merged view of a stack as one EROFS image, which mounts as the overlay would.",
                "Escaped overlay xattrs (trusted.overlay.overlay.*) become plain ones (trusted.overlay.*)."})
    static final class Flatten implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StackOptions stack = new StackOptions();

        @Parameters(index = "0", paramLabel = "OUT", description = "The image to write.")
        Path out;

        @Parameters(index = "1..*", paramLabel = "LAYER", arity = "1..*",
                description = "Layers (EROFS images, directories or tarballs), topmost first.")
        List<Path> layers;

        @Override
        public Integer call() {
            try (Stack s = new Stack(layers, stack)) {
                s.view.writeImage(out, WriteOptions.defaults());
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** {@code erofs overlay diff}. */
    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Write the upper layer that, mounted over LOWER (lowerdir=UPPER:LOWER), shows TARGET.",
                "LOWER and TARGET are EROFS images, directories or tarballs."})
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--metacopy",
                description = "Metadata-only changes as metacopy files (mount with metacopy=on).")
        boolean metacopy;

        @Option(names = "--xattr-whiteouts",
                description = "Whiteouts as empty files with an overlay.whiteout xattr (not 0:0 character devices).")
        boolean xattrWhiteouts;

        @Option(names = "--no-opaque", description = "Whiteouts only, never opaque directories.")
        boolean noOpaque;

        @Option(names = "--userxattr", description = "user.overlay.* xattrs (for a userxattr mount).")
        boolean userXattr;

        @Parameters(index = "0", paramLabel = "LOWER", description = "The lower layer.")
        Path lower;

        @Parameters(index = "1", paramLabel = "TARGET", description = "What the mount should show.")
        Path target;

        @Parameters(index = "2", paramLabel = "OUT", description = "The upper layer's image to write.")
        Path out;

        @Override
        public Integer call() {
            if (userXattr && metacopy) {
                return fail(spec, "--userxattr rules out --metacopy (the kernel refuses the mount)");
            }
            OverlayOptions ovl = userXattr ? OverlayOptions.userXattr()
                    : OverlayOptions.builder().metacopy(metacopy).build();
            OverlayDiff.Options o = OverlayDiff.Options.builder().overlay(ovl).metacopy(metacopy)
                    .whiteouts(xattrWhiteouts ? OciLayers.WhiteoutStyle.XATTR : OciLayers.WhiteoutStyle.CHAR_DEVICE)
                    .opaqueDirectories(!noOpaque).build();
            try (Layer l = Layer.open(lower); Layer t = Layer.open(target)) {
                FsTree upper = OverlayDiff.diff(l, t.tree(), o);
                io.github.erofs4j.core.write.ErofsWriter.write(upper, out, WriteOptions.defaults());
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** {@code erofs overlay oci}. */
    @Command(name = "oci", mixinStandardHelpOptions = true,
            description = {"Merge OCI layer tarballs (.wh. whiteouts, .wh..wh..opq opaque markers) into one image.",
                "Layers are listed topmost first unless --base-first (the order of an OCI manifest) is given."})
    static final class Oci implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--base-first", description = "LAYER arguments are listed base layer first.")
        boolean baseFirst;

        @Parameters(index = "0", paramLabel = "OUT", description = "The image to write.")
        Path out;

        @Parameters(index = "1..*", paramLabel = "LAYER", arity = "1..*", description = "OCI layer tarballs.")
        List<Path> layers;

        @Override
        public Integer call() {
            List<Path> topmostFirst = new ArrayList<>(layers);
            if (baseFirst) {
                java.util.Collections.reverse(topmostFirst);
            }
            try {
                OciLayers.mergeToImage(topmostFirst, out, WriteOptions.defaults());
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    /** {@code erofs overlay composefs}. */
    @Command(name = "composefs", mixinStandardHelpOptions = true,
            description = {"Write a composefs image of a directory: metadata only, each file over 64 bytes naming its "
                + "content in a store by fs-verity digest (trusted.overlay.metacopy and .redirect).",
                "Mount: mount -t erofs -o loop,ro OUT IMGMNT; "
                + "mount -t overlay -o ro,metacopy=on,redirect_dir=on,lowerdir=IMGMNT::STORE overlay MNT"})
    static final class ComposefsImage implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--store", paramLabel = "STORE", required = true,
                description = "The content store (created if missing; objects already there are kept).")
        Path store;

        @Parameters(index = "0", paramLabel = "SOURCE", description = "The directory to describe.")
        Path source;

        @Parameters(index = "1", paramLabel = "OUT", description = "The image to write.")
        Path out;

        @Override
        public Integer call() {
            if (!java.nio.file.Files.isDirectory(source)) {
                return fail(spec, source + ": not a directory");
            }
            try {
                Composefs.Summary s = Composefs.write(source, out, store, WriteOptions.defaults());
                spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                        "%s: %d bytes; %d files name %d objects (%d bytes), %d written to %s%n", out,
                        s.image().imageBytes(), s.files(), s.objects(), s.objectBytes(), s.objectsWritten(), store);
                return 0;
            } catch (IOException e) {
                return fail(spec, e.getMessage());
            }
        }
    }
}
