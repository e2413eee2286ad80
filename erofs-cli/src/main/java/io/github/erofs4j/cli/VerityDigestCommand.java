package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.verity.FsVerity;
import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.Parallelism;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code erofs verity digest}: prints fs-verity digests exactly as {@code fsverity digest} does. */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = "Compute the fs-verity digest of each FILE, printed as ALG:HEX FILE (like fsverity digest).")
final class VerityDigestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VerityCommand.FsVerityOptions options = new VerityCommand.FsVerityOptions();

    @CommandLine.Option(names = "--compact", description = "Print only the hex digest.")
    boolean compact;

    @CommandLine.Option(names = "--for-builtin-sig",
            description = "Print the fsverity_formatted_digest that builtin signatures sign.")
    boolean forBuiltinSig;

    @CommandLine.Option(names = "--image", paramLabel = "IMAGE",
            description = "Read each FILE from this EROFS image (a path inside it), without extracting (not in fsverity).")
    Path image;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to digest.")
    List<String> files;

    @Override
    public Integer call() throws IOException {
        FsVerityParams p = options.params(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        ErofsImage img = image == null ? null : ErofsImage.open(image);
        try {
            for (String f : files) {
                print(out, f, digest(img, f, p));
            }
        } finally {
            if (img != null) {
                img.close();
            }
        }
        out.flush();
        return 0;
    }

    private FsVerityDigest digest(ErofsImage img, String f, FsVerityParams p) throws IOException {
        FsVerityDigest d;
        try {
            if (img == null) {
                d = FsVerity.digest(Path.of(f), p, Parallelism.allCores(), options.outMerkleTree);
            } else {
                ErofsInode inode = img.resolve(f);
                if (options.outMerkleTree != null) {
                    try (SeekableByteChannel ch = inode.newByteChannel()) {
                        d = FsVerity.digest(ch, p, Parallelism.allCores(), options.outMerkleTree);
                    }
                } else {
                    d = FsVerity.digest(inode, p, Parallelism.allCores());
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("can't open '" + f + "' for reading: No such file or directory", e);
        }
        if (options.outDescriptor != null) {
            Files.write(options.outDescriptor, d.descriptorBytes());
        }
        return d;
    }

    private void print(PrintWriter out, String f, FsVerityDigest d) {
        String text = forBuiltinSig ? HexFormat.of().formatHex(d.formattedDigest()) : compact ? d.hex() : d.toString();
        out.println(compact ? text : text + " " + f);
    }
}
