package dev.custodian.server.auth.tokens;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA key that signs Custodian's tokens, kept in a PKCS#12 keystore so that tokens survive a
 * restart and every server node sharing the keystore signs with the same key. The keystore and key
 * are created on first start.
 */
public final class SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
  private static final String ALIAS = "token-signing";

  private SigningKeys() {}

  public static JWKSource<SecurityContext> load(Path keystore, String password) {
    char[] secret = password == null ? new char[0] : password.toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (Files.exists(keystore)) {
        try (InputStream in = Files.newInputStream(keystore)) {
          store.load(in, secret);
        }
      } else {
        store.load(null, secret);
        KeyPair pair = newKeyPair();
        store.setKeyEntry(ALIAS, pair.getPrivate(), secret, new X509Certificate[] {selfSigned(pair)});
        Files.createDirectories(keystore.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(keystore)) {
          store.store(out, secret);
        }
        log.info("Created a new token-signing key in {}", keystore.toAbsolutePath());
      }
      PrivateKey privateKey = (PrivateKey) store.getKey(ALIAS, secret);
      X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
      RSAKey key =
          new RSAKey.Builder((RSAPublicKey) certificate.getPublicKey())
              .privateKey((RSAPrivateKey) privateKey)
              .keyIDFromThumbprint()
              .build();
      return new ImmutableJWKSet<>(new JWKSet(key));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the token-signing keystore " + keystore, e);
    } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("Cannot load the token-signing key from " + keystore, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072);
    return generator.generateKeyPair();
  }

  /** A keystore entry needs a certificate; this one only carries the public key. */
  private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException {
    try {
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=Custodian token signing");
      return new JcaX509CertificateConverter()
          .getCertificate(
              new JcaX509v3CertificateBuilder(
                      name,
                      BigInteger.valueOf(now.toEpochMilli()),
                      Date.from(now),
                      Date.from(now.plus(3650, ChronoUnit.DAYS)),
                      name,
                      pair.getPublic())
                  .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
