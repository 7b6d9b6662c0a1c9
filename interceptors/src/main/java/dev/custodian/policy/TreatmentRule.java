package dev.custodian.policy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.resource.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Treatment (45 CFR 164.506(c)): a provider uses and discloses records to treat the patient. Only
 * for purpose TREAT, and only with a care relationship to <em>every</em> patient the resource belongs
 * to:
 *
 * <ul>
 *   <li>a {@link Role#CLINICIAN} (their {@code fhirUser}) who is a member of an active CareTeam of the
 *       patient, or took part in an Encounter of the patient within the encounter window, or is named
 *       on the resource itself as its performer, requester, referrer or interpreter — the last one
 *       reaches that resource only;</li>
 *   <li>a {@link Role#SYSTEM} client (its organization) that is on an active CareTeam of the patient,
 *       has an active referral (ServiceRequest) addressed to it, or is named on the resource as
 *       above.</li>
 * </ul>
 *
 * Treatment is exempt from the minimum-necessary standard (164.502(b)(2)(i)): the whole resource.
 *
 * <p>Writes (clinicians only; a provider system reads and never writes, for now): create and update of
 * the {@linkplain #WRITABLE clinical types} providers produce, for patients they have a care
 * relationship with <em>from the facts</em> — never from the resource being
 * written, which would let a writer grant itself access by naming itself as performer. No deletes:
 * a wrong record is corrected with status {@code entered-in-error}, which keeps the trail.
 */
final class TreatmentRule implements Rule {

  /** What providers write: reports, studies, observations, orders, documents. */
  static final Set<String> WRITABLE =
      Set.of("DiagnosticReport", "ImagingStudy", "Observation", "ServiceRequest", "DocumentReference");

  /** Where a resource names the people and organizations who perform or order it. */
  private static final Map<String, List<String>> NAMED_ON_RESOURCE = Map.of(
      "ImagingStudy", List.of("referrer", "interpreter", "series.performer.actor"),
      "DiagnosticReport", List.of("performer", "resultsInterpreter"),
      "ServiceRequest", List.of("requester", "performer"),
      "Observation", List.of("performer"),
      "DocumentReference", List.of("author", "authenticator"));

  private final PolicyFacts facts;
  private final Duration encounterWindow;
  private final FhirTerser terser;

  TreatmentRule(PolicyFacts facts, Duration encounterWindow, FhirContext context) {
    this.facts = facts;
    this.encounterWindow = encounterWindow;
    this.terser = context.newTerser();
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    Target target = request.target();
    boolean clinician = caller.has(Role.CLINICIAN);
    if (!clinician && !caller.has(Role.SYSTEM)) {
      whyNot.add("treatment is for clinicians and provider systems");
      return null;
    }
    String actor = clinician ? caller.fhirUser() : caller.organization();
    boolean write = request.action().isWrite();
    if (write && !clinician) {
      whyNot.add("provider systems read for treatment; they do not write (" + request.action() + " " + target.type() + ")");
      return null;
    }
    if (write && (request.action() == Action.DELETE || !WRITABLE.contains(target.type()))) {
      whyNot.add("treatment writes are create/update of " + WRITABLE + " only, not "
          + request.action() + " " + target.type());
      return null;
    }
    List<String> relationships = new ArrayList<>();
    for (String patient : target.patients()) {
      String relationship = relationship(actor, clinician, patient, request, !write);
      if (relationship == null) {
        whyNot.add(actor + " has no care relationship with " + patient);
        return null;
      }
      relationships.add(relationship);
    }
    return Decision.permit(Basis.TREATMENT, String.join("; ", relationships));
  }

  private String relationship(String actor, boolean clinician, String patient, Request request, boolean read) {
    if (facts.isCareTeamMember(actor, patient, request.now())) {
      return actor + " is on an active CareTeam of " + patient;
    }
    if (clinician
        && facts.hasEncounterParticipation(actor, patient, request.now().minus(encounterWindow), request.now())) {
      return actor + " took part in an Encounter of " + patient + " within " + encounterWindow.toDays() + " days";
    }
    if (!clinician && facts.hasReferralTo(actor, patient, request.now())) {
      return "an active referral of " + patient + " is addressed to " + actor;
    }
    if (read && isNamedOnResource(actor, request.target())) {
      return actor + " is named on " + request.what() + " as its performer, requester or interpreter";
    }
    return null;
  }

  private boolean isNamedOnResource(String actor, Target target) {
    for (String path : NAMED_ON_RESOURCE.getOrDefault(target.type(), List.of())) {
      for (IBaseReference reference : terser.getValues(target.resource(), path, IBaseReference.class)) {
        IIdType id = reference.getReferenceElement();
        if (id != null && !id.hasBaseUrl() && actor.equals(id.toUnqualifiedVersionless().getValue())) {
          return true;
        }
      }
    }
    return false;
  }
}
