package dev.custodian.policy.resource;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;

/**
 * A patient's right-of-access request for copies of her records (45 CFR 164.524): a Task coded
 * {@value #CODE_SYSTEM}|{@value #COPY_REQUEST}, {@code for} the patient. It is the patient's (she
 * sees its status, due date, extension and the link that fulfils it), and the work of health
 * information management staff, who process it; nobody else sees it, and nobody writes it through
 * the REST API: the server's operations do.
 */
public final class CopyRequests {

  /** Custodian's code system of right-of-access requests. */
  public static final String CODE_SYSTEM = "https://custodian.dev/fhir/CodeSystem/access-request";

  /** The code of a request for copies. */
  public static final String COPY_REQUEST = "copy-request";

  private CopyRequests() {}

  /** Whether {@code resource} is a request for copies: a Task with the request code among its codings. */
  public static boolean isCopyRequest(IBaseResource resource) {
    if (!(resource instanceof Task task) || !task.hasCode()) {
      return false;
    }
    for (Coding coding : task.getCode().getCoding()) {
      if (CODE_SYSTEM.equals(coding.getSystem()) && COPY_REQUEST.equals(coding.getCode())) {
        return true;
      }
    }
    return false;
  }
}
