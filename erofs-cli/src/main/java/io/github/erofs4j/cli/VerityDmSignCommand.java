package io.github.erofs4j.cli;

import io.github.erofs4j.verity.VerityException;
import io.github.erofs4j.verity.sign.VeritySignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code erofs verity dm-sign}: the PKCS#7 signature of a dm-verity root hash that
 * {@code veritysetup open --root-hash-signature=FILE} passes to the kernel. Same bytes as
 * {@code printf %s ROOT | openssl smime -sign -binary -noattr -nocerts -md sha256 -outform DER -signer CERT -inkey KEY}.
 */
@Command(name = "dm-sign", mixinStandardHelpOptions = true,
        description = "Sign a dm-verity ROOT_HASH (its lowercase hex text) into OUT_SIGFILE, for veritysetup "
                + "open --root-hash-signature (PKCS#7 DER, detached, no attributes or certificates).")
final class VerityDmSignCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VerityCommand.SigningKeyOptions signer = new VerityCommand.SigningKeyOptions();

    @CommandLine.Option(names = "--hash-alg", paramLabel = "HASH_ALG", defaultValue = "sha256",
            description = "Signature digest: sha256 (default), sha384 or sha512.")
    String hashAlg;

    @CommandLine.Parameters(index = "0", paramLabel = "ROOT_HASH")
    String rootHash;

    @CommandLine.Parameters(index = "1", paramLabel = "OUT_SIGFILE")
    Path out;

    @Override
    public Integer call() throws IOException {
        byte[] root;
        VeritySignatures.Digest digest;
        try {
            root = HexFormat.of().parseHex(rootHash);
            digest = VeritySignatures.Digest.fromName(hashAlg);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid root hash string specified.");
        } catch (VerityException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (root.length == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid root hash string specified.");
        }
        Files.write(out, VeritySignatures.signDmRootHash(root, signer.load(), digest));
        return 0;
    }
}
