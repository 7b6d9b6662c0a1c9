package dev.custodian.policy.facts;

import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link PolicyFacts} held in memory: for tests (of this module and of the server) and demos. Each
 * fact is added with an optional validity period ({@code null} start or end means open); periods are
 * closed at the start and open at the end. Thread-safe; facts can be added while it is in use.
 */
public final class InMemoryPolicyFacts implements PolicyFacts {

  private record Link(String from, String patient, Instant start, Instant end) {
    boolean activeAt(Instant at) {
      return (start == null || !at.isBefore(start)) && (end == null || at.isBefore(end));
    }

    boolean overlaps(Instant from, Instant to) {
      return (start == null || !start.isAfter(to)) && (end == null || !end.isBefore(from));
    }

    boolean is(String who, String aPatient) {
      return from.equals(who) && patient.equals(aPatient);
    }
  }

  private final List<Link> careTeamMembers = new CopyOnWriteArrayList<>();
  private final List<Link> encounterParticipants = new CopyOnWriteArrayList<>();
  private final List<Link> representatives = new CopyOnWriteArrayList<>();
  private final List<Link> payors = new CopyOnWriteArrayList<>();
  private final List<Link> referrals = new CopyOnWriteArrayList<>();
  private final List<ReleaseAuthorization> authorizations = new CopyOnWriteArrayList<>();
  private final List<EmergencyGrant> grants = new CopyOnWriteArrayList<>();
  private final List<Link> requestedCopies = new CopyOnWriteArrayList<>();
  private final java.util.Map<String, ShareGrant> shareGrants = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<PatientRestriction> restrictions = new CopyOnWriteArrayList<>();

  /** Adds a patient's restriction. */
  public InMemoryPolicyFacts restriction(PatientRestriction restriction) {
    restrictions.add(Objects.requireNonNull(restriction, "restriction"));
    return this;
  }

  /** {@code member} is on an active CareTeam of {@code patient} during {@code [start, end)}. */
  public InMemoryPolicyFacts careTeamMember(String member, String patient, Instant start, Instant end) {
    careTeamMembers.add(link(member, patient, start, end));
    return this;
  }

  /** {@code practitioner} took part in an Encounter of {@code patient} during {@code [start, end]}. */
  public InMemoryPolicyFacts encounterParticipant(
      String practitioner, String patient, Instant start, Instant end) {
    encounterParticipants.add(link(practitioner, patient, start, end));
    return this;
  }

  /** {@code relatedPerson} is a personal representative of {@code patient} during {@code [start, end)}. */
  public InMemoryPolicyFacts representative(String relatedPerson, String patient, Instant start, Instant end) {
    representatives.add(link(relatedPerson, patient, start, end));
    return this;
  }

  /** {@code organization} pays for an active Coverage of {@code patient} during {@code [start, end)}. */
  public InMemoryPolicyFacts payor(String organization, String patient, Instant start, Instant end) {
    payors.add(link(organization, patient, start, end));
    return this;
  }

  /** An active referral of {@code patient} is addressed to {@code organization} during {@code [start, end)}. */
  public InMemoryPolicyFacts referral(String organization, String patient, Instant start, Instant end) {
    referrals.add(link(organization, patient, start, end));
    return this;
  }

  /** Adds a release authorization. */
  public InMemoryPolicyFacts authorization(ReleaseAuthorization authorization) {
    authorizations.add(Objects.requireNonNull(authorization, "authorization"));
    return this;
  }

  /** Replaces the authorization with the same consent id (e.g. to revoke it). */
  public InMemoryPolicyFacts replaceAuthorization(ReleaseAuthorization authorization) {
    authorizations.removeIf(a -> a.consentId().equals(authorization.consentId()));
    return authorization(authorization);
  }

  /** Adds a break-the-glass grant. */
  public InMemoryPolicyFacts emergencyGrant(EmergencyGrant grant) {
    grants.add(Objects.requireNonNull(grant, "grant"));
    return this;
  }

  /** An open, identity-verified request for copies of {@code patient} names {@code record}. */
  public InMemoryPolicyFacts requestedCopy(String record, String patient) {
    requestedCopies.add(link(record, patient, null, null));
    return this;
  }

  /** Adds (or replaces, e.g. to revoke) a share link's grant. */
  public InMemoryPolicyFacts shareGrant(ShareGrant grant) {
    shareGrants.put(grant.linkId(), grant);
    return this;
  }

  @Override
  public boolean isRequestedCopy(String record, String patient, Instant at) {
    return requestedCopies.stream().anyMatch(l -> l.is(record, patient) && l.activeAt(at));
  }

  @Override
  public Optional<ShareGrant> shareGrant(String linkId) {
    return Optional.ofNullable(shareGrants.get(linkId));
  }

  @Override
  public boolean isCareTeamMember(String member, String patient, Instant at) {
    return careTeamMembers.stream().anyMatch(l -> l.is(member, patient) && l.activeAt(at));
  }

  @Override
  public boolean hasEncounterParticipation(String practitioner, String patient, Instant from, Instant to) {
    return encounterParticipants.stream().anyMatch(l -> l.is(practitioner, patient) && l.overlaps(from, to));
  }

  @Override
  public boolean isPersonalRepresentative(String relatedPerson, String patient, Instant at) {
    return representatives.stream().anyMatch(l -> l.is(relatedPerson, patient) && l.activeAt(at));
  }

  @Override
  public boolean isPayor(String organization, String patient, Instant at) {
    return payors.stream().anyMatch(l -> l.is(organization, patient) && l.activeAt(at));
  }

  @Override
  public boolean hasReferralTo(String organization, String patient, Instant at) {
    return referrals.stream().anyMatch(l -> l.is(organization, patient) && l.activeAt(at));
  }

  @Override
  public List<ReleaseAuthorization> releaseAuthorizations(String recipient, String patient) {
    List<ReleaseAuthorization> found = new ArrayList<>();
    for (ReleaseAuthorization authorization : authorizations) {
      if (authorization.recipient().equals(recipient) && authorization.patient().equals(patient)) {
        found.add(authorization);
      }
    }
    return found;
  }

  @Override
  public List<PatientRestriction> restrictions(String patient) {
    return restrictions.stream().filter(r -> r.patient().equals(patient)).toList();
  }

  @Override
  public Optional<EmergencyGrant> emergencyGrant(String practitioner, String patient, Instant at) {
    return grants.stream()
        .filter(g -> g.practitioner().equals(practitioner) && g.patient().equals(patient) && g.activeAt(at))
        .max(Comparator.comparing(EmergencyGrant::expiresAt));
  }

  private static Link link(String from, String patient, Instant start, Instant end) {
    References.require(from, "from");
    References.require(patient, Set.of("Patient"), "patient");
    return new Link(from, patient, start, end);
  }
}
