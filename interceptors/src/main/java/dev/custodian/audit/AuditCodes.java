package dev.custodian.audit;

/**
 * The code systems, codes and extension URLs of Custodian's AuditEvents, in one place. The BALP ones
 * follow IHE Basic Audit Log Patterns (https://profiles.ihe.net/ITI/BALP); the {@code custodian.dev}
 * ones are Custodian's own and are described in the module README.
 */
public final class AuditCodes {

  private AuditCodes() {}

  // event type and subtype
  public static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  public static final String REST = "rest";
  public static final String REST_DISPLAY = "RESTful Operation";
  public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

  // agents
  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  public static final String SOURCE_ROLE_ID = "110153";
  public static final String DESTINATION_ROLE_ID = "110152";
  public static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  public static final String BALP_USER_AGENT_TYPES = "https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes";
  public static final String USER_OAUTH_AGENT = "UserOauthAgent";
  /** BALP OAUTHaccessTokenUse.Minimal: {@code agent.policy} holds the jti with this prefix (RFC 3553). */
  public static final String JTI_PREFIX = "urn:ietf:params:oauth:jti:";
  public static final String NETWORK_TYPE_URI = "5";

  // source
  public static final String SECURITY_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
  public static final String APPLICATION_SERVER = "4";

  // entities
  public static final String AUDIT_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  public static final String ENTITY_PERSON = "1";
  public static final String ENTITY_SYSTEM_OBJECT = "2";
  public static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  public static final String ROLE_PATIENT = "1";
  public static final String ROLE_DOMAIN_RESOURCE = "4";
  public static final String ROLE_QUERY = "24";
  public static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
  public static final String X_REQUEST_ID = "XrequestId";
  public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

  // purpose of use, labels
  public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  public static final String BTG = "BTG";
  public static final String OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

  // Custodian's own
  /** Custodian's caller roles ({@code dev.custodian.policy.caller.Role}, lower case, '-' for '_'). */
  public static final String CUSTODIAN_ROLE = "https://custodian.dev/fhir/CodeSystem/role";
  /** The identifier system of OAuth client ids ({@code agent.who.identifier}). */
  public static final String CLIENT_ID_SYSTEM = "https://custodian.dev/fhir/sid/oauth-client-id";
  /** Extension (valueString) on the event: the written break-the-glass reason or justification. */
  public static final String EXT_BREAK_GLASS_REASON =
      "https://custodian.dev/fhir/StructureDefinition/audit-break-glass-reason";
  /** Extension (valueBoolean true) on the event: the access goes to the privacy officer's review queue. */
  public static final String EXT_FLAGGED_FOR_REVIEW =
      "https://custodian.dev/fhir/StructureDefinition/audit-flagged-for-review";
  /** Extension on the event: sequence, previous hash and hash of the audit hash chain. */
  public static final String EXT_AUDIT_CHAIN = "https://custodian.dev/fhir/StructureDefinition/audit-chain";

  // entity.detail types of a data entity
  public static final String DETAIL_DECISION = "decision";
  public static final String DETAIL_BASIS = "basis";
  public static final String DETAIL_REASON = "reason";
  public static final String DETAIL_VERSION = "version";
}
