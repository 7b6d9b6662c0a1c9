package dev.custodian.policy.caller;

import dev.custodian.policy.resource.References;
import dev.custodian.policy.scope.ScopeSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, for one request: produced once by the authentication layer (tests build it
 * directly), immutable, and handed to {@code AccessPolicy} with every question. Its invariants are
 * checked here so that no rule has to re-check them.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code clientId}, {@code tokenId}, {@code scopes}, {@code roles} and {@code purpose} are
 *       required.</li>
 *   <li>{@code fhirUser} is a reference to a Patient, Practitioner, PractitionerRole, RelatedPerson
 *       or Person, or null for a system client. A caller with a {@linkplain Role.Kind#USER user}
 *       role must have one; a caller with a {@linkplain Role.Kind#CLIENT client} role
 *       ({@link Role#SYSTEM}, {@link Role#BUSINESS_ASSOCIATE}) must not, must hold no user role, and
 *       must belong to an {@code organization}.</li>
 *   <li>{@link Role#PATIENT} needs a {@code Patient/} fhirUser, {@link Role#REPRESENTATIVE} a
 *       {@code RelatedPerson/} one, {@link Role#CLINICIAN} a {@code Practitioner/} or
 *       {@code PractitionerRole/} one; {@link Role#HEALTH_PLAN} needs an organization (its payor).</li>
 *   <li>A patient or representative acts with purpose {@link PurposeOfUse#PATRQT} (fixed by the
 *       role); a patient's launch patient, if any, is the patient.</li>
 *   <li>A purpose that {@linkplain PurposeOfUse#requiresJustification() requires a justification}
 *       (ETREAT, BTG, PUBHLTH, HLEGAL) needs a {@code breakGlassReason} of at least
 *       {@value #MIN_REASON_LENGTH} non-blank characters; other purposes must not carry one.</li>
 *   <li>{@code organization} is an {@code Organization/} reference; {@code launchPatient} a bare
 *       Patient id (as in the SMART launch context).</li>
 * </ul>
 *
 * @param fhirUser the signed-in user's FHIR resource ({@code Patient/alice}), null for a system client
 * @param clientId the OAuth client id of the app or backend client
 * @param roles what the caller is; may be empty (then only release authorizations apply)
 * @param organization the organization a staff member or backend client belongs to, may be null
 * @param scopes the granted SMART scopes
 * @param launchPatient the patient id of the SMART launch context, may be null
 * @param purpose why the caller accesses records
 * @param breakGlassReason the written reason for ETREAT/BTG, or the justification for
 *     PUBHLTH/HLEGAL; null otherwise
 * @param tokenId the access token's {@code jti} (or a share link's id), recorded in the audit trail
 */
public record Caller(
    String fhirUser,
    String clientId,
    Set<Role> roles,
    String organization,
    ScopeSet scopes,
    String launchPatient,
    PurposeOfUse purpose,
    String breakGlassReason,
    String tokenId) {

  /** The shortest written reason or justification accepted, after trimming. */
  public static final int MIN_REASON_LENGTH = 10;

  private static final Set<String> USER_TYPES =
      Set.of("Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Person");

  public Caller {
    requireText(clientId, "clientId");
    requireText(tokenId, "tokenId");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(roles, "roles");
    roles = roles.isEmpty()
        ? Collections.unmodifiableSet(EnumSet.noneOf(Role.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    if (fhirUser != null) {
      References.require(fhirUser, USER_TYPES, "fhirUser");
    }
    if (organization != null) {
      References.require(organization, Set.of("Organization"), "organization");
    }
    if (launchPatient != null && !References.isId(launchPatient)) {
      throw new IllegalArgumentException("launchPatient must be a Patient id, not: " + launchPatient);
    }
    checkRoles(fhirUser, roles, organization, launchPatient, purpose);
    breakGlassReason = checkReason(purpose, breakGlassReason);
  }

  private static void checkRoles(
      String fhirUser, Set<Role> roles, String organization, String launchPatient, PurposeOfUse purpose) {
    boolean clientRole = roles.stream().anyMatch(r -> r.kind() == Role.Kind.CLIENT);
    boolean userRole = roles.stream().anyMatch(r -> r.kind() == Role.Kind.USER);
    if (clientRole) {
      if (userRole) {
        throw new IllegalArgumentException("a system client cannot also hold a user role: " + roles);
      }
      if (fhirUser != null) {
        throw new IllegalArgumentException("a system client acts with no fhirUser, not " + fhirUser);
      }
      if (organization == null) {
        throw new IllegalArgumentException("a system client must belong to an organization");
      }
    }
    if (userRole && fhirUser == null) {
      throw new IllegalArgumentException("a caller with roles " + roles + " needs a fhirUser");
    }
    if (roles.contains(Role.PATIENT)) {
      requireUserType(fhirUser, Set.of("Patient"), Role.PATIENT);
      if (launchPatient != null && !fhirUser.equals("Patient/" + launchPatient)) {
        throw new IllegalArgumentException(
            "a patient's launch patient must be themselves, not Patient/" + launchPatient);
      }
    }
    if (roles.contains(Role.REPRESENTATIVE)) {
      requireUserType(fhirUser, Set.of("RelatedPerson"), Role.REPRESENTATIVE);
    }
    if (roles.contains(Role.CLINICIAN)) {
      requireUserType(fhirUser, Set.of("Practitioner", "PractitionerRole"), Role.CLINICIAN);
    }
    if (roles.contains(Role.HEALTH_PLAN) && organization == null) {
      throw new IllegalArgumentException("health plan staff must belong to the payor organization");
    }
    if ((roles.contains(Role.PATIENT) || roles.contains(Role.REPRESENTATIVE))
        && purpose != PurposeOfUse.PATRQT) {
      throw new IllegalArgumentException(
          "patients and representatives act with purpose PATRQT, not " + purpose);
    }
  }

  private static void requireUserType(String fhirUser, Set<String> types, Role role) {
    if (fhirUser == null || !types.contains(References.typeOf(fhirUser))) {
      throw new IllegalArgumentException(role + " needs a fhirUser of type " + types + ", not " + fhirUser);
    }
  }

  private static String checkReason(PurposeOfUse purpose, String reason) {
    if (purpose.requiresJustification()) {
      if (reason == null || reason.strip().length() < MIN_REASON_LENGTH) {
        throw new IllegalArgumentException(
            "purpose " + purpose + " needs a written reason of at least " + MIN_REASON_LENGTH + " characters");
      }
      return reason.strip();
    }
    if (reason != null) {
      throw new IllegalArgumentException("a reason is only given with ETREAT, BTG, PUBHLTH or HLEGAL, not " + purpose);
    }
    return null;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  /** Whether the caller holds {@code role}. */
  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** Whether the caller is a system client (no user). */
  public boolean isSystemClient() {
    return fhirUser == null;
  }

  /** The type of the fhirUser ({@code Practitioner}), or null for a system client. */
  public String fhirUserType() {
    return fhirUser == null ? null : References.typeOf(fhirUser);
  }

  /** The launch patient as a reference {@code Patient/id}, or null. */
  public String launchPatientReference() {
    return launchPatient == null ? null : "Patient/" + launchPatient;
  }

  /** A builder, convenient for the authentication layer and tests. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Caller}; {@link #build()} checks the invariants. */
  public static final class Builder {
    private String fhirUser;
    private String clientId;
    private final EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    private String organization;
    private ScopeSet scopes = ScopeSet.empty();
    private String launchPatient;
    private PurposeOfUse purpose;
    private String breakGlassReason;
    private String tokenId;

    private Builder() {}

    public Builder fhirUser(String value) {
      this.fhirUser = value;
      return this;
    }

    public Builder clientId(String value) {
      this.clientId = value;
      return this;
    }

    public Builder roles(Role... values) {
      roles.addAll(Set.of(values));
      return this;
    }

    public Builder organization(String value) {
      this.organization = value;
      return this;
    }

    public Builder scopes(ScopeSet value) {
      this.scopes = value;
      return this;
    }

    /** Parses {@code scopeString} with the standard parser. */
    public Builder scopes(String scopeString) {
      this.scopes = ScopeSet.parse(scopeString);
      return this;
    }

    public Builder launchPatient(String value) {
      this.launchPatient = value;
      return this;
    }

    public Builder purpose(PurposeOfUse value) {
      this.purpose = value;
      return this;
    }

    public Builder breakGlassReason(String value) {
      this.breakGlassReason = value;
      return this;
    }

    public Builder tokenId(String value) {
      this.tokenId = value;
      return this;
    }

    public Caller build() {
      return new Caller(
          fhirUser, clientId, roles, organization, scopes, launchPatient, purpose, breakGlassReason, tokenId);
    }
  }
}
