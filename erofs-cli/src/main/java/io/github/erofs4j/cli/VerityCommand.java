package io.github.erofs4j.cli;

import io.github.erofs4j.verity.FsVerityHashAlgorithm;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.VerityException;
import io.github.erofs4j.verity.sign.SigningKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code erofs verity}: fs-verity digests and signatures, dm-verity trees. The subcommands take the same flags
 * and print the same output as {@code fsverity digest}, {@code fsverity sign}, {@code veritysetup format} and
 * {@code veritysetup verify}, so scripts can switch. Exit status 0, 1 (failure, including a failed
 * verification) or 2 (bad usage).
 *
 * <p>The subcommands are built only when {@code verity} runs: building their picocli model costs about 0.1 s
 * of CPU at start-up, which every other {@code erofs} command would otherwise pay too.
 */
@Command(name = "verity",
        description = "fs-verity digests and signatures, dm-verity hash trees (fsverity/veritysetup compatible): "
                + "digest, sign, dm-format, dm-verify, dm-sign. See 'erofs verity --help'.")
public final class VerityCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine parent = spec.commandLine();
        CommandLine tool = new CommandLine(new Tool());
        tool.setCommandName(parent.getParent() == null ? "verity" : parent.getParent().getCommandName() + " verity");
        tool.setOut(parent.getOut());
        tool.setErr(parent.getErr());
        if (parent.getExecutionExceptionHandler() != null) {
            tool.setExecutionExceptionHandler(parent.getExecutionExceptionHandler());
        }
        return tool.execute(args.toArray(String[]::new));
    }

    /** The real {@code verity} command with its subcommands. */
    @Command(name = "verity", mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = "fs-verity digests and signatures, dm-verity hash trees (fsverity/veritysetup compatible).",
            subcommands = {VerityDigestCommand.class, VeritySignCommand.class, VerityDmFormatCommand.class,
                    VerityDmVerifyCommand.class, VerityDmSignCommand.class})
    static final class Tool implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing a command: digest, sign, dm-format, dm-verify or dm-sign");
        }
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

    /** The signing key options shared by sign and dm-sign, spelled as fsverity-utils spells them. */
    static final class SigningKeyOptions {
        @CommandLine.Option(names = "--key", paramLabel = "KEYFILE", required = true,
                description = "Private key, PEM PKCS#8 (RSA or EC).")
        Path key;

        @CommandLine.Option(names = "--cert", paramLabel = "CERTFILE",
                description = "X.509 certificate, PEM (default: read from the key file).")
        Path cert;

        /** Loads the key and its certificate. */
        SigningKey load() throws VerityException {
            return SigningKey.fromPem(key, cert);
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
