package dev.custodian.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dev.custodian.server.CustodianApplication;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.Fixtures;
import dev.custodian.server.support.TestClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The two database modes, each with servers of its own (not the shared test server): the embedded
 * default keeps its data across a restart, and an external PostgreSQL is used instead of starting
 * one.
 */
class DatabaseModesTest {

  @Test
  void embeddedDataSurvivesARestart(@TempDir Path dataDir) throws Exception {
    Path pgDir = dataDir.resolve("postgres");
    int pgPort;
    try (ConfigurableApplicationContext first = start(dataDir, "--custodian.db.embedded.data-dir=" + pgDir)) {
      new Fixtures(first.getBean(DaoRegistry.class)).patientTreatedByDrChen("persisted");
      assertThat(http(first).get("Patient/persisted").status()).isEqualTo(200);
      pgPort = first.getBean(DataSourceConfig.EmbeddedPostgresHolder.class).server().port();
    }
    assertThat(Files.exists(pgDir.resolve("PG_VERSION"))).isTrue();
    assertThat(isListening(pgPort)).as("the embedded PostgreSQL stops with the server").isFalse();

    try (ConfigurableApplicationContext second = start(dataDir, "--custodian.db.embedded.data-dir=" + pgDir)) {
      FhirHttp.Response read = http(second).get("Patient/persisted");
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Fixture");
    }
  }

  @Test
  void anExternalPostgresIsUsedAndNoEmbeddedOneStarts(@TempDir Path dataDir) throws Exception {
    try (EmbeddedPostgresServer external = EmbeddedPostgresServer.start(dataDir.resolve("external"), 0)) {
      Path unusedEmbeddedDir = dataDir.resolve("must-stay-empty");
      try (ConfigurableApplicationContext server =
          start(
              dataDir,
              "--custodian.db.url=" + external.jdbcUrl(),
              "--custodian.db.user=" + external.user(),
              "--custodian.db.password=",
              "--custodian.db.embedded.data-dir=" + unusedEmbeddedDir)) {
        assertThat(server.getBean(DataSourceConfig.EmbeddedPostgresHolder.class).server()).isNull();
        new Fixtures(server.getBean(DaoRegistry.class)).patientTreatedByDrChen("external-1");
        assertThat(http(server).get("Patient/external-1").status()).isEqualTo(200);
      }
      assertThat(Files.exists(unusedEmbeddedDir)).isFalse();
      try (Connection connection = DriverManager.getConnection(external.jdbcUrl(), external.user(), "");
          ResultSet rows =
              connection
                  .createStatement()
                  .executeQuery("select count(*) from hfj_resource where res_type = 'Patient' and fhir_id = 'external-1'")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
    }
  }

  /** A server of its own on a free port, with the demo accounts to sign in with. */
  private static ConfigurableApplicationContext start(Path dataDir, String... args) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server.port=" + port);
    all.add("--custodian.auth.issuer=http://localhost:" + port);
    all.add("--custodian.auth.signing-keystore=" + dataDir.resolve("keys/signing.p12"));
    all.add("--custodian.storage.blob-dir=" + dataDir.resolve("blobs"));
    all.add("--custodian.storage.keystore=" + dataDir.resolve("keys/blob-kek.p12"));
    all.add("--custodian.demo.enabled=true");
    return new SpringApplicationBuilder(CustodianApplication.class).run(all.toArray(String[]::new));
  }

  /** FHIR over HTTP as dr.chen, signed in through the SMART flow. */
  private static FhirHttp http(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    String token = TestClients.accessToken(context, "http://localhost:" + port, "dr.chen", "user/*.cruds");
    return new FhirHttp(port, context.getBean(FhirContext.class)).withBearer(token);
  }

  private static boolean isListening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
