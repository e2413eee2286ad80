package io.github.erofs4j.verity.sign;

import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityHashAlgorithm;
import io.github.erofs4j.verity.VerificationException;
import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Makes and checks the detached PKCS#7 signatures used by fs-verity builtin signatures
 * ({@link #signFsVerity}, same bytes as {@code fsverity sign}) and by dm-verity's
 * {@code --root-hash-signature} ({@link #signDmRootHash}: the signed content is the root hash as lowercase hex
 * ASCII, no newline). Stateless and thread-safe; uses the JDK's default JCA providers, never installs one.
 */
public final class VeritySignatures {
    private VeritySignatures() {
    }

    /** Message digests a signature may use. */
    public enum Digest {
        /** SHA-256. */
        SHA256("SHA256", NISTObjectIdentifiers.id_sha256),
        /** SHA-384. */
        SHA384("SHA384", NISTObjectIdentifiers.id_sha384),
        /** SHA-512. */
        SHA512("SHA512", NISTObjectIdentifiers.id_sha512);

        private final String jca;
        private final ASN1ObjectIdentifier oid;

        Digest(String jca, ASN1ObjectIdentifier oid) {
            this.jca = jca;
            this.oid = oid;
        }

        /** The digest fs-verity signing uses for a given fs-verity algorithm (the same hash). */
        public static Digest of(FsVerityHashAlgorithm a) {
            return a == FsVerityHashAlgorithm.SHA512 ? SHA512 : SHA256;
        }

        /** Looks up "sha256"/"sha384"/"sha512". */
        public static Digest fromName(String name) throws VerityException {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new VerityException("unsupported signature digest '" + name + "' (sha256, sha384, sha512)");
            }
        }
    }

    /**
     * Signs an fs-verity digest: the 44- or 76-byte {@code fsverity_formatted_digest}, with the same hash as
     * the digest. Returns DER bytes, identical to {@code fsverity sign} for RSA keys.
     */
    public static byte[] signFsVerity(FsVerityDigest digest, SigningKey key) throws VerityException {
        return signDetached(digest.formattedDigest(), key, Digest.of(digest.params().algorithm()));
    }

    /**
     * Signs a dm-verity root hash for {@code veritysetup open --root-hash-signature}: the content is the
     * lowercase hex string of the root hash, without newline (what the kernel checks).
     */
    public static byte[] signDmRootHash(byte[] rootHash, SigningKey key, Digest digest) throws VerityException {
        return signDetached(hex(rootHash), key, digest);
    }

    /**
     * A detached PKCS#7 SignedData over {@code content}: no signed attributes, no certificates, NULL digest
     * parameters, {@code rsaEncryption} for RSA keys (kernel-compatible).
     */
    public static byte[] signDetached(byte[] content, SigningKey key, Digest digest) throws VerityException {
        Objects.requireNonNull(content, "content");
        boolean rsa = key.privateKey().getAlgorithm().equals("RSA");
        String sigAlg = digest.jca + "with" + (rsa ? "RSA" : "ECDSA");
        try {
            ContentSigner signer = new JcaContentSignerBuilder(sigAlg).build(key.privateKey());
            CMSSignatureEncryptionAlgorithmFinder finder = rsa
                    ? sigId -> new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE)
                    : new DefaultCMSSignatureEncryptionAlgorithmFinder();
            JcaSignerInfoGeneratorBuilder sib =
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build(), finder);
            sib.setDirectSignature(true);
            sib.setContentDigest(new AlgorithmIdentifier(digest.oid, DERNull.INSTANCE));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(sib.build(signer, key.certificate()));
            byte[] der = gen.generate(new CMSProcessableByteArray(content), false).getEncoded(ASN1Encoding.DER);
            // A key that does not belong to the certificate signs happily: catch it here, not in the kernel.
            verifyDetached(der, content, key.certificate());
            return der;
        } catch (VerificationException e) {
            throw new VerityException("the private key does not match the certificate "
                    + key.certificate().getSubjectX500Principal() + ": its signature does not verify", e);
        } catch (OperatorCreationException | CMSException | java.security.cert.CertificateEncodingException
                 | IOException | RuntimeException e) {
            throw new VerityException("cannot sign with the " + key.privateKey().getAlgorithm() + " key: "
                    + e.getMessage(), e);
        }
    }

    /** Checks an fs-verity builtin signature of {@code digest} against {@code cert}. */
    public static void verifyFsVerity(byte[] signature, FsVerityDigest digest, X509Certificate cert)
            throws VerityException {
        verifyDetached(signature, digest.formattedDigest(), cert);
    }

    /** Checks a dm-verity root-hash signature against {@code cert}. */
    public static void verifyDmRootHash(byte[] signature, byte[] rootHash, X509Certificate cert)
            throws VerityException {
        verifyDetached(signature, hex(rootHash), cert);
    }

    /**
     * Checks a detached PKCS#7/CMS signature over {@code content}: it must contain a SignerInfo for
     * {@code cert} (issuer and serial) whose signature verifies with the certificate's key. Certificate
     * validity dates and chains are not checked (the kernel does not check dates either).
     *
     * @throws VerificationException when no signer matches or the signature is wrong
     * @throws VerityException when the bytes are not a PKCS#7 SignedData
     */
    public static void verifyDetached(byte[] signature, byte[] content, X509Certificate cert) throws VerityException {
        CMSSignedData sd;
        try {
            sd = new CMSSignedData(new CMSProcessableByteArray(content), signature);
        } catch (CMSException | RuntimeException e) {
            throw new VerityException("not a PKCS#7 SignedData: " + e.getMessage(), e);
        }
        Collection<SignerInformation> signers;
        try {
            // BouncyCastle parses the SignerInfos lazily, so a malformed one only shows here.
            signers = sd.getSignerInfos().getSigners();
        } catch (RuntimeException e) {
            throw new VerityException("not a PKCS#7 SignedData: bad SignerInfo: " + e.getMessage(), e);
        }
        if (signers.isEmpty()) {
            throw new VerificationException(VerificationException.Failure.BAD_SIGNATURE, "the signature has no signer", -1,
                    -1);
        }
        X500Name issuer;
        BigInteger serial;
        try {
            JcaX509CertificateHolder h = new JcaX509CertificateHolder(cert);
            issuer = h.getIssuer();
            serial = h.getSerialNumber();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new VerityException("bad certificate: " + e.getMessage(), e);
        }
        for (SignerInformation si : signers) {
            if (!issuer.equals(si.getSID().getIssuer()) || !serial.equals(si.getSID().getSerialNumber())) {
                continue;
            }
            try {
                if (si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
                    return;
                }
            } catch (CMSException | OperatorCreationException | RuntimeException e) {
                throw new VerificationException(VerificationException.Failure.BAD_SIGNATURE, "bad signature: " + e.getMessage(),
                        -1, -1, e);
            }
            throw new VerificationException(VerificationException.Failure.BAD_SIGNATURE,
                    "bad signature: it does not match the content", -1, -1);
        }
        throw new VerificationException(VerificationException.Failure.SIGNER_NOT_FOUND,
                "signer certificate not found: no SignerInfo names " + cert.getIssuerX500Principal() + " serial "
                        + serial.toString(16), -1, -1);
    }

    private static byte[] hex(byte[] rootHash) {
        return java.util.HexFormat.of().formatHex(rootHash).getBytes(StandardCharsets.US_ASCII);
    }
}
