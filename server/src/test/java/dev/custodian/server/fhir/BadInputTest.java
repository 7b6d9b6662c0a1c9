package dev.custodian.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/** A client's mistakes get a clear 4xx with an OperationOutcome: never a 500, never a stack trace. */
class BadInputTest extends ServerTestBase {

  @Test
  void malformedJsonIs400() {
    assertClientError(http.post("Patient", FhirHttp.FHIR_JSON, "{\"resourceType\": \"Patient\", \"name\": [ {"), 400);
    assertClientError(http.post("Patient", FhirHttp.FHIR_JSON, "not json at all"), 400);
    assertClientError(http.post("Patient", FhirHttp.FHIR_JSON, "{\"resourceType\":\"Patient\",\"birthDate\":\"yesterday\"}"), 400);
  }

  @Test
  void malformedXmlIs400() {
    assertClientError(http.post("Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><name>"), 400);
    assertClientError(http.post("Patient", "application/fhir+xml", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&e;\"/></Patient>"), 400);
  }

  @Test
  void aBodyOfTheWrongResourceTypeIs400() {
    assertClientError(http.post("Patient", FhirHttp.FHIR_JSON, "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}"), 400);
  }

  @Test
  void unknownResourceTypeIs404() {
    assertClientError(http.get("Spaceship?name=x"), 404);
    assertClientError(http.post("Spaceship", FhirHttp.FHIR_JSON, "{\"resourceType\":\"Spaceship\"}"), 404);
  }

  @Test
  void unknownResourceIs404() {
    assertClientError(http.get("Patient/no-such-patient"), 404);
  }

  @Test
  void unknownSearchParameterIs400() {
    assertClientError(http.get("ImagingStudy?no-such-param=1"), 400);
  }

  @Test
  void aReferenceToNothingIs4xx() {
    FhirHttp.Response response = http.post("Observation", FhirHttp.FHIR_JSON,
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/does-not-exist\"}}");
    assertThat(response.status()).as(response.toString()).isBetween(400, 499);
    assertThat(response.outcome().getIssue()).isNotEmpty();
  }

  @Test
  void anOverLargeBodyIs413() {
    byte[] big = bigPatient(2 * 1024 * 1024);
    assertClientError(http.post("Patient", FhirHttp.FHIR_JSON, new String(big, StandardCharsets.UTF_8)), 413);
  }

  @Test
  void anOverLargeChunkedBodyIs413AndNothingIsStored() {
    assertClientError(http.postChunked("Patient", FhirHttp.FHIR_JSON, bigPatient(2 * 1024 * 1024)), 413);
    assertThat(daos.getResourceDao(org.hl7.fhir.r4.model.Patient.class)
            .search(new ca.uhn.fhir.jpa.searchparam.SearchParameterMap().setLoadSynchronous(true)
                .add("family", new ca.uhn.fhir.rest.param.StringParam("Oversize")),
                new ca.uhn.fhir.rest.api.server.SystemRequestDetails())
            .size())
        .isZero();
  }

  @Test
  void aBodyJustUnderTheLimitIsAccepted() {
    String patient = fixtures.patientTreatedByDrChen("large-report-subject");
    org.hl7.fhir.r4.model.ImagingStudy study = ProfileValidationTest.validStudy("1.2.826.0.1.3680043.10.9.900");
    study.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
    String studyId = fixtures.store(study).getIdPart();
    StringBuilder text = new StringBuilder();
    while (text.length() < 900 * 1024) {
      text.append("finding ");
    }
    String report = "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\","
        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"24627-2\"}]},"
        + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"2026-11-01\","
        + "\"imagingStudy\":[{\"reference\":\"ImagingStudy/" + studyId + "\"}],\"conclusion\":\"" + text + "\"}";
    FhirHttp.Response response =
        http.postChunked("DiagnosticReport", FhirHttp.FHIR_JSON, report.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  /** A valid Patient whose JSON is about {@code size} bytes. */
  private static byte[] bigPatient(int size) {
    StringBuilder text = new StringBuilder(size);
    while (text.length() < size - 200) {
      text.append("padding ");
    }
    return ("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Oversize\",\"text\":\"" + text + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void assertClientError(FhirHttp.Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("Content-Type")).contains("fhir+json");
    OperationOutcome outcome = response.outcome();
    assertThat(outcome.getIssue()).isNotEmpty();
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
    assertThat(response.body()).doesNotContain("\tat ").doesNotContain("at ca.uhn.").doesNotContain("at org.springframework");
  }
}
