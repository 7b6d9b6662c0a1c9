package dev.custodian.server.auth.tokens;

import com.nimbusds.jose.jwk.JWKSet;
import dev.custodian.server.keys.KeystoreKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The RSA key that signs Custodian's tokens, kept in a PKCS#12 keystore so that tokens survive a
 * restart and every server node sharing the keystore signs with the same key. The keystore and key
 * are created on first start.
 */
public final class SigningKeys {

  private static final String ALIAS = "token-signing";

  private SigningKeys() {}

  public static JWKSource<SecurityContext> load(Path keystore, String password) {
    KeystoreKeyPair key = KeystoreKeyPair.loadOrCreate(keystore, password, ALIAS, KeystoreKeyPair.Spec.rsa3072("token signing"));
    try {
      RSAKey jwk = new RSAKey.Builder((RSAPublicKey) key.keyPair().getPublic())
          .privateKey((RSAPrivateKey) key.keyPair().getPrivate())
          .keyIDFromThumbprint()
          .build();
      return new ImmutableJWKSet<>(new JWKSet(jwk));
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("Cannot use the token-signing key from " + keystore, e);
    }
  }
}
