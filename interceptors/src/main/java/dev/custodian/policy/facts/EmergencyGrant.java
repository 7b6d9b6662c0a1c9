package dev.custodian.policy.facts;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A break-the-glass grant: a clinician declared an emergency for one patient, with a written reason,
 * and may read that patient's records (flagged for review) during {@code [grantedAt, expiresAt)}.
 * The server records one each time a clinician breaks the glass, together with an item in the privacy
 * officer's review queue.
 *
 * @param id the grant's id, recorded in the audit trail and on the review item
 * @param practitioner the clinician's fhirUser ({@code Practitioner/dr.diaz})
 * @param patient the patient ({@code Patient/alice})
 * @param purpose ETREAT or BTG
 * @param reason the written reason, at least {@value Caller#MIN_REASON_LENGTH} characters after trimming
 * @param grantedAt when the glass was broken
 * @param expiresAt when the access ends (exclusive)
 */
public record EmergencyGrant(
    String id,
    String practitioner,
    String patient,
    PurposeOfUse purpose,
    String reason,
    Instant grantedAt,
    Instant expiresAt) {

  public EmergencyGrant {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a grant needs an id");
    }
    References.require(practitioner, Set.of("Practitioner", "PractitionerRole"), "practitioner");
    References.require(patient, Set.of("Patient"), "patient");
    Objects.requireNonNull(purpose, "purpose");
    if (!purpose.isEmergency()) {
      throw new IllegalArgumentException("a break-the-glass grant is for ETREAT or BTG, not " + purpose);
    }
    if (reason == null || reason.strip().length() < Caller.MIN_REASON_LENGTH) {
      throw new IllegalArgumentException(
          "a break-the-glass grant needs a written reason of at least " + Caller.MIN_REASON_LENGTH + " characters");
    }
    reason = reason.strip();
    Objects.requireNonNull(grantedAt, "grantedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(grantedAt)) {
      throw new IllegalArgumentException("a grant must end after it starts");
    }
  }

  /** Whether the grant is in force at {@code at}: from its start (inclusive) to its expiry (exclusive). */
  public boolean activeAt(Instant at) {
    return !at.isBefore(grantedAt) && at.isBefore(expiresAt);
  }
}
