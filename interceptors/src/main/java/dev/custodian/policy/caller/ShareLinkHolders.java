package dev.custodian.policy.caller;

import dev.custodian.policy.scope.ScopeParser;
import java.util.Set;

/**
 * The caller of a redeemed share link: nobody the server knows (no fhirUser, no roles, no
 * organization), reading ImagingStudies and DiagnosticReports for the purpose the patient asked for
 * (PATRQT), identified by the reserved client id {@value #CLIENT_ID} and the link's id as its token id.
 * The policy grants such a caller exactly what the link names ({@code ShareLinkRule}) and nothing
 * under any other rule.
 */
public final class ShareLinkHolders {

  /** The client id of every share-link caller; reserved (no OAuth client may have it). */
  public static final String CLIENT_ID = "custodian-share-link";

  /** A caller without a user is judged on system/ scopes (ScopeGate); these grant reads of the two types only. */
  private static final String SCOPES = "system/ImagingStudy.rs system/DiagnosticReport.rs";

  private ShareLinkHolders() {}

  /** The caller who holds a redeemed session of link {@code linkId}. */
  public static Caller holder(String linkId) {
    return new Caller(null, CLIENT_ID, Set.of(), null, ScopeParser.standard().parse(SCOPES), null,
        PurposeOfUse.PATRQT, null, linkId);
  }

  /** Whether {@code caller} is a share link's holder. */
  public static boolean isHolder(Caller caller) {
    return CLIENT_ID.equals(caller.clientId()) && caller.fhirUser() == null && caller.roles().isEmpty()
        && caller.organization() == null;
  }
}
