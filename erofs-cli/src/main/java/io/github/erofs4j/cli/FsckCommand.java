package io.github.erofs4j.cli;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.extract.CheckReport;
import io.github.erofs4j.core.extract.ExtractListener;
import io.github.erofs4j.core.extract.ExtractOptions;
import io.github.erofs4j.core.extract.ExtractSummary;
import io.github.erofs4j.core.extract.ImageChecker;
import io.github.erofs4j.core.extract.ImageExtractor;
import io.github.erofs4j.core.extract.Problem;
import io.github.erofs4j.core.read.ErofsImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    /**
     * {@code fsck} and {@code extract}: {@link ImageChecker} or {@link ImageExtractor}, with their findings
     * printed.
     */
    static int check(CommandSpec spec, ImageArgs imageArgs, ExtractFlags flags, Path image, Path target,
            String command) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String prefix = "erofs " + command + ": ";
        if (flags.threads < 0 || flags.threads > 256) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be between 0 and 256");
        }
        ExtractOptions options = null;
        if (target != null) {
            if (!flags.force && target.toAbsolutePath().normalize().getNameCount() == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "refusing to extract to " + target + " (use --force)");
            }
            boolean verbose = flags.verbose;
            options = flags.toOptions(new ExtractListener() {
                @Override
                public void notRestored(String what, String path, String detail) {
                    if (verbose) {
                        err.println("not restored: " + what + ": " + path + (detail == null ? "" : " " + detail));
                    }
                }

                @Override
                public void warning(String message) {
                    err.println(prefix + "warning: " + message);
                }
            });
        }
        CheckReport report;
        List<ExtractSummary.NotRestored> notRestored = List.of();
        try (ErofsImage img = imageArgs.open(image)) {
            if (target == null) {
                report = ImageChecker.check(img, flags.threads);
            } else {
                ExtractSummary summary = ImageExtractor.extract(img, target, options);
                report = summary.check();
                notRestored = summary.notRestored();
            }
        } catch (IOException e) {
            err.println(prefix + ImageArgs.describe(image, null, e));
            return Main.EXIT_FAILURE;
        }
        for (Problem p : report.problems()) {
            err.println(prefix + image + ": " + Text.safe(p.path()) + ": " + p.description());
        }
        long more = report.problemCount() - report.problems().size();
        if (more > 0) {
            err.println(prefix + "... and " + more + " more problems");
        }
        if (!notRestored.isEmpty()) {
            err.println(prefix + image + ": not restored in " + target + ":");
            for (ExtractSummary.NotRestored n : notRestored) {
                err.println("  " + n.count() + " " + n.what() + ", e.g. " + n.example());
            }
        }
        if (report.problemCount() > 0) {
            err.println(prefix + image + ": " + report.problemCount() + " problem(s) found");
            return Main.EXIT_FAILURE;
        }
        if (command.equals("fsck")) {
            out.println(image + ": no errors found: " + report.inodes() + " inodes (" + summary(report.typeCounts())
                    + "), " + report.bytesRead() + " bytes of data read" + (target == null ? "" : ", extracted to "
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
