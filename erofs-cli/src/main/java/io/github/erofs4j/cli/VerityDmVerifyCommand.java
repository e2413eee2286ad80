package io.github.erofs4j.cli;

import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code erofs verity dm-verify}: checks data against a dm-verity tree like {@code veritysetup verify}. Silent on
 * success (prints "Command successful." with -v); on a mismatch prints veritysetup's messages and exits 1.
 */
@Command(name = "dm-verify", mixinStandardHelpOptions = true,
        description = "Verify DATA against the dm-verity tree in HASH and ROOT_HASH (like veritysetup verify).")
final class VerityDmVerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VerityDmOptions options = new VerityDmOptions();

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "Print \"Command successful.\" on success.")
    boolean verbose;

    @CommandLine.Parameters(index = "0", paramLabel = "DATA")
    java.nio.file.Path data;

    @CommandLine.Parameters(index = "1", paramLabel = "HASH")
    java.nio.file.Path hash;

    @CommandLine.Parameters(index = "2", paramLabel = "ROOT_HASH")
    String rootHash;

    @Override
    public Integer call() throws IOException {
        DmVerityParams p = options.params(spec.commandLine(), false);
        byte[] root;
        try {
            root = HexFormat.of().parseHex(rootHash);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid root hash string specified.");
        }
        try {
            DmVerity.verify(data, hash, root, p, Parallelism.allCores());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("Device " + e.getFile() + " does not exist or access denied.", e);
        } catch (VerificationException e) {
            var err = spec.commandLine().getErr();
            switch (e.failure()) {
                case DATA_BLOCK_MISMATCH -> {
                    err.println("Verification failed at position " + e.position() + ".");
                    err.println("Verification of data area failed.");
                }
                case ROOT_HASH_MISMATCH -> err.println("Verification of root hash failed.");
                case HASH_BLOCK_MISMATCH -> err.println(e.getMessage());
                // A hash file that is not one (bad superblock, too short) is an error like any other.
                default -> throw e;
            }
            err.flush();
            return 1;
        }
        if (verbose) {
            spec.commandLine().getOut().println("Command successful.");
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
