package dev.custodian.server.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Synthetic patients for load tests, each with two CT studies and a final report for each. Our own
 * small generator rather than Synthea: Synthea models whole lives but not CT studies with DICOM
 * series, and it is much slower to run. Deterministic: patient {@code n} is the same every time
 * (ids {@code syn-00001}, …), so loading twice adds nothing.
 */
final class SyntheticPatients {

  private static final String[] GIVEN = {
    "Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Keira",
    "Liam", "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera"
  };
  private static final String[] FAMILY = {
    "Abbott", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Hassan", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi"
  };

  private SyntheticPatients() {}

  static String patientId(int n) {
    return String.format("syn-%05d", n);
  }

  /** The records of patient {@code n} (1-based). */
  static List<Resource> patient(int n) {
    Random random = new Random(n * 7919L);
    String id = patientId(n);
    Patient patient = new Patient();
    patient.setId(id);
    patient.addIdentifier().setSystem(DemoIds.MRN_SYSTEM).setValue(String.format("SYN-%07d", n));
    patient.setActive(true);
    patient.addName(
        new HumanName()
            .setFamily(FAMILY[random.nextInt(FAMILY.length)])
            .addGiven(GIVEN[random.nextInt(GIVEN.length)]));
    patient.setGender(
        random.nextBoolean()
            ? Enumerations.AdministrativeGender.FEMALE
            : Enumerations.AdministrativeGender.MALE);
    patient.setBirthDate(
        java.sql.Date.valueOf(LocalDate.of(1940 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28))));
    patient.setManagingOrganization(new Reference("Organization/" + DemoIds.IMAGING_CENTRE));

    List<Resource> records = new ArrayList<>();
    records.add(patient);
    CtProcedure[] procedures = CtProcedure.values();
    for (int s = 1; s <= 2; s++) {
      CtProcedure procedure = procedures[random.nextInt(procedures.length)];
      Date started =
          DemoRecords.date(2020 + random.nextInt(7), 1 + random.nextInt(12), 1 + random.nextInt(28), 8 + random.nextInt(10), random.nextInt(60));
      ImagingStudy study =
          CtRecords.study(id + "-ct-" + s, id, procedure, started, 1 + random.nextInt(3), 50 + random.nextInt(250), false);
      DiagnosticReport report =
          CtRecords.report(
              id + "-ct-" + s + "-report",
              study,
              procedure,
              new Date(started.getTime() + 2L * 3600 * 1000),
              DemoIds.IMAGING_CENTRE);
      records.add(study);
      records.add(report);
    }
    return records;
  }
}
