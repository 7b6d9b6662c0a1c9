package dev.custodian.policy.resource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Which patients a resource belongs to, by the FHIR R4 Patient CompartmentDefinition (as HAPI's
 * search parameter definitions declare it): a Patient belongs to itself; an ImagingStudy to its
 * {@code subject}; a Coverage to its beneficiary, subscriber, policy holder and payor when these are
 * Patients; and so on.
 *
 * <p>Only relative references to local Patients count as owners by id. A reference the server cannot
 * resolve to a local patient (an absolute URL to another server, a contained {@code #id}) is kept as
 * written, so that it matches no caller's patient and the resource is denied rather than attributed
 * to the wrong person. A reference by identifier only (no literal reference) makes no owner.
 */
public final class PatientCompartment {

  private static final String PATIENT = "Patient";

  /**
   * R4 leaves Task (and a few others) out of the Patient compartment, but a Task {@code for} a
   * patient — a request for copies of their records, say — is theirs: a resource's {@code patient}
   * search parameter also makes it the patient's. Its path is read without the
   * {@code .where(resolve() is Patient)} filter (HAPI's terser cannot resolve); the type check below
   * does the same job.
   */
  private static final String ALSO_OWNED_THROUGH = "patient";

  private final FhirContext context;

  public PatientCompartment(FhirContext context) {
    this.context = context;
  }

  /** The owning patients as references ({@code Patient/alice}), sorted; empty if none. */
  public Set<String> owners(IBaseResource resource) {
    Set<String> owners = new TreeSet<>();
    if (PATIENT.equals(context.getResourceType(resource))) {
      IIdType id = resource.getIdElement();
      if (id != null && id.hasIdPart()) {
        owners.add(ownerOf(id));
      }
      return owners;
    }
    context.newTerser()
        .getCompartmentReferencesForResource(PATIENT, resource, Set.<String>of())
        .map(IBaseReference::getReferenceElement)
        .forEach(id -> addIfPatient(owners, id));
    RuntimeSearchParam patientParam =
        context.getResourceDefinition(resource).getSearchParam(ALSO_OWNED_THROUGH);
    if (patientParam != null && patientParam.getPath() != null && !patientParam.getPath().isBlank()) {
      for (String path : patientParam.getPath().split("\\|")) {
        String plain = path.trim().replace(".where(resolve() is Patient)", "");
        if (plain.matches("[A-Za-z]+(\\.[A-Za-z]+)+")) {
          context.newTerser().getValues(resource, plain, IBaseReference.class).stream()
              .map(IBaseReference::getReferenceElement)
              .forEach(id -> addIfPatient(owners, id));
        }
      }
    }
    return owners;
  }

  private static void addIfPatient(Set<String> owners, IIdType id) {
    if (id != null && !id.isEmpty() && (!id.hasResourceType() || PATIENT.equals(id.getResourceType()))) {
      owners.add(ownerOf(id));
    }
  }

  private static String ownerOf(IIdType id) {
    if (!id.hasBaseUrl() && References.isId(id.getIdPart())) {
      return PATIENT + "/" + id.getIdPart();
    }
    return id.getValue();
  }
}
