package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.Visibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMART scopes against real tokens and real requests, one row per case: who signs in, with which
 * scopes (v1 and v2, granular filters), one request, and the status and what must and must not be
 * in the answer. A 403 is the scope check refusing the request's type and interaction before any
 * lookup; a 404 is a read the policy or a granular filter hides (looking like a missing id).
 */
class ScopeMatrixTest extends ServerTestBase {

  private static final String RAD = "http://terminology.hl7.org/CodeSystem/v2-0074|RAD";
  private static final String LAB = "http://terminology.hl7.org/CodeSystem/v2-0074|LAB";
  /** The LOINC code of alice's CT chest report (her CT head report has another). */
  private static final String CT_CHEST = "http://loinc.org|24627-2";
  /** alice's own launch context; patient/ scopes reach only her compartment. */
  private static final String ALICE = "launch/patient ";

  /** One case: {@code request} is "GET path" or "POST Type" (an empty resource of that type). */
  record Case(String user, String scope, String request, int status, Set<String> visible, Set<String> hidden) {
    @Override
    public String toString() {
      return user + " [" + scope + "] " + request + " -> " + status;
    }
  }

  private static Case c(String user, String scope, String request, int status) {
    return new Case(user, scope, request, status, Set.of(), Set.of());
  }

  private static Case c(String user, String scope, String request, int status, Set<String> visible, Set<String> hidden) {
    return new Case(user, scope, request, status, visible, hidden);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // a patient, v2 wildcard read+search
    String all = ALICE + "patient/*.rs";
    cases.add(c("alice", all, "GET Patient/alice", 200));
    cases.add(c("alice", all, "GET ImagingStudy/alice-ct-chest", 200));
    cases.add(c("alice", all, "GET ImagingStudy/bruno-ct-chest", 404));
    cases.add(c("alice", all, "GET ImagingStudy", 200, Set.of("alice-ct-chest", "alice-ct-head"), Set.of("bruno-ct-chest", "bruno-ct-abdomen")));
    cases.add(c("alice", all, "GET DiagnosticReport/bruno-ct-chest-report", 404));
    cases.add(c("alice", all, "GET AuditEvent", 403)); // a wildcard never reaches AuditEvent
    cases.add(c("alice", all, "POST ImagingStudy", 403)); // no c
    cases.add(c("alice", all, "GET ImagingStudy?patient=bruno", 403));
    // v1 type scopes
    String v1Study = ALICE + "patient/ImagingStudy.read";
    cases.add(c("alice", v1Study, "GET ImagingStudy/alice-ct-chest", 200));
    cases.add(c("alice", v1Study, "GET ImagingStudy", 200, Set.of("alice-ct-chest"), Set.of("bruno-ct-chest")));
    cases.add(c("alice", v1Study, "GET DiagnosticReport/alice-ct-chest-report", 403));
    cases.add(c("alice", v1Study, "GET DiagnosticReport", 403));
    cases.add(c("alice", v1Study, "GET Patient/alice", 403));
    cases.add(c("alice", ALICE + "patient/*.read", "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("alice", ALICE + "patient/*.write", "GET ImagingStudy/alice-ct-chest", 403));
    // v2 letters: read and search are separate
    cases.add(c("alice", ALICE + "patient/ImagingStudy.r", "GET ImagingStudy/alice-ct-chest", 200));
    cases.add(c("alice", ALICE + "patient/ImagingStudy.r", "GET ImagingStudy", 403));
    cases.add(c("alice", ALICE + "patient/ImagingStudy.s", "GET ImagingStudy", 200, Set.of("alice-ct-chest"), Set.of("bruno-ct-chest")));
    cases.add(c("alice", ALICE + "patient/ImagingStudy.s", "GET ImagingStudy/alice-ct-chest", 403));
    // granular filters: searches narrowed, reads outside the filter hidden
    String rad = ALICE + "patient/DiagnosticReport.rs?category=" + RAD;
    cases.add(c("alice", rad, "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("alice", rad, "GET DiagnosticReport", 200, Set.of("alice-ct-chest-report", "alice-ct-head-report"),
        Set.of("bruno-ct-chest-report")));
    String lab = ALICE + "patient/DiagnosticReport.rs?category=" + LAB;
    cases.add(c("alice", lab, "GET DiagnosticReport/alice-ct-chest-report", 404));
    cases.add(c("alice", lab, "GET DiagnosticReport", 200, Set.of(), Set.of("alice-ct-chest-report", "alice-ct-head-report")));
    cases.add(c("alice", lab, "GET ImagingStudy/alice-ct-chest", 403));
    String chest = ALICE + "patient/DiagnosticReport.rs?code=" + CT_CHEST;
    cases.add(c("alice", chest, "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("alice", chest, "GET DiagnosticReport/alice-ct-head-report", 404));
    cases.add(c("alice", chest, "GET DiagnosticReport", 200, Set.of("alice-ct-chest-report"), Set.of("alice-ct-head-report")));
    // _include / _revinclude of what the scopes do not cover stays out
    String reports = ALICE + "patient/DiagnosticReport.rs";
    cases.add(c("alice", reports, "GET DiagnosticReport?_include=DiagnosticReport:imaging-study", 200,
        Set.of("alice-ct-chest-report"), Set.of("alice-ct-chest", "alice-ct-head")));
    cases.add(c("alice", reports, "GET DiagnosticReport?_include=DiagnosticReport:subject", 200,
        Set.of("alice-ct-chest-report"), Set.of("alice")));
    cases.add(c("alice", reports + " patient/ImagingStudy.rs", "GET DiagnosticReport?_include=DiagnosticReport:imaging-study", 200,
        Set.of("alice-ct-chest-report", "alice-ct-chest"), Set.of("bruno-ct-chest")));
    cases.add(c("alice", ALICE + "patient/ImagingStudy.rs", "GET ImagingStudy?_revinclude=DiagnosticReport:imaging-study", 200,
        Set.of("alice-ct-chest"), Set.of("alice-ct-chest-report")));
    cases.add(c("alice", chest, "GET DiagnosticReport?_include=DiagnosticReport:subject", 200,
        Set.of("alice-ct-chest-report"), Set.of("alice", "alice-ct-head-report")));
    // a clinician with user/ scopes: his patients only
    cases.add(c("dr.chen", "user/*.rs", "GET ImagingStudy/alice-ct-chest", 200));
    cases.add(c("dr.chen", "user/*.rs", "GET ImagingStudy/bruno-ct-chest", 404));
    cases.add(c("dr.chen", "user/*.rs", "GET ImagingStudy", 200, Set.of("alice-ct-chest"), Set.of("bruno-ct-chest", "bruno-ct-abdomen")));
    cases.add(c("dr.chen", "user/*.rs", "GET DiagnosticReport?_include=DiagnosticReport:subject", 200,
        Set.of("alice-ct-chest-report", "alice"), Set.of("bruno", "bruno-ct-chest-report")));
    cases.add(c("dr.chen", "user/ImagingStudy.read", "GET DiagnosticReport/alice-ct-chest-report", 403));
    cases.add(c("dr.chen", "user/ImagingStudy.rs", "GET ImagingStudy?_include=ImagingStudy:patient", 200,
        Set.of("alice-ct-chest"), Set.of("alice")));
    cases.add(c("dr.chen", "user/*.read", "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("dr.chen", "user/*.write", "GET ImagingStudy/alice-ct-chest", 403));
    cases.add(c("dr.chen", "user/*.*", "GET ImagingStudy/alice-ct-chest", 200));
    cases.add(c("dr.chen", "user/ImagingStudy.rs", "POST ImagingStudy", 403));
    cases.add(c("dr.chen", "user/DiagnosticReport.rs?category=" + RAD, "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("dr.chen", "user/DiagnosticReport.rs?category=" + LAB, "GET DiagnosticReport/alice-ct-chest-report", 404));
    cases.add(c("dr.chen", "user/*.rs", "GET AuditEvent", 403));
    cases.add(c("dr.diaz", "user/*.rs", "GET ImagingStudy/alice-ct-chest", 404));
    cases.add(c("dr.diaz", "user/*.rs", "GET ImagingStudy", 200, Set.of(), Set.of("alice-ct-chest", "bruno-ct-chest")));
    // AuditEvent needs a scope naming it, and the oversight role
    cases.add(c("audit.gray", "user/AuditEvent.rs", "GET AuditEvent?_count=5", 200));
    cases.add(c("audit.gray", "user/*.rs", "GET AuditEvent", 403));
    cases.add(c("audit.gray", "user/AuditEvent.rs", "GET ImagingStudy", 403));
    cases.add(c("audit.gray", "user/*.rs", "GET ImagingStudy/alice-ct-chest", 404));
    cases.add(c("dr.chen", "user/ImagingStudy.rs", "POST DiagnosticReport", 403));
    // health plan: its members, minimum necessary
    cases.add(c("payer.evans", "user/*.rs", "GET DiagnosticReport/alice-ct-chest-report", 200));
    cases.add(c("payer.evans", "user/*.rs", "GET DiagnosticReport/bruno-ct-chest-report", 404));
    return cases.stream();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void scopeMatrix(Case example) {
    FhirHttp caller = as(example.user(), example.scope());
    String[] request = example.request().split(" ", 2);
    FhirHttp.Response response = request[0].equals("POST")
        ? caller.post(request[1], FhirHttp.FHIR_JSON, "{\"resourceType\":\"" + request[1] + "\"}")
        : caller.get(request[1]);
    assertThat(response.status()).as(example + ": " + response).isEqualTo(example.status());
    if (!example.visible().isEmpty() || !example.hidden().isEmpty()) {
      Set<String> ids = Visibility.ids(response.bundle());
      assertThat(ids).as(example.toString()).containsAll(example.visible());
      assertThat(ids).as(example.toString()).doesNotContainAnyElementsOf(example.hidden());
    }
  }
}
