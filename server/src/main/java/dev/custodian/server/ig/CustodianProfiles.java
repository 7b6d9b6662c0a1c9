package dev.custodian.server.ig;

import java.util.Map;

/**
 * The profiles of Custodian's implementation guide that the server enforces: every create and update
 * of the resource type must conform to its profile. The StructureDefinitions themselves live in the
 * {@code ig/} module.
 */
public final class CustodianProfiles {

  public static final String CANONICAL_BASE = "https://custodian.dev/fhir";
  public static final String IMAGING_STUDY =
      CANONICAL_BASE + "/StructureDefinition/custodian-imaging-study";
  public static final String IMAGING_DIAGNOSTIC_REPORT =
      CANONICAL_BASE + "/StructureDefinition/custodian-imaging-diagnostic-report";
  /**
   * A release authorization (a Consent with category LOINC {@value #RELEASE_AUTHORIZATION_CATEGORY}):
   * recipient, records, purpose and expiry are mandatory.
   */
  public static final String RELEASE_AUTHORIZATION =
      CANONICAL_BASE + "/StructureDefinition/custodian-release-authorization";
  /** LOINC 64292-6, "Release of information consent": the category that makes a Consent an authorization. */
  public static final String RELEASE_AUTHORIZATION_CATEGORY = "64292-6";
  /** The shape of the server's own audit records (not enforced on write: only the server writes them). */
  public static final String AUDIT_EVENT =
      CANONICAL_BASE + "/StructureDefinition/custodian-audit-event";
  public static final String CAPABILITY_STATEMENT =
      CANONICAL_BASE + "/CapabilityStatement/custodian-server";

  /** Resource type to the profile that all its instances must meet. */
  public static final Map<String, String> ENFORCED =
      Map.of("ImagingStudy", IMAGING_STUDY, "DiagnosticReport", IMAGING_DIAGNOSTIC_REPORT);

  private CustodianProfiles() {}

  /**
   * The profile {@code resource} must meet on create and update: its type's, or — for a Consent that
   * is a release authorization — {@link #RELEASE_AUTHORIZATION}; null if none.
   */
  public static String requiredProfile(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    if (resource instanceof org.hl7.fhir.r4.model.Consent consent) {
      boolean authorization = consent.getCategory().stream()
          .flatMap(category -> category.getCoding().stream())
          .anyMatch(c -> "http://loinc.org".equals(c.getSystem()) && RELEASE_AUTHORIZATION_CATEGORY.equals(c.getCode()));
      return authorization ? RELEASE_AUTHORIZATION : null;
    }
    return ENFORCED.get(resource.fhirType());
  }
}
