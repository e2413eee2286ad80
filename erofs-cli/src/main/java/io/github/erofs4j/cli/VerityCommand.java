package io.github.erofs4j.cli;

import io.github.erofs4j.verity.FsVerityHashAlgorithm;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.VerityException;
import java.util.HexFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code erofs verity}: fs-verity digests and signatures, dm-verity trees. The subcommands take the same flags
 * and print the same output as {@code fsverity digest}, {@code fsverity sign}, {@code veritysetup format} and
 * {@code veritysetup verify}, so scripts can switch. Exit status 0, 1 (failure, including a failed
 * verification) or 2 (bad usage).
 */
@Command(name = "verity", mixinStandardHelpOptions = true,
        description = "fs-verity digests and signatures, dm-verity hash trees (fsverity/veritysetup compatible).",
        subcommands = {VerityDigestCommand.class, VeritySignCommand.class, VerityDmFormatCommand.class,
                VerityDmVerifyCommand.class, VerityDmSignCommand.class})
public final class VerityCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: digest, sign, dm-format or dm-verify");
    }

    /** The fs-verity options shared by digest and sign, spelled as fsverity-utils spells them. */
    static final class FsVerityOptions {
        @CommandLine.Option(names = "--hash-alg", paramLabel = "HASH_ALG", defaultValue = "sha256",
                description = "sha256 (default) or sha512.")
        String hashAlg;

        @CommandLine.Option(names = "--block-size", paramLabel = "BLOCK_SIZE", defaultValue = "4096",
                description = "Merkle tree block size, a power of 2 (default 4096).")
        int blockSize;

        @CommandLine.Option(names = "--salt", paramLabel = "SALT", description = "Salt in hex, up to 32 bytes.")
        String salt;

        @CommandLine.Option(names = "--out-merkle-tree", paramLabel = "FILE",
                description = "Write the Merkle tree (root level first) to FILE.")
        java.nio.file.Path outMerkleTree;

        @CommandLine.Option(names = "--out-descriptor", paramLabel = "FILE",
                description = "Write the 256-byte fs-verity descriptor to FILE.")
        java.nio.file.Path outDescriptor;

        /** Validates into parameters; bad values are usage errors. */
        FsVerityParams params(CommandLine cl) {
            try {
                return FsVerityParams.builder().algorithm(FsVerityHashAlgorithm.fromName(hashAlg)).blockSize(blockSize)
                        .salt(salt == null ? null : hex(cl, salt, "salt")).build();
            } catch (VerityException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage(), e);
            }
        }
    }

    static byte[] hex(CommandLine cl, String s, String what) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, what + " is not a valid hex string");
        }
    }
}
