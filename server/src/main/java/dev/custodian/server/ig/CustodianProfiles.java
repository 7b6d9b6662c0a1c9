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
  /** The shape of the server's own audit records (not enforced on write: only the server writes them). */
  public static final String AUDIT_EVENT =
      CANONICAL_BASE + "/StructureDefinition/custodian-audit-event";
  public static final String CAPABILITY_STATEMENT =
      CANONICAL_BASE + "/CapabilityStatement/custodian-server";

  /** Resource type to the profile that all its instances must meet. */
  public static final Map<String, String> ENFORCED =
      Map.of("ImagingStudy", IMAGING_STUDY, "DiagnosticReport", IMAGING_DIAGNOSTIC_REPORT);

  private CustodianProfiles() {}
}
