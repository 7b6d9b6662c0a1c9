package dev.custodian.policy.decision;

/**
 * The HIPAA basis of a permit, recorded in the audit trail.
 *
 * <ul>
 *   <li>{@link #RIGHT_OF_ACCESS} — the patient or personal representative (45 CFR 164.524);</li>
 *   <li>{@link #TREATMENT}, {@link #PAYMENT}, {@link #OPERATIONS} — TPO uses and disclosures
 *       (164.506); payment and operations are limited to the minimum necessary (164.502(b));</li>
 *   <li>{@link #AUTHORIZATION} — a valid release authorization signed by the patient (164.508);</li>
 *   <li>{@link #EMERGENCY} — break-the-glass emergency treatment, flagged for review;</li>
 *   <li>{@link #LAW} — required by law or public health (164.512(a), (b), (e));</li>
 *   <li>{@link #OVERSIGHT} — audit and privacy oversight of the system itself (164.308, 164.312(b));</li>
 *   <li>{@link #NONE} — on a deny; on a permit, the resource is not protected health information
 *       (directory and conformance resources) and needs no basis.</li>
 * </ul>
 */
public enum Basis {
  RIGHT_OF_ACCESS,
  TREATMENT,
  PAYMENT,
  OPERATIONS,
  AUTHORIZATION,
  EMERGENCY,
  LAW,
  OVERSIGHT,
  NONE
}
