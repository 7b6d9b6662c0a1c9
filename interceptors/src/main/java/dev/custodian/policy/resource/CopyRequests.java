package dev.custodian.policy.resource;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Task;

/**
 * A patient's right-of-access request for copies of her records (45 CFR 164.524): a Task coded
 * {@value #CODE_SYSTEM}|{@value #COPY_REQUEST}, {@code for} the patient. It is the patient's (she
 * sees its status, due date, extension and the link that fulfils it), and the work of health
 * information management staff, who process it; nobody else sees it, and nobody writes it through
 * the REST API: the server's operations do.
 *
 * <p>What the patient is told about her request — that it was fulfilled, extended or rejected — is a
 * Communication of category {@value #CODE_SYSTEM}|{@value #NOTICE} about the request: hers and HIM
 * staff's alike, written by the server only.
 */
public final class CopyRequests {

  /** Custodian's code system of right-of-access requests. */
  public static final String CODE_SYSTEM = "https://custodian.dev/fhir/CodeSystem/access-request";

  /** The code of a request for copies. */
  public static final String COPY_REQUEST = "copy-request";

  /** The category of a notice to the patient about her request (a Communication). */
  public static final String NOTICE = "copy-request-notice";

  private CopyRequests() {}

  /** Whether {@code resource} is a request for copies: a Task with the request code among its codings. */
  public static boolean isCopyRequest(IBaseResource resource) {
    return resource instanceof Task task && task.hasCode() && has(task.getCode(), COPY_REQUEST);
  }

  /** Whether {@code resource} is a notice about a request for copies: a Communication with the notice category. */
  public static boolean isNotice(IBaseResource resource) {
    return resource instanceof Communication notice && notice.getCategory().stream().anyMatch(c -> has(c, NOTICE));
  }

  /** Whether the request rule decides about {@code resource}: a request for copies or a notice about one. */
  public static boolean isAboutCopies(IBaseResource resource) {
    return isCopyRequest(resource) || isNotice(resource);
  }

  private static boolean has(CodeableConcept concept, String code) {
    for (Coding coding : concept.getCoding()) {
      if (CODE_SYSTEM.equals(coding.getSystem()) && code.equals(coding.getCode())) {
        return true;
      }
    }
    return false;
  }
}
