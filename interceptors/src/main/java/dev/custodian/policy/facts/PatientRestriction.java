package dev.custodian.policy.facts;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A patient's restriction of disclosure (45 CFR 164.522(a)) — the facts of an active deny
 * {@code Consent}: {@code provision.actor} are whom it restricts (a Practitioner, an Organization,
 * ...), {@code provision.data} the records it covers (none: every record of the patient),
 * {@code provision.purpose} the purposes (none: every purpose), {@code provision.period} when it
 * applies. For example the self-pay restriction: the health plan may not see a study the patient
 * paid for out of pocket (164.522(a)(1)(vi)).
 *
 * @param consentId the Consent, {@code Consent/id}
 * @param patient the patient who asked for it, {@code Patient/id}
 * @param actors whom it restricts; never empty
 * @param data the records it covers, versionless references; empty for all of the patient's
 * @param purposes the purposes it covers; empty for every purpose
 * @param start when it takes effect, null for "now"
 * @param end when it ends (exclusive), null for "until withdrawn"
 */
public record PatientRestriction(
    String consentId,
    String patient,
    Set<String> actors,
    Set<String> data,
    Set<PurposeOfUse> purposes,
    Instant start,
    Instant end) {

  public PatientRestriction {
    References.require(consentId, Set.of("Consent"), "consentId");
    References.require(patient, Set.of("Patient"), "patient");
    Objects.requireNonNull(actors, "actors");
    if (actors.isEmpty()) {
      throw new IllegalArgumentException("a restriction names whom it restricts");
    }
    actors.forEach(actor -> References.require(actor, "actors"));
    actors = Set.copyOf(actors);
    data = Set.copyOf(Objects.requireNonNull(data, "data"));
    data.forEach(reference -> References.require(reference, "data"));
    purposes = purposes.isEmpty()
        ? Collections.unmodifiableSet(EnumSet.noneOf(PurposeOfUse.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(purposes));
  }

  /**
   * Whether it forbids disclosing {@code reference} to a caller known as any of {@code who} (its
   * fhirUser, its organization) for {@code purpose} at {@code at}.
   */
  public boolean forbids(Collection<String> who, PurposeOfUse purpose, String reference, Instant at) {
    return (start == null || !at.isBefore(start))
        && (end == null || at.isBefore(end))
        && who.stream().anyMatch(actors::contains)
        && (purposes.isEmpty() || purposes.contains(purpose))
        && (data.isEmpty() || (reference != null && data.contains(reference)));
  }
}
