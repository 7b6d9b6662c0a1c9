package dev.custodian.server.requests;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.HiddenAsMissing;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.resource.References;
import dev.custodian.policy.scope.Interaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code POST [base]/Patient/{id}/$request-copies}: the patient (or her personal representative) asks
 * for copies of her records under the HIPAA right of access. Parameters: {@code record} (valueReference,
 * repeatable: her ImagingStudies and DiagnosticReports) or {@code allCtImaging} (valueBoolean true:
 * every CT study on record and its reports), and {@code delivery} (valueCode share-link,
 * portal-download, mailed-media or pickup). A study comes with its reports and a report with its
 * study, as copies are released. Answers the new request, a Task due in 30 days (see
 * {@link CopyRequestTask}).
 *
 * <p>Refusals: 401 without a token; 403 for anyone but a patient or representative, or without a
 * scope that allows creating a Task; 404 when the policy does not let the caller read that Patient
 * (as for a missing one); 400 for a missing or unknown delivery, no records, both records and
 * allCtImaging, or a record that is not one of hers (a hidden record answers exactly as a missing
 * one).
 */
public class RequestCopiesOperation {

  public static final String NAME = "$request-copies";

  private final CopyRequestAccess access;
  private final CopyRequestStore store;
  private final PatientRecords records;
  private final CopyRequestProperties properties;
  private final Clock clock;

  public RequestCopiesOperation(CopyRequestAccess access, CopyRequestStore store, PatientRecords records,
      CopyRequestProperties properties, Clock clock) {
    this.access = access;
    this.store = store;
    this.records = records;
    this.properties = properties;
    this.clock = clock;
  }

  @Operation(name = NAME, type = Patient.class, idempotent = false, returnParameters = {})
  public Task requestCopies(
      @IdParam IdType patientId,
      @OperationParam(name = "record", min = 0, max = OperationParam.MAX_UNLIMITED, typeName = "Reference") List<Reference> named,
      @OperationParam(name = "allCtImaging", min = 0, max = 1, typeName = "boolean") IPrimitiveType<Boolean> allCtImaging,
      @OperationParam(name = "delivery", min = 0, max = 1, typeName = "code") IPrimitiveType<String> deliveryParam,
      RequestDetails request) {
    Caller caller = access.caller(request);
    if (!caller.has(Role.PATIENT) && !caller.has(Role.REPRESENTATIVE)) {
      throw Refusals.forbidden("Copies are requested by the patient or her personal representative.");
    }
    if (!caller.scopes().permits(Interaction.CREATE, "Task")) {
      throw Refusals.forbidden("The access token's scopes do not allow create on Task (e.g. patient/Task.c).");
    }
    AccessPolicy policy = access.policy();
    String patient = "Patient/" + patientId.getIdPart();
    if (!References.isReference(patient) || !policy.decide(caller, Action.READ, patientResource(patientId)).isPermitted()) {
      throw HiddenAsMissing.notFound(request);
    }
    Delivery delivery = delivery(deliveryParam);
    boolean all = allCtImaging != null && Boolean.TRUE.equals(allCtImaging.getValue());
    List<Reference> asked = named == null ? List.of() : named;
    if (all == !asked.isEmpty()) {
      throw Refusals.badRequest("Name the records (record) or ask for all CT imaging (allCtImaging=true), not both or neither.");
    }
    Map<String, Resource> chosen = all ? allCtImaging(patient, caller) : named(asked, patient, caller);
    if (chosen.isEmpty()) {
      throw Refusals.businessRule("There is no CT imaging on record for this patient.");
    }

    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Task task = store.create(CopyRequestTask.create(patient, caller.fhirUser(), List.copyOf(chosen.keySet()), all,
        delivery, now, now.plus(properties.dueIn())));
    Decision decision = policy.decide(caller, Action.READ, task);
    PolicyConsentService.recordSelfJudged(request, task, decision);
    return task;
  }

  private static Patient patientResource(IdType id) {
    Patient patient = new Patient();
    patient.setId(new IdType("Patient", id.getIdPart()));
    return patient;
  }

  private static Delivery delivery(IPrimitiveType<String> param) {
    String code = param == null ? null : param.getValueAsString();
    if (code == null || code.isBlank()) {
      throw Refusals.badRequest("A delivery is required: share-link, portal-download, mailed-media or pickup.");
    }
    return Delivery.fromCode(code.strip())
        .orElseThrow(() -> Refusals.badRequest("The delivery must be share-link, portal-download, mailed-media or pickup."));
  }

  /** The named records, each with its study or reports; any the caller may not read is refused as unknown. */
  private Map<String, Resource> named(List<Reference> asked, String patient, Caller caller) {
    Map<String, Resource> chosen = new LinkedHashMap<>();
    for (Reference reference : asked) {
      String wanted = reference == null ? null : PatientRecords.versionless(reference.getReference());
      Resource record = records.find(wanted)
          .filter(r -> patient.equals(PatientRecords.subject(r)))
          .filter(r -> access.policy().decide(caller, Action.READ, r).isPermitted())
          .orElseThrow(() -> Refusals.badRequest("record: " + wanted
              + " is not an ImagingStudy or DiagnosticReport of this patient that is known here."));
      if (record instanceof ImagingStudy study) {
        addStudy(chosen, study, patient, caller);
      } else if (record instanceof DiagnosticReport report) {
        add(chosen, report, caller);
        for (Reference studyRef : report.getImagingStudy()) {
          records.find(PatientRecords.versionless(studyRef.getReference()))
              .ifPresent(study -> addStudy(chosen, (ImagingStudy) study, patient, caller));
        }
      }
    }
    return chosen;
  }

  private Map<String, Resource> allCtImaging(String patient, Caller caller) {
    Map<String, Resource> chosen = new LinkedHashMap<>();
    records.ctStudies(patient).forEach(study -> addStudy(chosen, study, patient, caller));
    return chosen;
  }

  private void addStudy(Map<String, Resource> chosen, ImagingStudy study, String patient, Caller caller) {
    add(chosen, study, caller);
    records.reportsOn(patient, PatientRecords.reference(study)).forEach(report -> add(chosen, report, caller));
  }

  /** Adds {@code record} if the caller may read it (a record of the patient and someone else is not hers alone). */
  private void add(Map<String, Resource> chosen, Resource record, Caller caller) {
    if (access.policy().decide(caller, Action.READ, record).isPermitted()) {
      chosen.putIfAbsent(PatientRecords.reference(record), record);
    }
  }
}
