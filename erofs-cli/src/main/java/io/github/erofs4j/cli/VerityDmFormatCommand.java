package io.github.erofs4j.cli;

import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import io.github.erofs4j.verity.dm.DmVerityTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code erofs verity dm-format}: writes a dm-verity hash area and prints it like {@code veritysetup format}. */
@Command(name = "dm-format", mixinStandardHelpOptions = true,
        description = "Build the dm-verity hash tree of DATA into HASH (like veritysetup format); DATA and HASH may "
                + "be the same file with --hash-offset and --data-blocks.")
final class VerityDmFormatCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VerityDmOptions options = new VerityDmOptions();

    @CommandLine.Parameters(index = "0", paramLabel = "DATA")
    Path data;

    @CommandLine.Parameters(index = "1", paramLabel = "HASH")
    Path hash;

    @Override
    public Integer call() throws IOException {
        DmVerityParams p = options.params(spec.commandLine(), true);
        if (!Files.exists(data)) {
            throw new IOException("Device " + data + " does not exist or access denied.");
        }
        if (!Files.exists(hash)) {
            try {
                // veritysetup creates the hash file readable by its owner only
                Files.createFile(hash, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                // not a POSIX file system, or created meanwhile: DmVerity.format creates or reuses it
            }
        }
        DmVerityTree t;
        try {
            t = DmVerity.format(data, hash, p, Parallelism.allCores());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("Device " + e.getFile() + " does not exist or access denied.", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        report(out, hash.toString(), t, p.hashOffset() == 0);
        out.flush();
        return 0;
    }

    /**
     * Prints the report of {@code veritysetup format} for a tree stored in {@code hashName}; the hash device size
     * line is printed for a tree at offset 0, as veritysetup does.
     */
    static void report(PrintWriter out, String hashName, DmVerityTree t, boolean deviceSizeLine) {
        DmVerityParams p = t.params();
        byte[] salt = p.salt();
        out.print("VERITY header information for " + hashName + "\n");
        out.print("UUID:            \t" + (p.superblock() ? p.uuid().toString() : "") + "\n");
        out.print("Hash type:       \t" + p.hashType() + "\n");
        out.print("Data blocks:     \t" + t.dataBlocks() + "\n");
        out.print("Data block size: \t" + p.dataBlockSize() + "\n");
        out.print("Hash blocks:     \t" + t.layout().totalBlocks() + "\n");
        out.print("Hash block size: \t" + p.hashBlockSize() + "\n");
        out.print("Hash algorithm:  \t" + p.algorithm().kernelName() + "\n");
        out.print("Salt:            \t" + (salt.length == 0 ? "-" : HexFormat.of().formatHex(salt)) + "\n");
        out.print("Root hash:      \t" + t.rootHashHex() + "\n");
        if (deviceSizeLine) {
            out.print("Hash device size: \t" + t.hashDeviceSize() + " [bytes]\n");
        }
    }
}
