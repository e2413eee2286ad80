package io.github.erofs4j.verity.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.verity.Fixtures;
import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityHashAlgorithm;
import io.github.erofs4j.verity.FsVerityHasher;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sig_vectors.txt (and the same block of vectors.txt), sig/*.sig and the root-hash signature. */
class SignatureVectorsTest {
    static Path sig(String name) {
        return Fixtures.verityDir().resolve("sig").resolve(name);
    }

    static SigningKey rsaKey() throws VerityException {
        return SigningKey.fromPem(sig("key.pem"), sig("cert.pem"));
    }

    static FsVerityDigest digest(byte[] data, FsVerityHashAlgorithm a) throws IOException {
        try (FsVerityHasher h = FsVerityHasher.create(FsVerityParams.builder().algorithm(a).build())) {
            h.update(data);
            return h.finish();
        }
    }

    @Test
    void reproducesEveryVectorInSigVectors() throws Exception {
        for (String file : List.of("sig_vectors.txt", "vectors.txt")) {
            List<String> lines = Fixtures.lines(file);
            int checked = 0;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (!l.startsWith("## fsverity sign files/")) {
                    continue;
                }
                String name = l.split(" ")[3].substring("files/".length());
                FsVerityHashAlgorithm alg = FsVerityHashAlgorithm.fromName(l.split("--hash-alg=")[1].split(" ")[0]);
                String formatted = lines.get(i + 1).split("=")[1];
                String[] lenSha = lines.get(i + 2).split(" ");
                String der = lines.get(i + 3).split("=")[1];
                FsVerityDigest d = digest(Fixtures.file(name), alg);
                assertEquals(formatted, Fixtures.hex(d.formattedDigest()));
                byte[] s = VeritySignatures.signFsVerity(d, rsaKey());
                assertEquals(der, Fixtures.hex(s), l);
                assertEquals(Integer.parseInt(lenSha[0].split("=")[1]), s.length);
                assertEquals(lenSha[1].split("=")[1], Fixtures.hex(MessageDigest.getInstance("SHA-256").digest(s)));
                VeritySignatures.verifyFsVerity(s, d, rsaKey().certificate());
                checked++;
            }
            assertEquals(2, checked, file);
        }
        // the signature files next to the vectors
        assertArrayEquals(Files.readAllBytes(sig("b4097.sig")),
                VeritySignatures.signFsVerity(digest(Fixtures.file("b4097"), FsVerityHashAlgorithm.SHA256), rsaKey()));
        assertArrayEquals(Files.readAllBytes(sig("b4097.sha512.sig")),
                VeritySignatures.signFsVerity(digest(Fixtures.file("b4097"), FsVerityHashAlgorithm.SHA512), rsaKey()));
    }

    @Test
    void rootHashSignatureMatchesOpensslSmime() throws Exception {
        String root = Files.readString(sig("roothash.txt"), StandardCharsets.US_ASCII).trim();
        byte[] expected = Files.readAllBytes(sig("roothash.p7s"));
        byte[] ours = VeritySignatures.signDmRootHash(Fixtures.hex(root), rsaKey(), VeritySignatures.Digest.SHA256);
        assertArrayEquals(expected, ours);
        VeritySignatures.verifyDmRootHash(expected, Fixtures.hex(root), rsaKey().certificate());
        byte[] other = Fixtures.hex(root);
        other[0] ^= 1;
        VerificationException e = assertThrows(VerificationException.class,
                () -> VeritySignatures.verifyDmRootHash(expected, other, rsaKey().certificate()));
        assertEquals(VerificationException.Failure.BAD_SIGNATURE, e.failure(), e.getMessage());
    }

    @Test
    void ecdsaSignsAndVerifies() throws Exception {
        SigningKey ec = SigningKey.fromPem(sig("eckey.pem"), sig("eccert.pem"));
        FsVerityDigest d = digest(Fixtures.file("b4097"), FsVerityHashAlgorithm.SHA256);
        byte[] s = VeritySignatures.signFsVerity(d, ec);
        VeritySignatures.verifyFsVerity(s, d, ec.certificate());
        VerificationException e = assertThrows(VerificationException.class,
                () -> VeritySignatures.verifyFsVerity(s, d, rsaKey().certificate()));
        assertEquals(VerificationException.Failure.SIGNER_NOT_FOUND, e.failure(), e.getMessage());
    }

    @Test
    void badKeysAreCheckedExceptions(@TempDir Path dir) throws Exception {
        VerityException e = assertThrows(VerityException.class, () -> SigningKey.fromPem(sig("cert.pem"), sig("cert.pem")));
        assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
        e = assertThrows(VerityException.class, () -> SigningKey.fromPem(sig("key.pem"), null));
        assertTrue(e.getMessage().contains("X.509"), e.getMessage());
        // an EC key with an RSA certificate
        e = assertThrows(VerityException.class, () -> SigningKey.fromPem(sig("eckey.pem"), sig("cert.pem")));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        // an RSA key that is not the certificate's
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        SigningKey wrong = SigningKey.of(g.generateKeyPair().getPrivate(), rsaKey().certificate());
        e = assertThrows(VerityException.class, () -> VeritySignatures.signDetached(new byte[] {1}, wrong,
                VeritySignatures.Digest.SHA256));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        Path garbage = Files.write(dir.resolve("g.pem"), new byte[] {0, 1, 2, '-', '-'});
        assertThrows(VerityException.class, () -> SigningKey.fromPem(garbage, sig("cert.pem")));
        assertThrows(VerityException.class, () -> VeritySignatures.verifyDetached(new byte[] {0x30, 0x03, 1, 2, 3},
                new byte[0], rsaKey().certificate()));
    }

    @Test
    void keyStoreGivesTheSameSignature() throws Exception {
        SigningKey pem = rsaKey();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "pw".toCharArray();
        ks.setKeyEntry("k", pem.privateKey(), pw, new Certificate[] {pem.certificate()});
        FsVerityDigest d = digest(Fixtures.file("b4097"), FsVerityHashAlgorithm.SHA256);
        assertArrayEquals(VeritySignatures.signFsVerity(d, pem),
                VeritySignatures.signFsVerity(d, SigningKey.fromKeyStore(ks, "k", pw)));
    }
}
