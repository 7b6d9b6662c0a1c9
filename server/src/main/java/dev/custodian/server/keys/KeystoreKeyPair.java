package dev.custodian.server.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server key pair kept in a PKCS#12 keystore file and created there on first start, so that it
 * survives restarts and every node sharing the file uses the same key. The file is written to a
 * temporary name and moved into place, so a crash never leaves half a keystore.
 *
 * @param alias the keystore alias, used as the key's id
 * @param keyPair the private key and the public key of its certificate
 */
public record KeystoreKeyPair(String alias, KeyPair keyPair) {

  private static final Logger log = LoggerFactory.getLogger(KeystoreKeyPair.class);

  /** How a missing key is made: the generator's algorithm and size, and what signs its certificate. */
  public record Spec(String algorithm, int size, String certificateSignature, String purpose) {
    public static Spec rsa3072(String purpose) {
      return new Spec("RSA", 3072, "SHA256withRSA", purpose);
    }

    public static Spec ecP256(String purpose) {
      return new Spec("EC", 256, "SHA256withECDSA", purpose);
    }
  }

  /** The key under {@code alias} in {@code keystore}, creating the keystore and the key when missing. */
  public static KeystoreKeyPair loadOrCreate(Path keystore, String password, String alias, Spec spec) {
    char[] secret = password == null ? new char[0] : password.toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (Files.exists(keystore)) {
        try (InputStream in = Files.newInputStream(keystore)) {
          store.load(in, secret);
        }
      } else {
        store.load(null, secret);
      }
      if (!store.containsAlias(alias)) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(spec.algorithm());
        generator.initialize(spec.size());
        KeyPair pair = generator.generateKeyPair();
        store.setKeyEntry(alias, pair.getPrivate(), secret, new X509Certificate[] {selfSigned(pair, spec)});
        Path directory = keystore.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, keystore.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
          store.store(out, secret);
        }
        Files.move(temporary, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("Created a new {} key ({}) in {}", spec.purpose(), alias, keystore.toAbsolutePath());
      }
      PrivateKey privateKey = (PrivateKey) store.getKey(alias, secret);
      X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
      return new KeystoreKeyPair(alias, new KeyPair(certificate.getPublicKey(), privateKey));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the keystore " + keystore, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load the " + spec.purpose() + " key from " + keystore, e);
    }
  }

  /** A keystore entry needs a certificate; this one only carries the public key. */
  private static X509Certificate selfSigned(KeyPair pair, Spec spec) throws GeneralSecurityException {
    try {
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=Custodian " + spec.purpose());
      return new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now),
              Date.from(now.plus(3650, ChronoUnit.DAYS)), name, pair.getPublic())
              .build(new JcaContentSignerBuilder(spec.certificateSignature()).build(pair.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
