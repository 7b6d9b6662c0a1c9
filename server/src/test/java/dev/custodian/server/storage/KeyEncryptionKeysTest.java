package dev.custodian.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-encryption keystore on real files: created once, versions added and removed, password required. */
class KeyEncryptionKeysTest {

  @TempDir Path dir;

  @Test
  void theKeystoreIsCreatedOnFirstStartAndTheSameKeysComeBack() throws Exception {
    Path file = dir.resolve("keys/blob-kek.p12");
    KeyEncryptionKeys first = KeyEncryptionKeys.openOrCreate(file, "s3cret".toCharArray());
    assertThat(first.createdNow()).isTrue();
    assertThat(first.versions()).containsExactly(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    byte[] wrapped = first.aead(1).encrypt(bytes("a data key"), bytes("ad"));

    KeyEncryptionKeys again = KeyEncryptionKeys.openOrCreate(file, "s3cret".toCharArray());
    assertThat(again.createdNow()).isFalse();
    assertThat(again.aead(1).decrypt(wrapped, bytes("ad"))).isEqualTo(bytes("a data key"));
  }

  @Test
  void theWrongPasswordIsRefusedClearly() {
    Path file = dir.resolve("blob-kek.p12");
    KeyEncryptionKeys.openOrCreate(file, "right".toCharArray());
    assertThatThrownBy(() -> KeyEncryptionKeys.openOrCreate(file, "wrong".toCharArray()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot open the key-encryption keystore")
        .hasMessageContaining("wrong password");
  }

  @Test
  void versionsAreAddedAndOldOnesRemovedButNeverTheNewest() throws Exception {
    Path file = dir.resolve("blob-kek.p12");
    KeyEncryptionKeys keys = KeyEncryptionKeys.openOrCreate(file, "pw".toCharArray());
    Aead v1 = keys.aead(1);
    assertThat(keys.addVersion()).isEqualTo(2);
    assertThat(keys.newestVersion()).isEqualTo(2);
    byte[] underV2 = keys.aead(2).encrypt(bytes("k"), new byte[0]);
    assertThatThrownBy(() -> v1.decrypt(underV2, new byte[0])).isInstanceOf(java.security.GeneralSecurityException.class);

    keys.removeVersion(1);
    assertThat(keys.versions()).containsExactly(2);
    assertThatThrownBy(() -> keys.aead(1))
        .isInstanceOf(StudyKeyUnavailableException.class)
        .hasMessageContaining("version 1 is not in the keystore");
    assertThatThrownBy(() -> keys.removeVersion(2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(KeyEncryptionKeys.openOrCreate(file, "pw".toCharArray()).versions()).containsExactly(2);
  }

  @Test
  void aVersionAddedByAnotherProcessIsFoundByReReadingTheFile() throws Exception {
    Path file = dir.resolve("blob-kek.p12");
    KeyEncryptionKeys node = KeyEncryptionKeys.openOrCreate(file, "pw".toCharArray());
    KeyEncryptionKeys rotator = KeyEncryptionKeys.openOrCreate(file, "pw".toCharArray());
    rotator.addVersion();
    byte[] wrapped = rotator.aead(2).encrypt(bytes("k"), new byte[0]);
    assertThat(node.aead(2).decrypt(wrapped, new byte[0])).isEqualTo(bytes("k"));
  }

  @Test
  void thePasswordComesFromAFileOrThePropertyOrTheInsecureDefault() throws Exception {
    Path secret = dir.resolve("password.txt");
    Files.writeString(secret, "from-a-file\n");
    assertThat(new StorageProperties(null, null, null, secret).resolvePassword()).isEqualTo("from-a-file".toCharArray());
    assertThat(new StorageProperties(null, null, "from-env", null).resolvePassword()).isEqualTo("from-env".toCharArray());
    StorageProperties unset = new StorageProperties(null, null, "", null);
    assertThat(unset.usesInsecureDefaultPassword()).isTrue();
    assertThat(unset.resolvePassword()).isEqualTo(StorageProperties.INSECURE_DEFAULT_PASSWORD.toCharArray());
    assertThatThrownBy(() -> new StorageProperties(null, null, "both", secret).resolvePassword())
        .isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
