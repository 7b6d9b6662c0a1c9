package dev.custodian.policy.decision;

import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.minimum.Projection;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The answer of the access policy to one question, and what the audit trail records of it.
 *
 * <p>Invariants: a {@link Effect#DENY} has basis {@link Basis#NONE}, no consent, no projection and is
 * not flagged; a {@link Effect#PERMIT_PROJECTED} has a projection and a {@link Effect#PERMIT} none;
 * the reason is never blank; emergency grants go with a flagged {@link Basis#EMERGENCY} permit only.
 *
 * @param effect permit, deny, or permit a projection
 * @param basis the HIPAA basis of a permit
 * @param consentRef the Consent that decided it ({@code Consent/id}), if any
 * @param projection the projection to apply when {@link Effect#PERMIT_PROJECTED}, else null
 * @param reason why, for the audit trail — never shown to the client
 * @param flaggedForReview whether the access goes to the privacy officer's review queue
 *     (break-the-glass, disclosures required by law)
 * @param emergencyGrants the break-the-glass grants an {@link Basis#EMERGENCY} permit rests on (one
 *     per patient of the resource), for the audit trail's purpose of use and reason; else empty
 */
public record Decision(
    Effect effect,
    Basis basis,
    String consentRef,
    Projection projection,
    String reason,
    boolean flaggedForReview,
    List<EmergencyGrant> emergencyGrants) {

  public Decision {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(basis, "basis");
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a decision needs a reason");
    }
    if (effect == Effect.DENY && (basis != Basis.NONE || consentRef != null || projection != null || flaggedForReview)) {
      throw new IllegalArgumentException("a denial carries no basis, consent, projection or flag");
    }
    if ((effect == Effect.PERMIT_PROJECTED) != (projection != null)) {
      throw new IllegalArgumentException("a projection goes with PERMIT_PROJECTED and only with it");
    }
    emergencyGrants = emergencyGrants == null ? List.of() : List.copyOf(emergencyGrants);
    if (!emergencyGrants.isEmpty() && (basis != Basis.EMERGENCY || !flaggedForReview)) {
      throw new IllegalArgumentException("emergency grants go with a flagged EMERGENCY permit only");
    }
  }

  /** A decision that rests on no break-the-glass grant. */
  public Decision(
      Effect effect, Basis basis, String consentRef, Projection projection, String reason, boolean flaggedForReview) {
    this(effect, basis, consentRef, projection, reason, flaggedForReview, List.of());
  }

  /** Deny, for {@code reason}. */
  public static Decision deny(String reason) {
    return new Decision(Effect.DENY, Basis.NONE, null, null, reason, false);
  }

  /** Permit the whole resource on {@code basis}. */
  public static Decision permit(Basis basis, String reason) {
    return new Decision(Effect.PERMIT, basis, null, null, reason, false);
  }

  /** Permit only {@code projection} of the resource on {@code basis}. */
  public static Decision permitProjected(Basis basis, Projection projection, String reason) {
    return new Decision(Effect.PERMIT_PROJECTED, basis, null, Objects.requireNonNull(projection), reason, false);
  }

  /**
   * Permit the whole resource in an emergency, on the break-the-glass {@code grants} (one per patient
   * of the resource), flagged for the privacy officer's review.
   */
  public static Decision emergency(List<EmergencyGrant> grants, String reason) {
    if (grants == null || grants.isEmpty()) {
      throw new IllegalArgumentException("emergency access rests on at least one break-the-glass grant");
    }
    return new Decision(Effect.PERMIT, Basis.EMERGENCY, null, null, reason, true, grants);
  }

  /** This decision, decided by {@code consent}. */
  public Decision withConsent(String consent) {
    return new Decision(effect, basis, consent, projection, reason, flaggedForReview, emergencyGrants);
  }

  /** This permit, flagged for the privacy officer's review. */
  public Decision flagged() {
    return new Decision(effect, basis, consentRef, projection, reason, true, emergencyGrants);
  }

  /** The grant of {@code patient} this emergency permit rests on, or null. */
  public EmergencyGrant emergencyGrantOf(String patient) {
    return emergencyGrants.stream().filter(g -> g.patient().equals(patient)).findFirst().orElse(null);
  }

  /** Whether the caller gets the resource, whole or projected. */
  public boolean isPermitted() {
    return effect != Effect.DENY;
  }

  /**
   * What the caller may receive: the resource itself on {@link Effect#PERMIT}, a projected copy on
   * {@link Effect#PERMIT_PROJECTED}.
   *
   * @throws IllegalStateException on {@link Effect#DENY}
   */
  public IBaseResource apply(IBaseResource resource) {
    switch (effect) {
      case PERMIT:
        return resource;
      case PERMIT_PROJECTED:
        return projection.apply(resource);
      default:
        throw new IllegalStateException("a denied resource must not be released");
    }
  }
}
