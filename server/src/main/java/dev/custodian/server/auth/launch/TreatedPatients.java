package dev.custodian.server.auth.launch;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.scope.ScopeParser;
import dev.custodian.server.auth.users.UserAccount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The patients a clinician may treat, for the patient picker of a standalone launch. This class
 * only finds <em>candidates</em> — patients of records that name the clinician (CareTeam member,
 * Encounter participant, performer, requester, interpreter or author of a study, report, order,
 * observation or document) — and then asks the policy decision point, as that clinician acting for
 * treatment, whether it permits reading the patient or one of those records on the basis of
 * treatment. The rules (active team, encounter window, named on the record) are the PDP's alone.
 */
public class TreatedPatients {

  /** Where a record names a practitioner: resource type and search parameters. */
  private static final Map<String, List<String>> NAMING_SEARCHES = new LinkedHashMap<>();

  static {
    NAMING_SEARCHES.put("CareTeam", List.of("participant"));
    NAMING_SEARCHES.put("Encounter", List.of("participant"));
    NAMING_SEARCHES.put("ImagingStudy", List.of("referrer", "interpreter", "performer"));
    NAMING_SEARCHES.put("DiagnosticReport", List.of("performer", "results-interpreter"));
    NAMING_SEARCHES.put("ServiceRequest", List.of("requester", "performer"));
    NAMING_SEARCHES.put("Observation", List.of("performer"));
    NAMING_SEARCHES.put("DocumentReference", List.of("author", "authenticator"));
  }

  private final DaoRegistry daos;
  private final AccessPolicy policy;

  public TreatedPatients(DaoRegistry daos, AccessPolicy policy) {
    this.daos = daos;
    this.policy = policy;
  }

  /**
   * A patient the picker offers, and the policy's decision that permits it on the basis of treatment
   * (on the patient, or on a record of the patient that names the clinician).
   */
  public record Choice(String id, String name, String birthDate, Decision decision) {}

  /** The caller the picker decides for: {@code user} as a clinician acting for treatment in this app. */
  public static Caller pickerCaller(UserAccount user, String clientId) {
    return new Caller(
        user.fhirUser(), clientId, EnumSet.of(Role.CLINICIAN), user.organization(),
        ScopeParser.standard().parse("user/*.rs"), null, PurposeOfUse.TREAT, null, "patient-picker");
  }

  /** The patients {@code user} may treat, by name; empty for anyone who is not a clinician. */
  public List<Choice> of(UserAccount user, String clientId) {
    if (user.fhirUser() == null || !user.roles().contains(Role.CLINICIAN.name())) {
      return List.of();
    }
    Caller caller = pickerCaller(user, clientId);
    Map<String, List<IBaseResource>> candidates = candidates(user.fhirUser());
    List<Choice> choices = new ArrayList<>();
    for (Map.Entry<String, List<IBaseResource>> candidate : candidates.entrySet()) {
      Patient patient = patient(candidate.getKey());
      if (patient == null) {
        continue;
      }
      Decision treats = policy.decide(caller, Action.READ, patient);
      for (Iterator<IBaseResource> records = candidate.getValue().iterator(); !byTreatment(treats) && records.hasNext(); ) {
        treats = policy.decide(caller, Action.READ, records.next());
      }
      if (byTreatment(treats)) {
        choices.add(new Choice(candidate.getKey(), name(patient),
            patient.hasBirthDateElement() ? patient.getBirthDateElement().getValueAsString() : null, treats));
      }
    }
    choices.sort(Comparator.comparing(Choice::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Choice::id));
    return choices;
  }

  /** Whether {@code user} may treat the patient {@code patientId} (the picker's own list decides). */
  public boolean treats(UserAccount user, String clientId, String patientId) {
    return of(user, clientId).stream().anyMatch(choice -> choice.id().equals(patientId));
  }

  private static boolean byTreatment(Decision decision) {
    return decision.isPermitted() && decision.basis() == Basis.TREATMENT;
  }

  /**
   * The ids of the patients of records that name {@code actor} (CareTeam member, Encounter
   * participant, performer, requester, ...): candidates only — whether {@code actor} may see them is
   * the policy's to decide.
   */
  public java.util.Set<String> candidatePatients(String actor) {
    return candidates(actor).keySet();
  }

  /** Patient id → the records naming {@code actor} that belong to that patient. */
  private Map<String, List<IBaseResource>> candidates(String actor) {
    Map<String, List<IBaseResource>> found = new LinkedHashMap<>();
    NAMING_SEARCHES.forEach((type, parameters) -> {
      for (String parameter : parameters) {
        SearchParameterMap query = SearchParameterMap.newSynchronous().add(parameter, new ReferenceParam(actor));
        if (type.equals("CareTeam")) {
          query.add("status", new TokenParam("active"));
        }
        for (IBaseResource record : daos.getResourceDao(type).search(query, new SystemRequestDetails()).getAllResources()) {
          String patient = subjectPatient(record);
          if (patient != null) {
            found.computeIfAbsent(patient, p -> new ArrayList<>()).add(record);
          }
        }
      }
    });
    return found;
  }

  private String subjectPatient(IBaseResource record) {
    List<Reference> subjects = ca.uhn.fhir.context.FhirContext.forR4Cached().newTerser()
        .getValues(record, "subject", Reference.class);
    for (Reference subject : subjects) {
      IdType id = new IdType(subject.getReference());
      if (!id.hasBaseUrl() && "Patient".equals(id.getResourceType()) && id.hasIdPart()) {
        return id.getIdPart();
      }
    }
    return null;
  }

  private Patient patient(String id) {
    try {
      return (Patient) daos.getResourceDao("Patient").read(new IdType("Patient", id), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return null;
    }
  }

  private static String name(Patient patient) {
    if (patient.hasName()) {
      String name = patient.getNameFirstRep().getNameAsSingleString();
      if (name != null && !name.isBlank()) {
        return name;
      }
    }
    return "Patient " + patient.getIdElement().getIdPart();
  }
}
