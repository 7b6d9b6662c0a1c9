package dev.custodian.policy.facts;

import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a redeemed share link grants its holder: exactly the named records of one patient, until the
 * link expires or is revoked (by its owner, by too many wrong PINs, or through its release
 * authorization Consent). Use counting is not the policy's business: a link's holder only ever gets a
 * caller after a successful redemption.
 *
 * @param linkId the share link's id
 * @param patient the patient the records belong to, {@code Patient/id}
 * @param data the records, exactly: {@code ImagingStudy/x}, {@code DiagnosticReport/y}; never empty
 * @param expires when the link expires (exclusive)
 * @param revoked whether the link was revoked
 * @param consentRef the release-authorization Consent recorded with the link ({@code Consent/id}), or null
 */
public record ShareGrant(String linkId, String patient, Set<String> data, Instant expires, boolean revoked,
    String consentRef) {

  public ShareGrant {
    if (linkId == null || linkId.isBlank()) {
      throw new IllegalArgumentException("a share grant needs its link id");
    }
    References.require(patient, Set.of("Patient"), "patient");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(data, "data");
    if (data.isEmpty()) {
      throw new IllegalArgumentException("a share link names the records it shares");
    }
    data.forEach(reference -> References.require(reference, "data"));
    data = Set.copyOf(data);
    if (consentRef != null) {
      References.require(consentRef, Set.of("Consent"), "consentRef");
    }
  }

  /** Why it grants nothing at {@code at}, or null if it is in force. */
  public String whyNotInForceAt(Instant at) {
    if (revoked) {
      return "share link " + linkId + " was revoked";
    }
    if (!at.isBefore(expires)) {
      return "share link " + linkId + " expired at " + expires;
    }
    return null;
  }
}
