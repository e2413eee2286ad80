package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code erofs cat}: writes the content of one file of an image to standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true,
        description = {"Write the content of a file in the image to standard output.",
            "Symlinks are followed inside the image (never outside it). A byte of a name that is not UTF-8 is "
                + "written \\xNN, as ls prints it."})
final class CatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    ImageArgs imageArgs;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The EROFS image.")
    Path image;

    @Parameters(index = "1", paramLabel = "PATH", description = "Path of a file inside the image.")
    String path;

    @Override
    public Integer call() {
        try (ErofsImage img = imageArgs.open(image)) {
            ErofsInode in = img.resolve(path, true);
            if (in.type() == FileType.DIRECTORY) {
                return fail(path + ": is a directory");
            }
            if (in.type() != FileType.REGULAR) {
                return fail(path + ": not a regular file (" + in.type().name().toLowerCase().replace('_', ' ') + ")");
            }
            spec.commandLine().getOut().flush();
            OutputStream out = main.stdout();
            byte[] buf = new byte[1 << 17];
            long pos = 0;
            int n;
            while ((n = in.read(pos, buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
                pos += n;
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("erofs cat: " + ImageArgs.describe(image, path, e));
            return Main.EXIT_FAILURE;
        }
    }

    private int fail(String what) {
        spec.commandLine().getErr().println("erofs cat: " + image + ": " + what);
        return Main.EXIT_FAILURE;
    }
}
