package dev.custodian.policy.caller;

import java.util.Optional;

/**
 * Why the caller accesses records, as a code of the HL7 v3 ActReason code system (the
 * PurposeOfUse value set). It travels with the {@link Caller} and is recorded in every AuditEvent
 * ({@code AuditEvent.purposeOfEvent}).
 */
public enum PurposeOfUse {
  /** Treatment (HIPAA TPO). */
  TREAT("treatment"),
  /** Payment (HIPAA TPO). */
  HPAYMT("healthcare payment"),
  /** Health care operations (HIPAA TPO). */
  HOPERAT("healthcare operations"),
  /** Emergency treatment — break-the-glass by a clinician without a care relationship. */
  ETREAT("Emergency Treatment"),
  /** Break the glass — an emergency override of the normal rules. */
  BTG("break the glass"),
  /** Public health activities (45 CFR 164.512(b)). */
  PUBHLTH("public health"),
  /** Required by law, judicial and administrative proceedings (45 CFR 164.512(a), (e)). */
  HLEGAL("legal"),
  /** At the patient's request: the patient's own access, or a disclosure the patient authorized. */
  PATRQT("patient requested");

  /** The code system of every purpose of use. */
  public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  private final String display;

  PurposeOfUse(String display) {
    this.display = display;
  }

  /** The v3 code, e.g. {@code TREAT}. */
  public String code() {
    return name();
  }

  /** The display of the code in the v3 ActReason code system. */
  public String display() {
    return display;
  }

  /** ETREAT or BTG: an emergency override that needs a written reason and is flagged for review. */
  public boolean isEmergency() {
    return this == ETREAT || this == BTG;
  }

  /**
   * Whether the caller must give a written justification (at least {@link Caller#MIN_REASON_LENGTH}
   * characters): the emergency purposes, public health and legal.
   */
  public boolean requiresJustification() {
    return isEmergency() || this == PUBHLTH || this == HLEGAL;
  }

  /** The purpose whose v3 code is {@code code} (case-sensitive), if any. */
  public static Optional<PurposeOfUse> fromCode(String code) {
    for (PurposeOfUse purpose : values()) {
      if (purpose.name().equals(code)) {
        return Optional.of(purpose);
      }
    }
    return Optional.empty();
  }
}
