package dev.custodian.server.policy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.facts.PatientRestriction;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.facts.ReleaseAuthorization;
import dev.custodian.policy.facts.ShareGrant;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import dev.custodian.server.requests.CopyRequestStore;
import dev.custodian.server.requests.CopyRequestTask;
import dev.custodian.server.sharing.ShareGrants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the policy's questions from the FHIR records themselves (CareTeam, Encounter,
 * RelatedPerson, Coverage, ServiceRequest, Consent), through HAPI's DAOs as the system — never
 * through the caller's own access, which is what is being decided — and break-the-glass grants from
 * their own table, share links from theirs. The searches are reused across requests while none of
 * these records has changed ({@link FactSearches}); a search of a type must be listed in
 * {@link FactRecordGeneration#TYPES}.
 */
public class DatabasePolicyFacts implements PolicyFacts {

  private static final Logger log = LoggerFactory.getLogger(DatabasePolicyFacts.class);

  /** v3 RoleCode relationships that make a RelatedPerson a personal representative. */
  static final Set<String> REPRESENTATIVE_ROLES =
      Set.of("GUARD", "POWATT", "DPOWATT", "HPOWATT", "SPOWATT", "GUADLTM", "EXCEST");

  private final DaoRegistry daos;
  private final BreakGlassGrants grants;
  private final ShareGrants shareGrants;
  private final FactSearches searches;

  public DatabasePolicyFacts(DaoRegistry daos, BreakGlassGrants grants, ShareGrants shareGrants,
      FactRecordGeneration generation) {
    this.daos = daos;
    this.grants = grants;
    this.shareGrants = shareGrants;
    this.searches = new FactSearches(generation);
  }

  @Override
  public boolean isCareTeamMember(String member, String patient, Instant at) {
    // participant.member is searchable; participant.onBehalfOf (an organization a member acts
    // for) is not, so the patient's active teams are read and both are matched here
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(CareTeam.SP_SUBJECT, new ReferenceParam(patient))
        .add(CareTeam.SP_STATUS, new TokenParam("active"));
    return search(CareTeam.class, query).stream()
        .map(CareTeam.class::cast)
        .filter(team -> within(team.getPeriod(), at))
        .anyMatch(team -> team.getParticipant().stream()
            .filter(p -> within(p.getPeriod(), at))
            .anyMatch(p -> member.equals(versionless(p.getMember())) || member.equals(versionless(p.getOnBehalfOf()))));
  }

  private static String versionless(org.hl7.fhir.r4.model.Reference reference) {
    if (reference == null || !reference.hasReference()) {
      return null;
    }
    org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(reference.getReference());
    return id.hasBaseUrl() ? null : id.toUnqualifiedVersionless().getValue();
  }

  @Override
  public boolean hasEncounterParticipation(String practitioner, String patient, Instant from, Instant to) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(Encounter.SP_PATIENT, new ReferenceParam(patient))
        .add(Encounter.SP_PARTICIPANT, new ReferenceParam(practitioner));
    return search(Encounter.class, query).stream()
        .map(Encounter.class::cast)
        .filter(e -> e.getStatus() != Encounter.EncounterStatus.ENTEREDINERROR
            && e.getStatus() != Encounter.EncounterStatus.CANCELLED)
        .anyMatch(e -> overlaps(e.getPeriod(), from, to));
  }

  @Override
  public boolean isPersonalRepresentative(String relatedPerson, String patient, Instant at) {
    if (!relatedPerson.startsWith("RelatedPerson/")) {
      return false;
    }
    String id = relatedPerson.substring("RelatedPerson/".length());
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add("_id", new TokenParam(id))
        .add(RelatedPerson.SP_PATIENT, new ReferenceParam(patient));
    return search(RelatedPerson.class, query).stream()
        .map(RelatedPerson.class::cast)
        .filter(p -> !p.hasActive() || p.getActive())
        .filter(p -> within(p.getPeriod(), at))
        .anyMatch(p -> p.getRelationship().stream()
            .flatMap(r -> r.getCoding().stream())
            .anyMatch(c -> REPRESENTATIVE_ROLES.contains(c.getCode())));
  }

  @Override
  public boolean isPayor(String organization, String patient, Instant at) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(Coverage.SP_BENEFICIARY, new ReferenceParam(patient))
        .add(Coverage.SP_PAYOR, new ReferenceParam(organization))
        .add(Coverage.SP_STATUS, new TokenParam("active"));
    return search(Coverage.class, query).stream()
        .map(Coverage.class::cast)
        .anyMatch(c -> within(c.getPeriod(), at));
  }

  @Override
  public boolean hasReferralTo(String organization, String patient, Instant at) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(ServiceRequest.SP_PATIENT, new ReferenceParam(patient))
        .add(ServiceRequest.SP_PERFORMER, new ReferenceParam(organization))
        .add(ServiceRequest.SP_STATUS, new TokenParam("active"));
    return !search(ServiceRequest.class, query).isEmpty();
  }

  @Override
  public List<ReleaseAuthorization> releaseAuthorizations(String recipient, String patient) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(Consent.SP_PATIENT, new ReferenceParam(patient))
        .add(Consent.SP_ACTOR, new ReferenceParam(recipient));
    List<ReleaseAuthorization> found = new ArrayList<>();
    for (IBaseResource resource : search(Consent.class, query)) {
      Consent consent = (Consent) resource;
      ReleaseAuthorization authorization = ReleaseAuthorizations.fromConsent(consent, recipient);
      if (authorization != null) {
        found.add(authorization);
      } else {
        log.debug("Consent/{} names {} but is not a usable release authorization",
            consent.getIdElement().getIdPart(), recipient);
      }
    }
    return found;
  }

  @Override
  public List<PatientRestriction> restrictions(String patient) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(Consent.SP_PATIENT, new ReferenceParam(patient))
        .add(Consent.SP_STATUS, new TokenParam("active"));
    List<PatientRestriction> found = new ArrayList<>();
    for (IBaseResource resource : search(Consent.class, query)) {
      PatientRestriction restriction = PatientRestrictions.fromConsent((Consent) resource);
      if (restriction != null) {
        found.add(restriction);
      }
    }
    return found;
  }

  @Override
  public Optional<EmergencyGrant> emergencyGrant(String practitioner, String patient, Instant at) {
    return grants.inForce(practitioner, patient, at);
  }

  @Override
  public boolean isRequestedCopy(String record, String patient, Instant at) {
    // the request's own state decides (accepted or in progress, identity verified, naming the record)
    return new CopyRequestStore(daos).open(patient).stream().anyMatch(task -> CopyRequestTask.releases(task, record));
  }

  @Override
  public Optional<ShareGrant> shareGrant(String linkId) {
    return shareGrants.byLinkId(linkId);
  }

  /** The records {@code query} finds (copies, to read), reused while the fact records are unchanged. */
  private List<IBaseResource> search(Class<? extends IBaseResource> type, SearchParameterMap query) {
    return searches.find(daos.getFhirContext().getResourceType(type), query.toNormalizedQueryString(daos.getFhirContext()),
        () -> {
          IBundleProvider results = daos.getResourceDao(type).search(query, new SystemRequestDetails());
          return results.getAllResources();
        });
  }

  private static boolean within(Period period, Instant at) {
    if (period == null || period.isEmpty()) {
      return true;
    }
    Date when = Date.from(at);
    return (!period.hasStart() || !period.getStart().after(when))
        && (!period.hasEnd() || period.getEnd().after(when));
  }

  private static boolean overlaps(Period period, Instant from, Instant to) {
    if (period == null || !period.hasStart()) {
      return false; // an encounter with no time cannot show a recent care relationship
    }
    Instant start = period.getStart().toInstant();
    Instant end = period.hasEnd() ? period.getEnd().toInstant() : Instant.MAX;
    return !start.isAfter(to) && !end.isBefore(from);
  }
}
