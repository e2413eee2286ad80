package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
            "Symlinks are followed inside the image (never outside it)."})
final class CatCommand implements Callable<Integer> {
    /** Same limit as Linux's MAXSYMLINKS. */
    static final int MAX_SYMLINKS = 40;

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
            ErofsInode in = followSymlinks(img, path);
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

    /** Resolves a path, following symlinks (in any component) inside the image, like the kernel would. */
    static ErofsInode followSymlinks(ErofsImage img, String path) throws IOException {
        ErofsInode cur = img.root();
        String rest = path;
        int hops = 0;
        java.util.ArrayDeque<ErofsInode> parents = new java.util.ArrayDeque<>();
        while (true) {
            while (rest.startsWith("/")) {
                rest = rest.substring(1);
            }
            if (rest.isEmpty()) {
                return cur;
            }
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            if (name.equals(".")) {
                continue;
            }
            if (cur.type() != FileType.DIRECTORY) {
                throw new java.nio.file.NotDirectoryException(path);
            }
            if (name.equals("..")) {
                cur = parents.isEmpty() ? cur : parents.pop();
                continue;
            }
            ErofsInode next = img.inode(cur.lookup(name)
                    .orElseThrow(() -> new java.nio.file.NoSuchFileException(path)).nid());
            if (next.type() == FileType.SYMLINK) {
                if (++hops > MAX_SYMLINKS) {
                    throw new java.nio.file.FileSystemException(path, null, "too many levels of symbolic links");
                }
                String target = new String(next.readSymlink(), StandardCharsets.UTF_8);
                if (target.startsWith("/")) {
                    cur = img.root();
                    parents.clear();
                }
                rest = target + (rest.isEmpty() ? "" : rest);
                continue;
            }
            parents.push(cur);
            cur = next;
        }
    }
}
