package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.DirEntry;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.FileType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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

    @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", description = "Path inside the image "
            + "(default: the root).")
    String path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        try (ErofsImage img = imageArgs.open(image)) {
            ErofsInode start = img.resolve(path);
            if (start.type() != FileType.DIRECTORY) {
                print(out, start, path);
                return 0;
            }
            // Iterative walk: a hostile image may nest deeply; visited directory nids stop cycles.
            Deque<Object[]> stack = new ArrayDeque<>();
            Set<Long> seen = new HashSet<>();
            seen.add(start.nid());
            stack.push(new Object[] {start, ""});
            while (!stack.isEmpty()) {
                Object[] top = stack.pop();
                ErofsInode dir = (ErofsInode) top[0];
                String rel = (String) top[1];
                List<DirEntry> children;
                try {
                    children = dir.children();
                } catch (IOException e) {
                    err.println("erofs ls: " + ImageArgs.describe(image, join(path, rel), e));
                    status = Main.EXIT_FAILURE;
                    continue;
                }
                Deque<Object[]> subdirs = new ArrayDeque<>();
                for (DirEntry e : children) {
                    String name = e.name();
                    String childRel = rel.isEmpty() ? name : rel + "/" + name;
                    try {
                        ErofsInode in = img.inode(e.nid());
                        print(out, in, recursive ? childRel : name);
                        if (recursive && in.type() == FileType.DIRECTORY) {
                            if (seen.add(in.nid())) {
                                subdirs.push(new Object[] {in, childRel});
                            } else {
                                err.println("erofs ls: " + image + ": " + join(path, childRel)
                                        + ": directory nid " + in.nid() + " seen twice (loop), not descending");
                                status = Main.EXIT_FAILURE;
                            }
                        }
                    } catch (IOException ex) {
                        err.println("erofs ls: " + ImageArgs.describe(image, join(path, childRel), ex));
                        status = Main.EXIT_FAILURE;
                    }
                }
                // Keep on-disk order in the depth-first output.
                while (!subdirs.isEmpty()) {
                    stack.push(subdirs.pop());
                }
            }
        } catch (IOException e) {
            err.println("erofs ls: " + ImageArgs.describe(image, path, e));
            return Main.EXIT_FAILURE;
        }
        return status;
    }

    private static String join(String base, String rel) {
        if (rel.isEmpty()) {
            return base;
        }
        return base.endsWith("/") ? base + rel : base + "/" + rel;
    }

    private void print(PrintWriter out, ErofsInode in, String name) throws IOException {
        if (!longFormat) {
            out.println(Text.safe(name));
            return;
        }
        String size = switch (in.type()) {
            case CHAR_DEVICE, BLOCK_DEVICE -> in.rdevMajor() + ", " + in.rdevMinor();
            default -> Long.toString(in.size());
        };
        StringBuilder sb = new StringBuilder();
        sb.append(Text.modeString(in.type(), in.mode())).append(' ')
                .append(String.format("%3d %5d %5d %10s ", in.nlink(), in.uid(), in.gid(), size))
                .append(Text.time(in, false)).append(' ').append(Text.safe(name));
        if (in.type() == FileType.SYMLINK) {
            sb.append(" -> ").append(Text.safe(new String(in.readSymlink(), StandardCharsets.UTF_8)));
        }
        out.println(sb);
    }
}
