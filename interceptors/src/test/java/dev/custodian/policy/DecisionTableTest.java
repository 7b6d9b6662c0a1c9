package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy as a table: each row is one question about the {@link DemoScenario} and its expected
 * answer. DENY rows are the leak checks: each would expose something the caller must not see.
 */
class DecisionTableTest {

  private static final DemoScenario SCENARIO = new DemoScenario();
  private static final AccessPolicy POLICY = SCENARIO.policy();

  @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # caller               | action           | resource                                | effect           | basis
      # ---- patient: right of access to their own compartment, nothing else
      alice                  | READ             | Patient/alice                           | PERMIT           | RIGHT_OF_ACCESS
      alice                  | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | RIGHT_OF_ACCESS
      alice                  | SEARCH           | DiagnosticReport/alice-ct-chest-report  | PERMIT           | RIGHT_OF_ACCESS
      alice                  | HISTORY_INSTANCE | DiagnosticReport/alice-ct-head-report   | PERMIT           | RIGHT_OF_ACCESS
      alice                  | READ             | Coverage/alice-coverage                 | PERMIT           | RIGHT_OF_ACCESS
      alice                  | READ             | Consent/release-evans                   | PERMIT           | RIGHT_OF_ACCESS
      alice                  | RETRIEVE_DICOM   | ImagingStudy/alice-ct-head              | PERMIT           | RIGHT_OF_ACCESS
      alice                  | UPDATE           | Consent/release-evans                   | PERMIT           | RIGHT_OF_ACCESS
      alice                  | DELETE           | Consent/release-evans                   | DENY             | NONE
      alice                  | UPDATE           | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      alice                  | CREATE           | ImagingStudy/alice-ct-chest             | DENY             | NONE
      alice                  | READ             | Patient/bruno                           | DENY             | NONE
      alice                  | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      alice                  | SEARCH           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      alice                  | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      alice                  | READ             | Coverage/family-coverage                | DENY             | NONE
      alice                  | READ             | AuditEvent/audit-1                      | DENY             | NONE
      alice                  | READ             | Organization/imaging-centre             | PERMIT           | NONE
      alice                  | READ             | Practitioner/dr.chen                    | PERMIT           | NONE
      alice                  | UPDATE           | Organization/imaging-centre             | DENY             | NONE
      bruno                  | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | RIGHT_OF_ACCESS
      bruno                  | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      bruno                  | UPDATE           | Consent/release-evans                   | DENY             | NONE
      # ---- personal representative
      carol                  | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | RIGHT_OF_ACCESS
      carol                  | READ             | DiagnosticReport/alice-ct-head-report   | PERMIT           | RIGHT_OF_ACCESS
      carol                  | UPDATE           | Consent/release-evans                   | PERMIT           | RIGHT_OF_ACCESS
      carol                  | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      carol-for-bruno        | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      carol-for-bruno        | READ             | ImagingStudy/alice-ct-head              | PERMIT           | RIGHT_OF_ACCESS
      # ---- treating clinician: care relationship
      dr.chen                | READ             | Patient/alice                           | PERMIT           | TREATMENT
      dr.chen                | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | TREATMENT
      dr.chen                | SEARCH           | DiagnosticReport/alice-ct-head-report   | PERMIT           | TREATMENT
      dr.chen                | RETRIEVE_DICOM   | ImagingStudy/alice-ct-chest             | PERMIT           | TREATMENT
      dr.chen                | CREATE           | DiagnosticReport/alice-ct-chest-report  | PERMIT           | TREATMENT
      dr.chen                | UPDATE           | ImagingStudy/alice-ct-head              | PERMIT           | TREATMENT
      dr.chen                | DELETE           | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      dr.chen                | UPDATE           | Consent/release-evans                   | DENY             | NONE
      dr.chen                | UPDATE           | Coverage/alice-coverage                 | DENY             | NONE
      dr.chen                | READ             | Patient/bruno                           | DENY             | NONE
      dr.chen                | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      dr.chen                | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      dr.chen                | CREATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      dr.chen                | READ             | AuditEvent/audit-1                      | DENY             | NONE
      dr.chen                | READ             | ImagingStudy/orphan-study               | DENY             | NONE
      dr.chen                | READ             | ImagingStudy/foreign-study              | DENY             | NONE
      dr.chen-patient-bruno  | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.chen-studies-only   | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | TREATMENT
      dr.chen-studies-only   | READ             | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      dr.chen-studies-only   | CREATE           | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.chen-rad-only       | READ             | DiagnosticReport/alice-ct-chest-report  | PERMIT           | TREATMENT
      dr.chen-rad-only       | READ             | DiagnosticReport/alice-lab-report       | DENY             | NONE
      dr.diaz                | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.diaz                | READ             | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      dr.diaz                | CREATE           | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      dr.diaz                | READ             | Organization/imaging-centre             | PERMIT           | NONE
      dr.ortiz               | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | TREATMENT
      dr.ortiz               | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.ng                  | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      # ---- break the glass: flagged emergency reads of the one patient of a grant in force, no writes
      dr.ruiz                | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | EMERGENCY
      dr.ruiz                | SEARCH           | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | EMERGENCY
      dr.ruiz                | READ             | Patient/bruno                           | PERMIT           | EMERGENCY
      dr.ruiz                | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-abdomen           | PERMIT           | EMERGENCY
      dr.ruiz                | UPDATE           | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      dr.ruiz                | CREATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      dr.ruiz                | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.ruiz                | SEARCH           | DiagnosticReport/alice-ct-head-report   | DENY             | NONE
      dr.ruiz                | READ             | Coverage/family-coverage                | DENY             | NONE
      dr.ruiz                | READ             | AuditEvent/audit-1                      | DENY             | NONE
      dr.ruiz-studies-only   | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | EMERGENCY
      dr.ruiz-studies-only   | READ             | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      dr.ruiz-btg            | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | EMERGENCY
      dr.ruiz-btg            | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.diaz-btg            | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      dr.diaz-btg            | READ             | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      dr.diaz-btg            | RETRIEVE_DICOM   | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.diaz-btg            | READ             | AuditEvent/audit-1                      | DENY             | NONE
      dr.diaz-etreat         | READ             | Patient/bruno                           | DENY             | NONE
      dr.chen-btg            | CREATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      dr.diaz-payment        | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      # ---- the break-the-glass review queue: oversight, not the patient's record
      auditor                | READ             | Task/btg-review-1                       | PERMIT           | OVERSIGHT
      auditor                | SEARCH           | Task/btg-review-1                       | PERMIT           | OVERSIGHT
      auditor                | UPDATE           | Task/btg-review-1                       | DENY             | NONE
      reviewer               | SEARCH           | Task/btg-review-1                       | PERMIT           | OVERSIGHT
      reviewer               | UPDATE           | Task/btg-review-1                       | PERMIT           | OVERSIGHT
      reviewer               | CREATE           | Task/btg-review-1                       | DENY             | NONE
      reviewer               | DELETE           | Task/btg-review-1                       | DENY             | NONE
      reviewer               | READ             | Task/alice-copy-request                 | DENY             | NONE
      reviewer               | UPDATE           | Task/alice-copy-request                 | DENY             | NONE
      dr.ruiz                | READ             | Task/btg-review-1                       | DENY             | NONE
      dr.ruiz                | UPDATE           | Task/btg-review-1                       | DENY             | NONE
      dr.chen                | CREATE           | Task/btg-review-1                       | DENY             | NONE
      bruno                  | READ             | Task/btg-review-1                       | DENY             | NONE
      alice                  | READ             | Task/alice-copy-request                 | PERMIT           | RIGHT_OF_ACCESS
      ops                    | READ             | Task/btg-review-1                       | DENY             | NONE
      # ---- health plan: payment, minimum necessary, only covered patients, no images
      health-plan            | READ             | ImagingStudy/alice-ct-chest             | PERMIT_PROJECTED | PAYMENT
      health-plan            | SEARCH           | DiagnosticReport/alice-ct-chest-report  | PERMIT_PROJECTED | PAYMENT
      health-plan            | READ             | Patient/alice                           | PERMIT_PROJECTED | PAYMENT
      health-plan            | READ             | Coverage/alice-coverage                 | PERMIT_PROJECTED | PAYMENT
      health-plan            | READ             | Encounter/alice-encounter-1             | DENY             | NONE
      health-plan            | READ             | CareTeam/alice-care-team                | DENY             | NONE
      health-plan            | READ             | Consent/release-evans                   | DENY             | NONE
      health-plan            | RETRIEVE_DICOM   | ImagingStudy/alice-ct-chest             | DENY             | NONE
      health-plan            | UPDATE           | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      health-plan            | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      health-plan            | READ             | Coverage/family-coverage                | DENY             | NONE
      health-plan-treat      | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      other-plan             | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      # ---- operations
      ops                    | READ             | ImagingStudy/bruno-ct-chest             | PERMIT_PROJECTED | OPERATIONS
      ops                    | READ             | DiagnosticReport/alice-ct-chest-report  | PERMIT_PROJECTED | OPERATIONS
      ops                    | READ             | Encounter/alice-encounter-1             | PERMIT_PROJECTED | OPERATIONS
      ops                    | READ             | Consent/release-evans                   | DENY             | NONE
      ops                    | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ops                    | UPDATE           | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ops-treat              | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ba-system              | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT_PROJECTED | OPERATIONS
      ba-system              | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ba-treat               | READ             | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      # ---- required by law / public health: HIM only, flagged
      him-legal              | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | LAW
      him-legal              | READ             | Encounter/alice-encounter-1             | DENY             | NONE
      him-legal              | UPDATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      him-pubhlth            | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT_PROJECTED | LAW
      him-pubhlth            | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ops-legal              | READ             | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      # ---- third party: exactly what an in-force authorization names
      ms.evans               | READ             | ImagingStudy/alice-ct-head              | PERMIT           | AUTHORIZATION
      ms.evans               | SEARCH           | DiagnosticReport/alice-ct-head-report   | PERMIT           | AUTHORIZATION
      ms.evans               | RETRIEVE_DICOM   | ImagingStudy/alice-ct-head              | PERMIT           | AUTHORIZATION
      ms.evans               | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      ms.evans               | READ             | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      ms.evans               | READ             | Patient/alice                           | DENY             | NONE
      ms.evans               | READ             | Consent/release-evans                   | DENY             | NONE
      ms.evans               | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      ms.evans               | UPDATE           | ImagingStudy/alice-ct-head              | DENY             | NONE
      ms.evans-legal         | READ             | ImagingStudy/alice-ct-head              | DENY             | NONE
      mr.frank               | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | AUTHORIZATION
      mr.frank               | READ             | ImagingStudy/alice-ct-head              | DENY             | NONE
      nobody                 | READ             | ImagingStudy/alice-ct-head              | DENY             | NONE
      nobody                 | READ             | Organization/imaging-centre             | PERMIT           | NONE
      # ---- auditors and privacy officers: AuditEvent, explicitly scoped; no clinical content
      auditor                | READ             | AuditEvent/audit-1                      | PERMIT           | OVERSIGHT
      auditor                | SEARCH           | AuditEvent/audit-1                      | PERMIT           | OVERSIGHT
      auditor                | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      auditor                | READ             | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      auditor-wildcard       | READ             | AuditEvent/audit-1                      | DENY             | NONE
      auditor-write          | UPDATE           | AuditEvent/audit-1                      | DENY             | NONE
      auditor-write          | DELETE           | AuditEvent/audit-1                      | DENY             | NONE
      auditor-write          | CREATE           | AuditEvent/audit-1                      | DENY             | NONE
      privacy-officer        | READ             | AuditEvent/audit-1                      | PERMIT           | OVERSIGHT
      privacy-officer        | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      dr.chen-audit          | READ             | AuditEvent/audit-1                      | DENY             | NONE
      # ---- another provider's system: organization's care relationship or authorization
      centre-system          | READ             | ImagingStudy/alice-ct-chest             | PERMIT           | TREATMENT
      centre-system          | CREATE           | ImagingStudy/alice-ct-chest             | DENY             | NONE
      centre-system          | UPDATE           | ImagingStudy/alice-ct-chest             | DENY             | NONE
      centre-system          | DELETE           | ImagingStudy/alice-ct-chest             | DENY             | NONE
      centre-system          | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | TREATMENT
      centre-system          | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      centre-system          | UPDATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      centre-system          | READ             | AuditEvent/audit-1                      | DENY             | NONE
      city-system            | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | TREATMENT
      city-system            | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      other-clinic-system    | READ             | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | AUTHORIZATION
      other-clinic-system    | READ             | DiagnosticReport/bruno-ct-abdomen-report| DENY             | NONE
      other-clinic-system    | READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      city-system            | SEARCH           | ImagingStudy/bruno-ct-chest             | PERMIT           | TREATMENT
      city-system            | READ             | Patient/bruno                           | PERMIT           | TREATMENT
      city-system            | SEARCH           | DiagnosticReport/bruno-ct-abdomen-report| PERMIT           | TREATMENT
      city-system            | RETRIEVE_DICOM   | ImagingStudy/bruno-ct-chest             | PERMIT           | TREATMENT
      city-system            | READ             | Patient/alice                           | DENY             | NONE
      city-system            | SEARCH           | DiagnosticReport/alice-ct-chest-report  | DENY             | NONE
      city-system            | RETRIEVE_DICOM   | ImagingStudy/alice-ct-chest             | DENY             | NONE
      city-system            | READ             | Coverage/alice-coverage                 | DENY             | NONE
      city-system            | READ             | AuditEvent/audit-1                      | DENY             | NONE
      city-system            | UPDATE           | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      city-system            | CREATE           | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      city-system            | READ             | Organization/imaging-centre             | PERMIT           | NONE
      city-system-studies    | READ             | ImagingStudy/bruno-ct-chest             | PERMIT           | TREATMENT
      city-system-studies    | READ             | DiagnosticReport/bruno-ct-chest-report  | DENY             | NONE
      city-system-user-scopes| READ             | ImagingStudy/bruno-ct-chest             | DENY             | NONE
      dr.chen-system-scopes  | READ             | ImagingStudy/alice-ct-chest             | DENY             | NONE
      other-clinic-system    | READ             | Patient/bruno                           | DENY             | NONE
      other-clinic-system    | SEARCH           | DiagnosticReport/bruno-ct-chest-report  | PERMIT           | AUTHORIZATION
      """)
  void decides(String caller, Action action, String resource, Effect effect, Basis basis) {
    Decision decision = POLICY.decide(SCENARIO.caller(caller), action, SCENARIO.resource(resource));

    assertThat(decision.effect()).as("effect; reason: %s", decision.reason()).isEqualTo(effect);
    assertThat(decision.basis()).as("basis; reason: %s", decision.reason()).isEqualTo(basis);
    assertThat(decision.reason()).isNotBlank();
  }
}
