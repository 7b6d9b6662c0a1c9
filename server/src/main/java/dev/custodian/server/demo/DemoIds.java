package dev.custodian.server.demo;

/**
 * The stable identifiers of the demo records, for tests, scripts and the README. Every demo Patient,
 * Practitioner and Organization carries {@code identifier = DEMO_SYSTEM|<name>} and has the resource
 * id {@code <name>}.
 */
public final class DemoIds {

  /** Identifier system of every demo Patient, Practitioner and Organization. */
  public static final String DEMO_SYSTEM = "https://custodian.dev/fhir/sid/demo";
  /** Medical record numbers of the imaging centre. */
  public static final String MRN_SYSTEM = "https://custodian.dev/fhir/sid/mrn";

  public static final String ALICE = "alice";
  public static final String BRUNO = "bruno";
  public static final String DR_CHEN = "dr.chen";
  public static final String DR_DIAZ = "dr.diaz";
  /** A health plan claims reviewer (Practitioner, role at the health plan). */
  public static final String PAYER_EVANS = "payer.evans";
  /** Quality-improvement staff at the imaging centre (Practitioner). */
  public static final String OPS_FOX = "ops.fox";
  /** A privacy auditor at the imaging centre (Practitioner). */
  public static final String AUDIT_GRAY = "audit.gray";
  /** Health information management at the imaging centre: works patients' requests for copies. */
  public static final String HIM_HILL = "him.hill";
  public static final String IMAGING_CENTRE = "imaging-centre";
  public static final String HEALTH_PLAN = "health-plan";
  /**
   * Harbor Partner Hospital, another provider: its system reads through SMART Backend Services
   * (client {@code partner-hospital}); alice is referred to it, bruno is not.
   */
  public static final String PARTNER_HOSPITAL = "partner-hospital";
  /** The referral of alice to the partner hospital (ServiceRequest, performer the hospital). */
  public static final String ALICE_PARTNER_REFERRAL = "alice-partner-referral";
  /**
   * Ana Costa, bruno's health care agent (RelatedPerson, v3 RoleCode HPOWATT): his personal
   * representative, with the sign-in account {@code rep.costa}.
   */
  public static final String REP_COSTA = "rep.costa";
  /**
   * Clearwater Billing Services, a business associate of the imaging centre: its backend system
   * (client {@code billing-associate}) sees the operations element set only.
   */
  public static final String BILLING_ASSOCIATE = "billing-associate";
  public static final String WADO_ENDPOINT = "imaging-centre-wado";

  private DemoIds() {}
}
