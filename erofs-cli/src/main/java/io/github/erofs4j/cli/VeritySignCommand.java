package io.github.erofs4j.cli;

import io.github.erofs4j.verity.FsVerity;
import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.sign.SigningKey;
import io.github.erofs4j.verity.sign.VeritySignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code erofs verity sign}: the same signature bytes and output as {@code fsverity sign}. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign the fs-verity digest of FILE into OUT_SIGFILE (PKCS#7 DER, like fsverity sign).")
final class VeritySignCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VerityCommand.FsVerityOptions options = new VerityCommand.FsVerityOptions();

    @CommandLine.Mixin
    VerityCommand.SigningKeyOptions signer = new VerityCommand.SigningKeyOptions();

    @CommandLine.Parameters(index = "0", paramLabel = "FILE")
    String file;

    @CommandLine.Parameters(index = "1", paramLabel = "OUT_SIGFILE")
    Path outSig;

    @Override
    public Integer call() throws IOException {
        FsVerityParams p = options.params(spec.commandLine());
        SigningKey k = signer.load();
        FsVerityDigest d;
        try {
            d = FsVerity.digest(Path.of(file), p, Parallelism.allCores(), options.outMerkleTree);
        } catch (NoSuchFileException e) {
            throw new IOException("can't open '" + file + "' for reading: No such file or directory", e);
        }
        if (options.outDescriptor != null) {
            Files.write(options.outDescriptor, d.descriptorBytes());
        }
        Files.write(outSig, VeritySignatures.signFsVerity(d, k));
        spec.commandLine().getOut().println("Signed file '" + file + "' (" + d + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
