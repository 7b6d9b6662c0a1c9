package dev.custodian.server.policy.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.resource.ReviewQueue;
import dev.custodian.server.policy.matrix.PolicyTable.Case;
import dev.custodian.server.policy.matrix.PolicyTable.Row;
import dev.custodian.server.support.BackendTestClients;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The policy table ({@code src/test/resources/policy/who-sees-what.md}) as a test matrix on the real
 * stack: each outcome cell is one case — a real caller (signed in through the SMART flow, or the
 * partner hospital's backend client) makes one request about one record, and the answer must be
 * exactly what the table says. The callers, their accounts and scopes are {@link #callers()}; the
 * records are {@link MatrixWorld}'s.
 */
class PolicyMatrixTest extends ServerTestBase {

  private static final String STAFF = "openid fhirUser user/*.cruds";
  /** Requests in flight at once: the cases wait mostly on the server's durable audit writes. */
  private static final int PARALLEL_CASES = 6;

  /** Each role of the table: who signs in, and the fhirUser its accesses are audited under. */
  private record Role(String username, String scope, String agent) {}

  private static final Map<String, Role> ROLES = new LinkedHashMap<>();

  static {
    ROLES.put("patient", new Role("mx.ann", "launch/patient patient/*.cruds", "Patient/mx-ann"));
    ROLES.put("representative", new Role("mx.rep", STAFF, "RelatedPerson/mx-ann-rep"));
    ROLES.put("treating clinician", new Role("dr.chen", STAFF, "Practitioner/dr.chen"));
    ROLES.put("non-treating clinician", new Role("dr.diaz", STAFF, "Practitioner/dr.diaz"));
    ROLES.put("emergency clinician", new Role("mx.er", STAFF, "Practitioner/mx-er"));
    ROLES.put("health plan", new Role("payer.evans", STAFF, "Practitioner/payer.evans"));
    ROLES.put("operations", new Role("ops.fox", STAFF, "Practitioner/ops.fox"));
    ROLES.put("HIM", new Role("mx.him", STAFF, "Practitioner/mx-him"));
    ROLES.put("third party", new Role("mx.attorney", STAFF, MatrixWorld.ATTORNEY));
    ROLES.put("auditor", new Role("audit.gray", STAFF + " user/AuditEvent.cruds", "Practitioner/audit.gray"));
    ROLES.put("partner system", new Role(BackendTestClients.PARTNER, String.join(" ", BackendTestClients.PARTNER_SCOPES), null));
    ROLES.put("business associate", new Role(dev.custodian.server.auth.DemoAccounts.BILLING_ASSOCIATE_CLIENT,
        String.join(" ", dev.custodian.server.auth.DemoAccounts.BILLING_ASSOCIATE_SCOPES), null));
    ROLES.put("admin", new Role("admin", "openid user/*.cruds", null));
  }

  private static MatrixWorld world;
  private static FhirHttp partner;
  private static FhirHttp associate;

  /**
   * Every case, each reported on its own. The cases are independent (reads, creates of new records,
   * updates that store what is stored), so they run on a few threads to keep the matrix quick; each
   * dynamic test reports its own case's result.
   */
  @TestFactory
  Stream<DynamicTest> everyCellOfThePolicyTableHolds() {
    MatrixWorld built = world();
    CaseCheck check = new CaseCheck(fhirContext, built, baseUrl());
    Map<String, FhirHttp> callers = new LinkedHashMap<>();
    ROLES.keySet().forEach(role -> callers.put(role, caller(role))); // sign in once, before the cases
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CASES, runnable -> {
      Thread thread = new Thread(runnable, "policy-matrix");
      thread.setDaemon(true);
      return thread;
    });
    List<Case> cases = PolicyTable.cases();
    List<Future<?>> results = new ArrayList<>();
    for (Case c : cases) {
      results.add(pool.submit(() -> check.run(c, callers.get(c.row().role())), null));
    }
    pool.shutdown();
    return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(cases.get(i).toString(), () -> {
      try {
        results.get(i).get(2, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }));
  }

  @Test
  void theTableHasAtLeast300CasesOverEveryRole() {
    List<Case> cases = PolicyTable.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
    assertThat(PolicyTable.rows()).extracting(Row::role).containsAll(ROLES.keySet());
    assertThat(ROLES.keySet()).containsAll(PolicyTable.rows().stream().map(Row::role).toList());
    for (String interaction : PolicyTable.INTERACTIONS) {
      assertThat(cases).as(interaction).anyMatch(c -> c.interaction().equals(interaction));
    }
    for (String outcome : List.of("permit", "projected", "absent", "403", "405")) {
      assertThat(cases).as(outcome).anyMatch(c -> c.expected().equals(outcome));
    }
  }

  /** Each role acts under one purpose of use: the table's, as the audit trail records it. */
  @TestFactory
  Stream<DynamicTest> eachRoleActsUnderTheTablesPurpose() {
    world();
    FhirHttp auditor = caller("auditor");
    Map<String, String> purposes = new LinkedHashMap<>();
    PolicyTable.rows().forEach(row -> {
      String known = purposes.putIfAbsent(row.role(), row.purpose());
      assertThat(known == null || known.equals(row.purpose())).as("one purpose per role: " + row).isTrue();
    });
    return purposes.entrySet().stream()
        .filter(e -> ROLES.get(e.getKey()).agent() != null)
        .map(e -> DynamicTest.dynamicTest(e.getKey() + " acts for " + e.getValue(), () -> {
          Role role = ROLES.get(e.getKey());
          Row permitted = PolicyTable.rows().stream()
              .filter(r -> r.role().equals(e.getKey()))
              .filter(r -> r.outcomes().get("read").equals("permit") || r.outcomes().get("read").equals("projected"))
              .min(java.util.Comparator.comparing(r -> r.target().startsWith("Organization/")))
              .orElseThrow(() -> new AssertionError(e.getKey() + " is permitted to read nothing in the table"));
          FhirHttp as = caller(e.getKey());
          assertThat(as.get(world.reference(permitted.target())).status()).isEqualTo(200);
          Bundle events = auditor.get("AuditEvent?agent=" + role.agent() + "&purpose=" + e.getValue() + "&_count=1").bundle();
          assertThat(events.getEntry()).as(role.agent() + " audited with purpose " + e.getValue()).isNotEmpty();
        }));
  }

  @Test
  void theReadmeShowsTheSameTable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## Who sees what");
    assertThat(section).as("README section \"Who sees what\"").isPositive();
    assertThat(PolicyTable.tableLines(readme.substring(section + 1)))
        .as("the README's table is the policy table, " + PolicyTable.RESOURCE)
        .containsExactlyElementsOf(PolicyTable.tableLines(PolicyTable.text()));
  }

  private FhirHttp caller(String role) {
    Role r = ROLES.get(role);
    if (r == null) {
      throw new IllegalStateException("the table names a role the test does not know: " + role);
    }
    if (role.equals("partner system")) {
      return partner();
    }
    if (role.equals("business associate")) {
      return associate();
    }
    return as(r.username(), r.scope());
  }

  private synchronized FhirHttp partner() {
    if (partner == null) {
      BackendTestClients.ensureRegistered(context);
      String assertion = ClientAssertions.sign(BackendTestClients.RSA,
          ClientAssertions.claims(BackendTestClients.PARTNER, baseUrl() + "/oauth2/token").build());
      SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl())
          .token(ClientAssertions.tokenRequest(assertion, ROLES.get("partner system").scope()));
      assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
      partner = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    }
    return partner;
  }

  /** The demo business associate's system client, signing with its committed DEMO-ONLY key. */
  private synchronized FhirHttp associate() {
    if (associate == null) {
      com.nimbusds.jose.jwk.RSAKey key = ClientAssertions.rsaKeyFromPem(
          Path.of("..", "scripts", "demo-keys", "billing-associate.DEMO-ONLY.private.pem"));
      String assertion = ClientAssertions.sign(key,
          ClientAssertions.claims(ROLES.get("business associate").username(), baseUrl() + "/oauth2/token").build());
      SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl())
          .token(ClientAssertions.tokenRequest(assertion, ROLES.get("business associate").scope()));
      assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
      associate = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    }
    return associate;
  }

  /** The records, accounts, the emergency clinician's grant and the placeholders, once per JVM. */
  private synchronized MatrixWorld world() {
    if (world != null) {
      return world;
    }
    String thirdPartyPurpose = PolicyTable.rows().stream()
        .filter(r -> r.role().equals("third party")).findFirst().orElseThrow().purpose();
    MatrixWorld built = new MatrixWorld(daos, context);
    built.build(thirdPartyPurpose);

    Parameters emergency = new Parameters();
    emergency.addParameter().setName("purpose").setValue(new CodeType("ETREAT"));
    emergency.addParameter().setName("reason").setValue(new StringType("Unresponsive in the ED, prior chest CT needed"));
    FhirHttp er = caller("emergency clinician");
    FhirHttp.Response grant = er.post("Patient/mx-ann/$break-the-glass", FhirHttp.FHIR_JSON, er.json(emergency));
    assertThat(grant.status()).as(grant.toString()).isEqualTo(200);

    FhirHttp auditor = caller("auditor");
    Bundle review = auditor.get("Task?code=" + ReviewQueue.CODE_SYSTEM + "|" + ReviewQueue.BREAK_THE_GLASS_REVIEW
        + "&subject=Patient/mx-ann").bundle();
    assertThat(review.getEntry()).as("the review item of mx.er's emergency").isNotEmpty();
    built.resolve("{review of mx-ann}", review.getEntryFirstRep().getResource().getIdElement().getIdPart());
    Bundle events = auditor.get("AuditEvent?patient=Patient/mx-ann&_count=1").bundle();
    assertThat(events.getEntry()).as("an access to mx-ann was audited").isNotEmpty();
    built.resolve("{access to mx-ann}", events.getEntryFirstRep().getResource().getIdElement().getIdPart());
    world = built;
    return built;
  }
}
