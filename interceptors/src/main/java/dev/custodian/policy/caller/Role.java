package dev.custodian.policy.caller;

/**
 * What a caller is, as far as the access policy is concerned. The authentication layer assigns roles
 * from the user's account or the registered client; a caller may hold several.
 *
 * <p>Roles are not permissions: what a role may see also depends on the purpose of use, the granted
 * scopes and the facts (care relationships, coverage, release authorizations) — see
 * {@code AccessPolicy}.
 */
public enum Role {
  /** The individual the records are about; HIPAA right of access (45 CFR 164.524). */
  PATIENT(Kind.USER),
  /** A personal representative of a patient (45 CFR 164.502(g)), acting with the patient's rights. */
  REPRESENTATIVE(Kind.USER),
  /** A health care provider who may use records for treatment of patients they treat. */
  CLINICIAN(Kind.USER),
  /** Staff of a health plan, using records for payment (claims, eligibility). */
  HEALTH_PLAN(Kind.USER),
  /** Operations staff of the covered entity: quality improvement, billing, scheduling. */
  OPERATIONS(Kind.USER),
  /** Reviews the audit trail (oversight). */
  AUDITOR(Kind.USER),
  /** Privacy officer: oversight, the break-the-glass review queue. */
  PRIVACY_OFFICER(Kind.USER),
  /** Health information management: release of information, legal and public health requests. */
  HIM(Kind.USER),
  /** Anyone outside the covered entity (employer, attorney, school, family) — only by authorization. */
  THIRD_PARTY(Kind.USER),
  /** A SMART Backend Services client registered to an organization (another provider's system). */
  SYSTEM(Kind.CLIENT),
  /** A business associate's system client (45 CFR 164.504(e)): only what its agreement names. */
  BUSINESS_ASSOCIATE(Kind.CLIENT);

  /** Whether the role belongs to a signed-in person or to a client acting on its own. */
  public enum Kind {
    /** A person signed in through an app; the caller has a {@code fhirUser}. */
    USER,
    /** A system client with no user ({@code client_credentials}); the caller has an organization. */
    CLIENT
  }

  private final Kind kind;

  Role(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
