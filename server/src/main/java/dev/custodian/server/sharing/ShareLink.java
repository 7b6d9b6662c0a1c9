package dev.custodian.server.sharing;

import dev.custodian.policy.facts.ShareGrant;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * A share link as stored (never its token, only the token's hash, which stays in the store).
 *
 * @param studies the ImagingStudies named ({@code ImagingStudy/x})
 * @param data everything the link shares: the studies and the reports on them the creator could share
 * @param creator who created it (fhirUser); the owner who lists and revokes it
 * @param recipient the named third party ({@code Practitioner/x}), with a release-authorization
 *     {@code consent}; or null
 * @param purpose the v3 ActReason purpose of use the records are shared for
 */
public record ShareLink(
    UUID id,
    String patient,
    List<String> studies,
    List<String> data,
    String creator,
    String creatorClient,
    Instant createdAt,
    Instant expiresAt,
    int maxUses,
    int uses,
    String recipientLabel,
    String recipient,
    String purpose,
    String pinHash,
    int pinFailures,
    String consent,
    Instant revokedAt,
    String revokedReason) {

  /** The link's state at {@code now}: active, revoked, expired or used-up. */
  public String state(Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    if (!now.isBefore(expiresAt)) {
      return "expired";
    }
    return uses >= maxUses ? "used-up" : "active";
  }

  boolean hasPin() {
    return pinHash != null;
  }

  /** What the policy grants the holder of a redeemed session of this link. */
  ShareGrant grant() {
    return new ShareGrant(id.toString(), patient, new LinkedHashSet<>(data), expiresAt, revokedAt != null, consent);
  }
}
