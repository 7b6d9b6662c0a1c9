package dev.custodian.audit;

import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;

/**
 * What a write did to a Consent, recorded as a second {@code subtype} of its AuditEvent (system
 * {@value #SYSTEM}) so that auditors and the patient's access log can tell a granted, changed or
 * revoked consent apart from any other create or update.
 */
public enum ConsentChange {
  RECORDED("consent-recorded", "Consent recorded"),
  CHANGED("consent-changed", "Consent changed"),
  REVOKED("consent-revoked", "Consent revoked");

  public static final String SYSTEM = "https://custodian.dev/fhir/CodeSystem/audit-event-type";

  /** The statuses that end a consent: it no longer permits or denies anything. */
  private static final Set<Consent.ConsentState> ENDED = Set.of(
      Consent.ConsentState.INACTIVE, Consent.ConsentState.REJECTED, Consent.ConsentState.ENTEREDINERROR);

  private final String code;
  private final String display;

  ConsentChange(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  /**
   * The change a create or update of {@code written} makes (the stored resource, or the one sent when
   * the write was refused), or null when it is not a Consent or not a write.
   */
  public static ConsentChange of(RestInteraction interaction, IBaseResource written) {
    if (!(written instanceof Consent consent)) {
      return null;
    }
    return switch (interaction) {
      case CREATE -> RECORDED;
      case UPDATE, PATCH -> consent.hasStatus() && ENDED.contains(consent.getStatus()) ? REVOKED : CHANGED;
      case DELETE -> REVOKED;
      default -> null;
    };
  }
}
