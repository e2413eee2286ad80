package io.github.erofs4j.verity.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.erofs4j.verity.Fixtures;
import io.github.erofs4j.verity.FsVerity;
import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityHashAlgorithm;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Our signatures against {@code fsverity sign} (bytes) and {@code openssl smime/cms -verify}. */
class SignToolPropertiesTest {

    @BeforeContainer
    static void tools() {
        assumeTrue(Fixtures.hasCommand("fsverity") && Fixtures.hasCommand("openssl"), "fsverity or openssl missing");
    }

    static Path sig(String n) {
        return Fixtures.verityDir().resolve("sig").resolve(n);
    }

    @Provide
    static Arbitrary<byte[]> salts() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32));
    }

    @Property(tries = 20)
    void sameBytesAsFsveritySignAndOpensslVerifies(@ForAll @IntRange(min = 0, max = 300_000) int size,
                                                   @ForAll FsVerityHashAlgorithm alg, @ForAll("salts") byte[] salt,
                                                   @ForAll boolean ec, @ForAll boolean cms, @ForAll long seed)
            throws IOException {
        Path dir = Files.createTempDirectory("sig-prop");
        try {
            byte[] data = new byte[size];
            new Random(seed).nextBytes(data);
            Path f = Files.write(dir.resolve("f"), data);
            FsVerityParams p = FsVerityParams.builder().algorithm(alg).salt(salt).build();
            FsVerityDigest d = FsVerity.digest(f, p, Parallelism.single(), null);
            Path key = sig(ec ? "eckey.pem" : "key.pem");
            Path cert = sig(ec ? "eccert.pem" : "cert.pem");
            byte[] ours = VeritySignatures.signFsVerity(d, SigningKey.fromPem(key, cert));
            Path ourSig = Files.write(dir.resolve("our.sig"), ours);

            List<String> cmd = new ArrayList<>(List.of("fsverity", "sign", f.toString(), dir.resolve("ref.sig").toString(),
                    "--key=" + key, "--cert=" + cert, "--hash-alg=" + alg.fsverityName()));
            if (salt.length > 0) {
                cmd.add("--salt=" + Fixtures.hex(salt));
            }
            Tools.Result r = Tools.run(cmd);
            assertEquals(0, r.exit(), r.err());
            assertEquals("Signed file '" + f + "' (" + d + ")", r.out().trim());
            byte[] ref = Files.readAllBytes(dir.resolve("ref.sig"));
            if (!ec) {
                assertArrayEquals(ref, ours);   // RSA PKCS#1 v1.5 is deterministic
            } else {
                // ECDSA is randomized: same structure up to the signature value, and each verifies the other way
                VeritySignatures.verifyFsVerity(ref, d, SigningKey.readCertificate(cert));
            }
            Path content = Files.write(dir.resolve("fd.bin"), d.formattedDigest());
            Tools.Result v = Tools.run(List.of("openssl", cms ? "cms" : "smime", "-verify", "-binary", "-inform", "DER",
                    "-in", ourSig.toString(), "-content", content.toString(), "-certfile", cert.toString(), "-nointern",
                    "-noverify", "-out", "/dev/null"));
            assertEquals(0, v.exit(), v.err());
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }
}
