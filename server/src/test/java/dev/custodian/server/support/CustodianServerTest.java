package dev.custodian.server.support;

import dev.custodian.server.CustodianApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The one server configuration every integration test shares, so Spring starts the server (HAPI
 * JPA on a fresh embedded PostgreSQL, demo data loaded) once per test JVM. Do not add per-class
 * properties, {@code @MockBean}s or {@code @DirtiesContext}: each variation starts another server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = CustodianApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "custodian.db.embedded.data-dir=target/it-postgres/${random.uuid}",
      "custodian.demo.enabled=true",
      "custodian.fhir.max-request-bytes=1048576",
      "custodian.dicomweb.max-stow-request-size=64MB",
      "custodian.auth.signing-keystore=target/it-keys/${random.uuid}.p12",
      "custodian.audit.checkpoint-keystore=target/it-keys/${random.uuid}-audit.p12",
      "custodian.storage.blob-dir=target/it-blobs/${random.uuid}",
      "custodian.storage.keystore=target/it-keys/${random.uuid}-blob-kek.p12",
      // the tests' own address is never throttled (they open spent links on purpose, many times);
      // ShareLinkRateLimitTest comes from other loopback addresses
      "custodian.share.rate-limit.exempt-addresses=" + CustodianServerTest.LOOPBACK
    })
public @interface CustodianServerTest {

  /** The addresses the tests connect from, unless they choose another. */
  String LOOPBACK = "127.0.0.1,0:0:0:0:0:0:0:1";
}
