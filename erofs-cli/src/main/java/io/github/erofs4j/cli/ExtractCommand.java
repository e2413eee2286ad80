package io.github.erofs4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code erofs extract}: the same as {@code erofs fsck --extract=DIR}. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Extract an image into DIR (created if missing), checking it as fsck does.",
            "As root everything the kernel shows is restored: type, mode with setuid/setgid/sticky, owner, mtime "
                + "with nanoseconds (symlinks too), xattrs of every namespace, hard links, devices, fifos, sockets, "
                + "holes. Otherwise what cannot be restored is summarised on standard error.",
            "Nothing is ever written outside DIR."})
final class ExtractCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ImageArgs imageArgs;

    @Mixin
    ExtractFlags flags;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The EROFS image.")
    Path image;

    @Parameters(index = "1", paramLabel = "DIR", description = "The target directory.")
    Path dir;

    @Override
    public Integer call() {
        return FsckCommand.check(spec, imageArgs, flags, image, dir, "extract");
    }
}
