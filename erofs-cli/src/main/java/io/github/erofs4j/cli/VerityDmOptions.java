package io.github.erofs4j.cli;

import io.github.erofs4j.verity.VerityException;
import io.github.erofs4j.verity.dm.DmVerityHashAlgorithm;
import io.github.erofs4j.verity.dm.DmVerityParams;
import java.security.SecureRandom;
import java.util.UUID;
import picocli.CommandLine;

/** The veritysetup options shared by {@code dm-format} and {@code dm-verify}, spelled as veritysetup spells them. */
final class VerityDmOptions {
    @CommandLine.Option(names = "--hash", paramLabel = "ALG", defaultValue = "sha256",
            description = "Hash algorithm: sha256 (default), sha512, sha1, sha224, sha384.")
    String hash;

    @CommandLine.Option(names = "--format", paramLabel = "N", defaultValue = "1",
            description = "Hash type: 1 (default) or 0 (Chrome OS).")
    int format;

    @CommandLine.Option(names = "--data-block-size", paramLabel = "N", defaultValue = "4096",
            description = "Data block size in bytes (default 4096).")
    int dataBlockSize;

    @CommandLine.Option(names = "--hash-block-size", paramLabel = "N", defaultValue = "4096",
            description = "Hash block size in bytes (default 4096).")
    int hashBlockSize;

    @CommandLine.Option(names = "--salt", paramLabel = "HEX",
            description = "Salt in hex, or - for none (format default: 32 random bytes).")
    String salt;

    @CommandLine.Option(names = "--uuid", paramLabel = "UUID", description = "UUID for the superblock (default: random).")
    String uuid;

    @CommandLine.Option(names = "--no-superblock", description = "Do not write (or read) a superblock.")
    boolean noSuperblock;

    @CommandLine.Option(names = "--hash-offset", paramLabel = "BYTES", defaultValue = "0",
            description = "Offset of the hash area in the hash file (e.g. the image size when appending).")
    long hashOffset;

    @CommandLine.Option(names = "--data-blocks", paramLabel = "N", defaultValue = "0",
            description = "Number of data blocks (default: the whole data file).")
    long dataBlocks;

    /** Validates into parameters; {@code randomDefaults} gives a random salt and UUID when not given. */
    DmVerityParams params(CommandLine cl, boolean randomDefaults) {
        try {
            DmVerityParams.Builder b = DmVerityParams.builder().algorithm(DmVerityHashAlgorithm.fromName(hash))
                    .hashType(format).dataBlockSize(dataBlockSize).hashBlockSize(hashBlockSize)
                    .superblock(!noSuperblock).hashOffset(hashOffset).dataBlocks(dataBlocks);
            if (salt != null && !salt.equals("-")) {
                b.salt(VerityCommand.hex(cl, salt, "salt"));
            } else if (salt == null && randomDefaults) {
                byte[] s = new byte[32];
                new SecureRandom().nextBytes(s);
                b.salt(s);
            }
            if (uuid != null) {
                try {
                    b.uuid(UUID.fromString(uuid));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "Wrong VERITY UUID format provided: " + uuid);
                }
            } else if (randomDefaults) {
                b.uuid(RandomUuid.next());
            }
            return b.build();
        } catch (VerityException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
    }
}
