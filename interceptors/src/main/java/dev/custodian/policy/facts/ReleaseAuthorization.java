package dev.custodian.policy.facts;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A patient's authorization to release named records to a named recipient (a HIPAA authorization,
 * 45 CFR 164.508) — the facts of a release-authorization {@code Consent}: {@code provision.actor} is
 * the recipient, {@code provision.data} the records, {@code provision.purpose} the purposes,
 * {@code provision.period} the validity.
 *
 * @param consentId the Consent, as a reference {@code Consent/id}
 * @param patient the patient who signed it, {@code Patient/id}
 * @param recipient who may receive the records: a Practitioner, Organization, RelatedPerson,
 *     PractitionerRole, Patient or Person reference
 * @param data the records covered, exactly: versionless references such as {@code ImagingStudy/x},
 *     {@code DiagnosticReport/y}; never empty
 * @param purposes the purposes of use the disclosure is for; never empty
 * @param start when it takes effect, null for "from signature"
 * @param end when it expires (exclusive); an authorization must have an expiry
 * @param status whether it is in force, never took effect, or was revoked
 */
public record ReleaseAuthorization(
    String consentId,
    String patient,
    String recipient,
    Set<String> data,
    Set<PurposeOfUse> purposes,
    Instant start,
    Instant end,
    AuthorizationStatus status) {

  public ReleaseAuthorization {
    References.require(consentId, Set.of("Consent"), "consentId");
    References.require(patient, Set.of("Patient"), "patient");
    References.require(recipient, "recipient");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(purposes, "purposes");
    Objects.requireNonNull(end, "end (an authorization must expire)");
    Objects.requireNonNull(status, "status");
    if (data.isEmpty()) {
      throw new IllegalArgumentException("an authorization must name the records it covers");
    }
    data.forEach(reference -> References.require(reference, "data"));
    data = Set.copyOf(data);
    if (purposes.isEmpty()) {
      throw new IllegalArgumentException("an authorization must name its purposes");
    }
    purposes = Collections.unmodifiableSet(EnumSet.copyOf(purposes));
    if (start != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("an authorization must start before it ends");
    }
  }

  /** Whether it is active and {@code at} lies within {@code [start, end)}. */
  public boolean isInForceAt(Instant at) {
    return status == AuthorizationStatus.ACTIVE
        && (start == null || !at.isBefore(start))
        && at.isBefore(end);
  }

  /** Whether it names {@code reference} ({@code ImagingStudy/x}) among its data. */
  public boolean covers(String reference) {
    return reference != null && data.contains(reference);
  }

  /** Why it does not apply at {@code at}, or null if it is in force. */
  public String whyNotInForceAt(Instant at) {
    switch (status) {
      case REVOKED:
        return consentId + " was revoked";
      case INACTIVE:
        return consentId + " is not active";
      default:
        break;
    }
    if (start != null && at.isBefore(start)) {
      return consentId + " takes effect only at " + start;
    }
    if (!at.isBefore(end)) {
      return consentId + " expired at " + end;
    }
    return null;
  }
}
