package dev.custodian.policy.resource;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;

/**
 * The privacy officer's review queue: one Task per break-the-glass, coded
 * {@value #CODE_SYSTEM}|{@value #BREAK_THE_GLASS_REVIEW}. Such a Task is {@code for} the patient
 * whose records were opened, but it is oversight data, not the patient's record: the policy treats
 * it as {@link ResourceCategory#OVERSIGHT} (auditors and privacy officers only), whoever it names.
 */
public final class ReviewQueue {

  /** Custodian's code system of review items. */
  public static final String CODE_SYSTEM = "https://custodian.dev/fhir/CodeSystem/review";

  /** The code of a break-the-glass review item. */
  public static final String BREAK_THE_GLASS_REVIEW = "break-the-glass-review";

  private ReviewQueue() {}

  /** Whether {@code resource} is a review item: a Task with the review code among its codings. */
  public static boolean isReviewItem(IBaseResource resource) {
    if (!(resource instanceof Task task) || !task.hasCode()) {
      return false;
    }
    for (Coding coding : task.getCode().getCoding()) {
      if (CODE_SYSTEM.equals(coding.getSystem()) && BREAK_THE_GLASS_REVIEW.equals(coding.getCode())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the resource a decision is about is a review item. */
  public static boolean isReviewItem(Target target) {
    return target.category() == ResourceCategory.OVERSIGHT && isReviewItem(target.resource());
  }
}
