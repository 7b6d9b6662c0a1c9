package dev.custodian.policy.resource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** A path to references that make the patient an owner, and the type they must name (null: any). */
  private record OwnerPath(String path, String wantType) {}

  /** The FHIRPath form R4 gives compartment paths: {@code X.subject.where(resolve() is Patient)}. */
  private static final Pattern TYPED_PATH = Pattern.compile("([a-zA-Z.]+)\\.where\\(resolve\\(\\) is ([a-zA-Z]+)\\)");
  private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z]+(\\.[A-Za-z]+)+");

  private final FhirContext context;
  /** Per resource type, the paths to its owners, worked out once (it was a tenth of a decision). */
  private final Map<String, List<OwnerPath>> ownerPaths = new ConcurrentHashMap<>();

  public PatientCompartment(FhirContext context) {
    this.context = context;
  }

  /** The owning patients as references ({@code Patient/alice}), sorted; empty if none. */
  public Set<String> owners(IBaseResource resource) {
    Set<String> owners = new TreeSet<>();
    String type = context.getResourceType(resource);
    if (PATIENT.equals(type)) {
      IIdType id = resource.getIdElement();
      if (id != null && id.hasIdPart()) {
        owners.add(ownerOf(id));
      }
      return owners;
    }
    FhirTerser terser = context.newTerser();
    for (OwnerPath path : ownerPaths.computeIfAbsent(type, t -> ownerPaths(context.getResourceDefinition(t)))) {
      for (IBaseReference reference : terser.getValues(resource, path.path(), IBaseReference.class)) {
        if (path.wantType() == null || path.wantType().equals(typeOf(reference))) {
          addIfPatient(owners, reference.getReferenceElement());
        }
      }
    }
    return owners;
  }

  /**
   * The paths of the type's Patient compartment parameters (as HAPI's terser reads them for
   * {@code getCompartmentReferencesForResource}), then those of its {@code patient} parameter.
   */
  private static List<OwnerPath> ownerPaths(RuntimeResourceDefinition definition) {
    List<OwnerPath> paths = new ArrayList<>();
    for (RuntimeSearchParam param : definition.getSearchParamsForCompartmentName(PATIENT)) {
      for (String path : param.getPathsSplit()) {
        if (path.isBlank()) {
          continue;
        }
        Matcher typed = TYPED_PATH.matcher(path);
        paths.add(typed.matches() ? new OwnerPath(typed.group(1), typed.group(2)) : new OwnerPath(path, null));
      }
    }
    RuntimeSearchParam patientParam = definition.getSearchParam(ALSO_OWNED_THROUGH);
    if (patientParam != null && patientParam.getPath() != null && !patientParam.getPath().isBlank()) {
      for (String path : patientParam.getPath().split("\\|")) {
        String plain = path.trim().replace(".where(resolve() is Patient)", "");
        if (PLAIN_PATH.matcher(plain).matches()) {
          paths.add(new OwnerPath(plain, null));
        }
      }
    }
    return List.copyOf(paths);
  }

  /** The type a reference names, as HAPI's terser tells it for compartments. */
  private String typeOf(IBaseReference reference) {
    IIdType target = reference.getReferenceElement().toUnqualifiedVersionless();
    if (target.hasResourceType()) {
      return target.getResourceType();
    }
    return reference.getResource() != null ? context.getResourceType(reference.getResource()) : null;
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
