package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's own FHIR paths — AuditEvent read and search and its keyset page links — reach
 * only auditors, and bad input there is a 4xx, never a 500.
 */
class AuditEventLeakTest extends ServerTestBase {

  @Test
  void nonAuditorsGetNoAuditEventsEvenWithAnAuditEventScope() {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    Bundle all = auditor.get("AuditEvent?_count=5").bundle();
    assertThat(all.getEntry()).isNotEmpty();
    String someId = all.getEntryFirstRep().getResource().getIdElement().getIdPart();
    String next = all.getLink("next").getUrl();

    // a clinician whose token names AuditEvent: the policy still says no (oversight only)
    FhirHttp chen = as("dr.chen", "user/AuditEvent.rs user/*.rs");
    assertThat(chen.get("AuditEvent?_count=5").bundle().getEntry()).isEmpty();
    FhirHttp.Response hidden = chen.get("AuditEvent/" + someId);
    FhirHttp.Response missing = chen.get("AuditEvent/00000000-0000-0000-0000-000000000001");
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.body().replace(someId, "ID")).isEqualTo(missing.body().replace("00000000-0000-0000-0000-000000000001", "ID"));
    // the auditor's own page link, replayed by the clinician, releases nothing either
    assertThat(chen.get(next).bundle().getEntry()).isEmpty();
    // a patient: no AuditEvent scope, no AuditEvent
    assertThat(asPatient("alice").get("AuditEvent?patient=alice").status()).isEqualTo(403);
  }

  @Test
  void badAuditInputIsA4xx() {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    assertThat(auditor.get("AuditEvent?date=yesterday").status()).isEqualTo(400);
    assertThat(auditor.get("AuditEvent?date=ap2026-01-01").status()).isEqualTo(400);
    assertThat(auditor.get("AuditEvent?_sort=outcome").status()).isEqualTo(400);
    assertThat(auditor.get("AuditEvent?patient.name=alice").status()).isBetween(400, 499);
    assertThat(auditor.get("AuditEvent?outcome:not=0").status()).isEqualTo(400);
    assertThat(auditor.get("AuditEvent?unknown=1").status()).isEqualTo(400);
    assertThat(auditor.get("AuditEvent/not-a-uuid").status()).isEqualTo(404);
    // an unknown page answers like any unknown thing: 404 (HiddenAsMissing turns HAPI's 410 into it)
    assertThat(auditor.get("?_getpages=audit-!!!&_pageId=start.20").status()).isEqualTo(404);
    assertThat(auditor.get("?_getpages=audit-e30&_pageId=../x").status()).isEqualTo(404);
    assertThat(asPatient("alice").get("Patient/alice/$access-log?count=many").status()).isEqualTo(400);
  }
}
