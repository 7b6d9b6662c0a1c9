package dev.custodian.server.storage;

import static dev.custodian.server.storage.BlobEncryptionTest.newStudyUid;
import static dev.custodian.server.storage.BlobEncryptionTest.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.db.DataSourceConfig;
import dev.custodian.server.support.ServerTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Key management on the running server's stack: KEK rotation re-wraps data keys without touching
 * a blob, crypto-shredding makes a study unrecoverable, and a keystore that does not match the
 * database stops the server from starting.
 */
class KeyRotationTest extends ServerTestBase {

  @Autowired EncryptedBlobs blobs;
  @Autowired StudyKeys keys;
  @Autowired KeyEncryptionKeys keks;
  @Autowired StorageProperties storage;
  @Autowired DataSource dataSource;

  @Test
  void rotationReWrapsEveryDataKeyUnderTheNewKekAndLeavesTheBlobsAsTheyWere() throws Exception {
    Map<String, String> contents = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      String study = newStudyUid();
      blobs.store(study, "instance-" + i, stream("image " + i));
      contents.put(study, "instance-" + i);
    }
    Map<Path, byte[]> bytesBefore = new HashMap<>();
    Map<Path, FileTime> mtimeBefore = new HashMap<>();
    for (Path file : BlobFileStoreTest.filesUnder(storage.blobDir())) {
      bytesBefore.put(file, Files.readAllBytes(file));
      mtimeBefore.put(file, Files.getLastModifiedTime(file));
    }
    int before = keks.newestVersion();

    StudyKeys.KekRotation rotation = keys.rotateKek();

    assertThat(rotation.newVersion()).isEqualTo(before + 1);
    assertThat(rotation.rewrapped()).isGreaterThanOrEqualTo(3);
    assertThat(rotation.failed()).isZero();
    assertThat(keys.dataKeysByKekVersion().keySet()).containsExactly(rotation.newVersion());
    assertThat(new JdbcTemplate(dataSource).queryForList(
        "SELECT DISTINCT kek_version FROM custodian_study_key WHERE kek_version IS NOT NULL", Integer.class))
        .containsExactly(rotation.newVersion());
    // the old KEK versions are gone from the keystore: nothing uses them any more
    assertThat(rotation.retired()).contains(before);
    assertThat(keks.versions()).containsExactly(rotation.newVersion());
    // not one blob was rewritten
    for (Path file : BlobFileStoreTest.filesUnder(storage.blobDir())) {
      if (bytesBefore.containsKey(file)) {
        assertThat(Files.readAllBytes(file)).as("%s unchanged", file).isEqualTo(bytesBefore.get(file));
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtimeBefore.get(file));
      }
    }
    // and every blob reads back, also through a node that only ever saw the new keystore
    EncryptedBlobs freshNode = new EncryptedBlobs(
        new FileSystemBlobStore(storage.blobDir()),
        new StudyKeys(dataSource, KeyEncryptionKeys.openOrCreate(storage.keystore(), storage.resolvePassword())));
    int i = 0;
    for (var entry : contents.entrySet()) {
      String expected = "image " + entry.getValue().substring("instance-".length());
      assertThat(read(blobs, entry.getKey(), entry.getValue())).isEqualTo(expected);
      assertThat(read(freshNode, entry.getKey(), entry.getValue())).isEqualTo(expected);
      i++;
    }
    assertThat(i).isEqualTo(3);
    // new studies get data keys under the new version
    String later = newStudyUid();
    blobs.store(later, "x", stream("after rotation"));
    assertThat(keys.dataKeysByKekVersion().keySet()).containsExactly(rotation.newVersion());
  }

  @Test
  void theRotateKekCommandRotatesAgainstTheConfiguredDatabase() throws IOException {
    String study = newStudyUid();
    blobs.store(study, "instance", stream("before the command"));
    int before = keks.newestVersion();
    var postgres = context.getBean(DataSourceConfig.EmbeddedPostgresHolder.class).server();

    int exit = KekRotationCommand.run(new String[] {
      "--custodian.db.url=" + postgres.jdbcUrl(),
      "--custodian.db.user=" + postgres.user(),
      "--custodian.db.password=",
      "--custodian.storage.keystore=" + storage.keystore().toAbsolutePath(),
      "--custodian.storage.blob-dir=" + storage.blobDir().toAbsolutePath()
    });

    assertThat(exit).isZero();
    assertThat(keys.dataKeysByKekVersion().keySet()).containsExactly(before + 1);
    // this node learns the new version from the shared keystore file
    assertThat(read(blobs, study, "instance")).isEqualTo("before the command");
    assertThat(keks.newestVersion()).isEqualTo(before + 1);
  }

  @Test
  void afterShreddingAStudyItsBlobsAreUnrecoverableEvenIfTheirFilesRemain() throws IOException {
    String study = newStudyUid();
    blobs.store(study, "i1", stream("to be forgotten"));
    blobs.store(study, "i2", stream("also forgotten"));
    String keyId = keys.forReading(study).keyId();
    Path directory = storage.blobDir().resolve(keyId);
    Map<Path, byte[]> copies = new HashMap<>();
    for (Path file : BlobFileStoreTest.filesUnder(directory)) {
      copies.put(file, Files.readAllBytes(file));
    }
    assertThat(copies).hasSize(2);

    EncryptedBlobs.Shredded shredded = blobs.shred(study);

    assertThat(shredded.keyDestroyed()).isTrue();
    assertThat(shredded.blobsDeleted()).isEqualTo(2);
    assertThat(Files.exists(directory)).isFalse();
    assertThat(new JdbcTemplate(dataSource).queryForMap(
        "SELECT wrapped_dek, wrapped_name_key, kek_version, shredded_at FROM custodian_study_key WHERE study_uid = ?", study))
        .containsEntry("wrapped_dek", null).containsEntry("wrapped_name_key", null).containsEntry("kek_version", null)
        .extractingByKey("shredded_at").isNotNull();

    // someone kept copies of the files (a backup, a disk image): put them back
    for (var copy : copies.entrySet()) {
      Files.createDirectories(copy.getKey().getParent());
      Files.write(copy.getKey(), copy.getValue());
    }
    assertThatThrownBy(() -> blobs.open(study, "i1"))
        .isInstanceOfSatisfying(StudyKeyUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(StudyKeyUnavailableException.Reason.DESTROYED))
        .hasMessageContaining("destroyed")
        .hasMessageContaining("unrecoverable");
    assertThat(blobs.exists(study, "i1")).isFalse();

    // shredding again is harmless and removes what was left behind
    assertThat(blobs.shred(study)).isEqualTo(new EncryptedBlobs.Shredded(study, true, 2));
    assertThat(blobs.shred(newStudyUid()).keyDestroyed()).isFalse();
    // the study UID can be used again, under a new data key
    blobs.store(study, "i1", stream("new data"));
    assertThat(keys.forReading(study).keyId()).isNotEqualTo(keyId);
    try (InputStream in = blobs.open(study, "i1")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("new data");
    }
  }

  @Test
  void aKeystoreThatDoesNotHoldTheDatabasesKeksStopsTheStart(@TempDir Path elsewhere) throws IOException {
    blobs.store(newStudyUid(), "instance", stream("needs its KEK"));
    // a lost keystore replaced by a new one: same version numbers, other keys
    KeyEncryptionKeys replacement = KeyEncryptionKeys.openOrCreate(elsewhere.resolve("blob-kek.p12"), "x".toCharArray());
    while (replacement.newestVersion() < keks.newestVersion()) {
      replacement.addVersion();
    }
    assertThat(Set.copyOf(replacement.versions())).containsAll(keys.dataKeysByKekVersion().keySet());

    assertThatThrownBy(() -> new StudyKeys(dataSource, replacement).verifyKeystore())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Restore the keystore");
  }

  private static String read(EncryptedBlobs from, String study, String blobKey) throws IOException {
    try (InputStream in = from.open(study, blobKey)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
