package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.policy.searchreuse.CallerSearchReuse;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A search judged by the access policy is stored for reuse by its own caller only
 * ({@code CallerSearchReuse}): two callers who ask the same query get each their own answer, in
 * whichever order they ask; a repeated search of one caller is answered from its stored result; a
 * write, or a relationship that ended, counts on the very next search.
 */
class CallerSearchReuseTest extends ServerTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void twoCallersWithTheSameQueryNeverShareAResult() {
    String patient = patientWithStudies(3);
    String query = "ImagingStudy?patient=" + patient + "&_count=1";
    FhirHttp chen = as("dr.chen", "openid fhirUser user/*.rs"); // treats the patient
    FhirHttp diaz = as("dr.diaz", "openid fhirUser user/*.rs"); // does not
    afterTheWriteMargin(); // a stored search is not reused right after a write

    // the one who sees nothing asks first: the one who sees everything does not get that answer
    seesNothing(diaz.get(query).bundle());
    Bundle first = chen.get(query).bundle();
    assertThat(first.getEntry()).hasSize(1);
    assertThat(first.getLink("next")).as("two more studies on further pages").isNotNull();
    int stored = storedSearches(patient);

    // and the other way round: the one who sees nothing does not get the stored result of the other
    seesNothing(diaz.get(query).bundle());
    Bundle again = chen.get(query).bundle();
    assertThat(again.getEntry()).hasSize(1);
    assertThat(again.getLink("next")).isNotNull();
    assertThat(storedSearches(patient)).as("each caller's repeated search reused its own stored result")
        .isEqualTo(stored);
    assertThat(pages(chen, query)).hasSize(3);
  }

  @Test
  void aWriteCountsOnTheNextSearch() {
    String patient = patientWithStudies(1);
    String query = "ImagingStudy?patient=" + patient;
    FhirHttp chen = as("dr.chen", "openid fhirUser user/*.rs");
    assertThat(chen.get(query).bundle().getEntry()).hasSize(1);
    study(patient);
    assertThat(chen.get(query).bundle().getEntry()).as("the new study, not the stored result").hasSize(2);
  }

  @Test
  void anEndedRelationshipCountsOnTheNextSearch() {
    String patient = patientWithStudies(2);
    String query = "ImagingStudy?patient=" + patient;
    FhirHttp chen = as("dr.chen", "openid fhirUser user/*.rs");
    assertThat(chen.get(query).bundle().getEntry()).hasSize(2);
    CareTeam team = new CareTeam();
    team.setId(patient + "-care-team");
    team.setStatus(CareTeam.CareTeamStatus.INACTIVE);
    team.setSubject(new Reference("Patient/" + patient));
    team.addParticipant().setMember(new Reference("Practitioner/dr.chen"));
    fixtures.store(team);
    seesNothing(chen.get(query).bundle());
  }

  private String patientWithStudies(int count) {
    String patient = fixtures.patientTreatedByDrChen("reuse-" + UUID.randomUUID().toString().substring(0, 8));
    for (int i = 0; i < count; i++) {
      study(patient);
    }
    return patient;
  }

  private void study(String patient) {
    ImagingStudy study = new ImagingStudy();
    study.addIdentifier().setSystem("urn:dicom:uid")
        .setValue("urn:oid:2.25." + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/" + patient));
    study.setStartedElement(new DateTimeType("2026-08-01T10:00:00Z"));
    fixtures.store(study);
  }

  private static void afterTheWriteMargin() {
    try {
      Thread.sleep(CallerSearchReuse.WRITE_MARGIN.plusSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void seesNothing(Bundle bundle) {
    assertThat(bundle.getEntry()).isEmpty();
    assertThat(bundle.hasTotal()).isFalse();
    assertThat(bundle.getLink("next")).isNull();
  }

  private int storedSearches(String patient) {
    Integer count = authJdbcTemplate.queryForObject(
        "select count(*) from hfj_search where search_query_string_vc like ?", Integer.class,
        "#caller=%" + patient + "%");
    return count == null ? 0 : count;
  }

  private static List<String> pages(FhirHttp as, String query) {
    List<String> seen = new java.util.ArrayList<>();
    Bundle page = as.get(query).bundle();
    for (int n = 0; n < 10; n++) {
      page.getEntry().forEach(entry -> seen.add(entry.getResource().getIdElement().getIdPart()));
      if (page.getLink("next") == null) {
        break;
      }
      page = as.get(page.getLink("next").getUrl()).bundle();
    }
    return seen;
  }
}
