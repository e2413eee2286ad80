/**
 * PKCS#7 signatures for fs-verity builtin signatures and dm-verity root-hash signatures, made and checked with
 * BouncyCastle (which stays inside this package).
 *
 * <p>Signatures have the exact form {@code fsverity sign} (OpenSSL {@code PKCS7_sign} with
 * {@code NOATTR|NOCERTS|DETACHED|BINARY}) produces and the kernel's PKCS#7 parser accepts: DER SignedData,
 * detached, no certificates, no signed attributes, digest AlgorithmIdentifiers with NULL parameters, and for RSA
 * the SignerInfo algorithm {@code rsaEncryption} (not {@code sha256WithRSAEncryption}, which the kernel
 * rejects). RSA signatures are deterministic, so they are byte-identical to fsverity-utils'; ECDSA ones are
 * randomized but structurally identical. Keys come from PEM files, a {@link java.security.KeyStore} or key
 * objects ({@link io.github.erofs4j.verity.sign.SigningKey}).
 */
package io.github.erofs4j.verity.sign;
