package io.github.erofs4j.verity;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.erofs4j.verity.dm.DmVerity;
import io.github.erofs4j.verity.dm.DmVerityParams;
import io.github.erofs4j.verity.dm.DmVeritySuperblock;
import io.github.erofs4j.verity.sign.SigningKey;
import io.github.erofs4j.verity.sign.VeritySignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the verity parsers: a dm-verity hash device (its superblock, then the tree checked
 * against 16 KiB of zeros), a PKCS#7 signature checked against the test certificate, and an fs-verity descriptor.
 * Each ends in a result or a {@link VerityException}; another exception, a hang or an {@link OutOfMemoryError} is a
 * finding. Seeds: a hash device veritysetup's layout produces, the signatures of {@code testdata/fixtures/verity/sig}
 * and descriptors of the fs-verity vectors.
 */
class VerityFuzzTest {
    private static final byte[] DATA = new byte[16384];
    private static final byte[] CONTENT = "the signed content\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "10m")
    void dmVerity(byte[] hashDevice) throws IOException {
        if (hashDevice.length >= DmVeritySuperblock.SIZE) {
            try {
                DmVeritySuperblock sb = DmVeritySuperblock.decode(Arrays.copyOf(hashDevice, 512), 0);
                DmVeritySuperblock again = DmVeritySuperblock.decode(sb.encode(), 0);
                if (!sb.equals(again)) {
                    throw new AssertionError("superblock does not survive encode and decode: " + sb + " " + again);
                }
            } catch (VerityException expected) {
                // a clean rejection
            }
        }
        Path dir = Files.createTempDirectory("erofs4j-fuzz");
        try {
            Path data = Files.write(dir.resolve("data"), DATA);
            Path hash = Files.write(dir.resolve("hash"), hashDevice);
            DmVerityParams params = DmVerityParams.defaults().toBuilder().superblock(true).build();
            DmVerity.verify(data, hash, new byte[32], params, Parallelism.single());
        } catch (VerityException expected) {
            // a clean rejection (the root hash given is zeros, so nothing verifies)
        } finally {
            Files.deleteIfExists(dir.resolve("data"));
            Files.deleteIfExists(dir.resolve("hash"));
            Files.delete(dir);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void pkcs7(byte[] signature) throws IOException {
        try {
            VeritySignatures.verifyDetached(signature, CONTENT, Certificate.RSA);
        } catch (VerityException expected) {
            // not a signature of CONTENT by the test certificate
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fsVerityDescriptor(byte[] descriptor) {
        try {
            FsVerityDescriptor d = FsVerityDescriptor.decode(descriptor);
            if (!Arrays.equals(FsVerityDescriptor.decode(d.encode()).encode(), d.encode())) {
                throw new AssertionError("descriptor does not survive encode and decode");
            }
        } catch (VerityException expected) {
            // a clean rejection
        }
    }

    /** The test certificate, read once. */
    private static final class Certificate {
        static final X509Certificate RSA;

        static {
            try {
                RSA = SigningKey.readCertificate(Fixtures.verityDir().resolve("sig/cert.pem"));
            } catch (VerityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
