package io.github.erofs4j.cli;

import io.github.erofs4j.core.posix.Posix;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code erofs fsck}: checks a whole image, optionally extracting it. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Check an image: walk every directory (names strictly sorted, '.' and '..' correct, dirent "
                + "types matching), read every inode, xattr and byte of data.",
            "Exit 0 when the image is sound, 1 with the offending path and byte offset otherwise."})
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ImageArgs imageArgs;

    @Mixin
    ExtractFlags flags;

    @Option(names = "--extract", paramLabel = "DIR", description = "Also extract the image into DIR.")
    Path extractTo;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The EROFS image.")
    Path image;

    @Override
    public Integer call() {
        return check(spec, imageArgs, flags, image, extractTo, "fsck");
    }

    /** The walk behind {@code fsck} and {@code extract}. */
    static int check(CommandSpec spec, ImageArgs imageArgs, ExtractFlags flags, Path image, Path target,
            String command) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String prefix = "erofs " + command + ": ";
        if (flags.threads < 0 || flags.threads > 256) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be between 0 and 256");
        }
        Extractor extractor = null;
        Posix posix = Posix.get();
        if (target != null) {
            if (!flags.force && target.toAbsolutePath().normalize().getNameCount() == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "refusing to extract to " + target + " (use --force)");
            }
            if (!posix.available()) {
                err.println(prefix + "warning: " + posix.unavailableReason() + "; xattrs outside user.*, device "
                        + "nodes, fifos, sockets and nanosecond symlink times cannot be restored");
            }
        }
        ImageWalk walk;
        try (ErofsImage img = imageArgs.open(image);
                FileChannel raw = target == null ? null : FileChannel.open(image, StandardOpenOption.READ)) {
            if (target != null) {
                extractor = new Extractor(target, flags.toOptions(posix), posix, err, raw);
            }
            walk = new ImageWalk(img, image, extractor, flags.threadCount());
            walk.run();
        } catch (IOException e) {
            err.println(prefix + ImageArgs.describe(image, null, e));
            return Main.EXIT_FAILURE;
        }
        for (String p : walk.problems()) {
            err.println(prefix + p);
        }
        long more = walk.problemCount() - walk.problems().size();
        if (more > 0) {
            err.println(prefix + "... and " + more + " more problems");
        }
        if (extractor != null) {
            List<String> skipped = extractor.skipped();
            if (!skipped.isEmpty()) {
                err.println(prefix + image + ": not restored in " + target + ":");
                for (String s : skipped) {
                    err.println("  " + s);
                }
            }
        }
        if (walk.problemCount() > 0) {
            err.println(prefix + image + ": " + walk.problemCount() + " problem(s) found");
            return Main.EXIT_FAILURE;
        }
        if (command.equals("fsck")) {
            out.println(image + ": no errors found: " + walk.inodes() + " inodes (" + summary(walk.typeCounts())
                    + "), " + walk.bytesRead() + " bytes of data read" + (target == null ? "" : ", extracted to "
                    + target));
        }
        return 0;
    }

    private static String summary(Map<FileType, Long> counts) {
        StringBuilder sb = new StringBuilder();
        for (FileType t : FileType.values()) {
            Long n = counts.get(t);
            if (n != null) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ')
                        .append(t.name().toLowerCase().replace('_', ' '));
            }
        }
        return sb.toString();
    }
}
