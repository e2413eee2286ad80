package io.github.erofs4j.verity.sign;

import io.github.erofs4j.verity.VerityException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A private key and the X.509 certificate naming it. The certificate is used only for its issuer and serial
 * number (signatures embed no certificate). Only RSA and EC keys can sign. Immutable.
 */
public final class SigningKey {
    private final PrivateKey key;
    private final X509Certificate certificate;

    private SigningKey(PrivateKey key, X509Certificate certificate) throws VerityException {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        String alg = key.getAlgorithm();
        if (!alg.equals("RSA") && !alg.equals("EC")) {
            throw new VerityException("unsupported key type " + alg + ": only RSA and EC keys can sign");
        }
        if (!alg.equals(certificate.getPublicKey().getAlgorithm())) {
            throw new VerityException("the " + alg + " private key does not match the "
                    + certificate.getPublicKey().getAlgorithm() + " certificate " + certificate.getSubjectX500Principal());
        }
    }

    /** A key and certificate given as objects. */
    public static SigningKey of(PrivateKey key, X509Certificate certificate) throws VerityException {
        return new SigningKey(key, certificate);
    }

    /**
     * Reads a PEM private key (PKCS#8 {@code PRIVATE KEY}, as fsverity-utils requires; traditional
     * {@code RSA/EC PRIVATE KEY} is accepted too; encrypted keys are not) and a PEM certificate. As with
     * {@code fsverity sign}, {@code certPem} may be null to read the certificate from the key file.
     */
    public static SigningKey fromPem(Path keyPem, Path certPem) throws VerityException {
        PrivateKey key = readKey(keyPem);
        X509Certificate cert = readCertificate(certPem == null ? keyPem : certPem);
        return new SigningKey(key, cert);
    }

    /** Takes a key entry from a key store. */
    public static SigningKey fromKeyStore(KeyStore store, String alias, char[] password) throws VerityException {
        try {
            java.security.Key k = store.getKey(alias, password);
            if (!(k instanceof PrivateKey pk)) {
                throw new VerityException("key store entry '" + alias + "' holds no private key");
            }
            Certificate c = store.getCertificate(alias);
            if (!(c instanceof X509Certificate xc)) {
                throw new VerityException("key store entry '" + alias + "' has no X.509 certificate");
            }
            return new SigningKey(pk, xc);
        } catch (GeneralSecurityException e) {
            throw new VerityException("cannot read key store entry '" + alias + "': " + e.getMessage(), e);
        }
    }

    /** Reads a PEM private key; see {@link #fromPem}. */
    public static PrivateKey readKey(Path pem) throws VerityException {
        Object o = readPem(pem, "private key");
        try {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo pki) {
                return conv.getPrivateKey(pki);
            }
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
        } catch (PEMException e) {
            throw new VerityException("Failed to parse private key file '" + pem + "': " + e.getMessage(), e);
        }
        throw new VerityException("Failed to parse private key file '" + pem + "': it must be in PEM PKCS#8 format"
                + (o == null ? "" : " (found " + o.getClass().getSimpleName() + ")"));
    }

    /** Reads a PEM X.509 certificate. */
    public static X509Certificate readCertificate(Path pem) throws VerityException {
        Object o = readPem(pem, "X.509 certificate");
        if (!(o instanceof X509CertificateHolder h)) {
            throw new VerityException("Failed to parse X.509 certificate file '" + pem + "': it must be in PEM format");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw new VerityException("Failed to parse X.509 certificate file '" + pem + "': " + e.getMessage(), e);
        }
    }

    private static Object readPem(Path pem, String what) throws VerityException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (what.startsWith("private") && (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair)) {
                    return o;
                }
                if (!what.startsWith("private") && o instanceof X509CertificateHolder) {
                    return o;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            throw new VerityException("Failed to read " + what + " file '" + pem + "': " + e.getMessage(), e);
        }
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return key;
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }
}
