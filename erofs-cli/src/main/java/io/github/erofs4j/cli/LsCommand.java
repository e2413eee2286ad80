package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code erofs ls}: lists a directory of an image in on-disk order. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List a directory of an image (or name one file), in on-disk order (sorted by name bytes).",
            "With -R, list the whole subtree depth first, one path per line relative to PATH."})
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ImageArgs imageArgs;

    @Option(names = "-l", description = "Long format: mode, links, uid, gid, size (or major, minor), mtime (UTC), "
            + "name, and '-> target' for symlinks.")
    boolean longFormat;

    @Option(names = "-R", description = "Recurse into subdirectories.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The EROFS image.")
    Path image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "/", description = "Path inside the image "
            + "(default: the root); a byte of a name that is not UTF-8 is written \\xNN, as ls prints it.")
    String path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        try (ErofsImage img = imageArgs.open(image)) {
            ErofsInode start = img.resolve(path, false);
            if (start.type() != FileType.DIRECTORY) {
                print(out, start, Text.name(io.github.erofs4j.core.read.PathNames.fromText(path)));
                return 0;
            }
            // Depth-first pre-order with an explicit stack: a hostile image may nest deeply; visited directory
            // nids stop loops.
            Set<Long> seen = new HashSet<>();
            seen.add(start.nid());
            Deque<Object[]> stack = new ArrayDeque<>();
            status |= pushChildren(stack, start, "", err);
            while (!stack.isEmpty()) {
                Object[] top = stack.pop();
                String rel = (String) top[1];
                try {
                    ErofsInode in = img.inode((Long) top[0]);
                    print(out, in, recursive ? rel : (String) top[2]);
                    if (recursive && in.type() == FileType.DIRECTORY) {
                        if (seen.add(in.nid())) {
                            status |= pushChildren(stack, in, rel, err);
                        } else {
                            err.println("erofs ls: " + image + ": " + join(path, rel) + ": directory nid " + in.nid()
                                    + " reached twice (a loop); not descending");
                            status = Main.EXIT_FAILURE;
                        }
                    }
                } catch (IOException ex) {
                    err.println("erofs ls: " + ImageArgs.describe(image, join(path, rel), ex));
                    status = Main.EXIT_FAILURE;
                }
            }
        } catch (IOException e) {
            err.println("erofs ls: " + ImageArgs.describe(image, path, e));
            return Main.EXIT_FAILURE;
        }
        return status;
    }

    /** Pushes a directory's children (nid, path, name) so that they pop in on-disk order; returns 1 on failure. */
    private int pushChildren(Deque<Object[]> stack, ErofsInode dir, String rel, PrintWriter err) {
        List<DirEntry> children;
        try {
            children = dir.children();
        } catch (IOException e) {
            err.println("erofs ls: " + ImageArgs.describe(image, join(path, rel), e));
            return Main.EXIT_FAILURE;
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            DirEntry e = children.get(i);
            String name = Text.name(e.nameBytes());
            stack.push(new Object[] {e.nid(), rel.isEmpty() ? name : rel + "/" + name, name});
        }
        return 0;
    }

    private static String join(String base, String rel) {
        if (rel.isEmpty()) {
            return base;
        }
        return base.endsWith("/") ? base + rel : base + "/" + rel;
    }

    private void print(PrintWriter out, ErofsInode in, String name) throws IOException {
        if (!longFormat) {
            out.println(name);
            return;
        }
        String size = switch (in.type()) {
            case CHAR_DEVICE, BLOCK_DEVICE -> in.rdevMajor() + ", " + in.rdevMinor();
            default -> Long.toString(in.size());
        };
        StringBuilder sb = new StringBuilder();
        sb.append(Text.modeString(in.type(), in.mode())).append(' ')
                .append(String.format("%3d %5d %5d %10s ", in.nlink(), in.uid(), in.gid(), size))
                .append(Text.time(in, false)).append(' ').append(name);
        if (in.type() == FileType.SYMLINK) {
            sb.append(" -> ").append(Text.name(in.readSymlink()));
        }
        out.println(sb);
    }
}
