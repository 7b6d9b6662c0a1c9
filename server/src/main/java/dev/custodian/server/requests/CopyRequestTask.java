package dev.custodian.server.requests;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dev.custodian.policy.resource.CopyRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * A right-of-access request for copies as a FHIR Task:
 *
 * <ul>
 *   <li>{@code code} {@value CopyRequests#CODE_SYSTEM}|{@value CopyRequests#COPY_REQUEST},
 *       {@code intent} order, {@code for} the patient, {@code requester} who asked (the patient or her
 *       representative), {@code owner} the HIM role;</li>
 *   <li>{@code status} requested → accepted (identity verified) → completed, or rejected with a
 *       {@code statusReason};</li>
 *   <li>{@code authoredOn} when asked; {@code restriction.period.end} the due date (30 days later,
 *       moved once by an extension);</li>
 *   <li>{@code input}: {@code record} (one per ImagingStudy or DiagnosticReport asked for),
 *       {@code delivery} (a {@link Delivery} code), {@code all-ct-imaging} when the patient asked for
 *       all her CT imaging (the records are then listed as they were at the request);</li>
 *   <li>extensions {@value #EXT_IDENTITY} (who verified the patient's identity, how, when) and
 *       {@value #EXT_EXTENSION} (the one extension: days, reason, previous due date, by whom, when),
 *       the extension's reason also as a {@code note};</li>
 *   <li>{@code output}: {@code share-link-id} (the link's id, never its URL or token) and
 *       {@code link-expires}, or {@code delivered}
 *       (a note on mailed media or pickup).</li>
 * </ul>
 */
public final class CopyRequestTask {

  public static final String EXT_IDENTITY = "https://custodian.dev/fhir/StructureDefinition/copy-request-identity-verified";
  public static final String EXT_EXTENSION = "https://custodian.dev/fhir/StructureDefinition/copy-request-extension";
  /** Input and output types. */
  public static final String PARAM_SYSTEM = "https://custodian.dev/fhir/CodeSystem/access-request-parameter";
  public static final String ROLE_SYSTEM = "https://custodian.dev/fhir/sid/role";
  public static final String HIM_ROLE = "health-information-management";

  static final String RECORD = "record";
  static final String DELIVERY = "delivery";
  static final String ALL_CT_IMAGING = "all-ct-imaging";
  static final String SHARE_LINK_ID = "share-link-id";
  static final String LINK_EXPIRES = "link-expires";
  static final String DELIVERED = "delivered";

  private CopyRequestTask() {}

  /** A new request of {@code patient} by {@code requester} for {@code records}, due {@code due}. */
  static Task create(String patient, String requester, List<String> records, boolean allCtImaging,
      Delivery delivery, Instant now, Instant due) {
    Task task = new Task();
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setPriority(Task.TaskPriority.ROUTINE);
    task.setCode(new CodeableConcept(new Coding(CopyRequests.CODE_SYSTEM, CopyRequests.COPY_REQUEST,
        "Request for copies (right of access)")));
    task.setDescription((allCtImaging ? "Copies of all CT imaging" : "Copies of " + records.size() + " record(s)")
        + ", delivery: " + delivery.display());
    task.setFor(new Reference(patient));
    task.setRequester(new Reference(requester));
    task.setOwner(new Reference().setType("PractitionerRole")
        .setIdentifier(new Identifier().setSystem(ROLE_SYSTEM).setValue(HIM_ROLE))
        .setDisplay("Health information management"));
    task.setAuthoredOnElement(dateTime(now));
    task.setLastModifiedElement(dateTime(now));
    task.getRestriction().setPeriod(new Period().setStartElement(dateTime(now)).setEndElement(dateTime(due)));
    for (String record : records) {
      task.addInput().setType(type(RECORD)).setValue(new Reference(record));
    }
    task.addInput().setType(type(DELIVERY)).setValue(new CodeType(delivery.code()));
    if (allCtImaging) {
      task.addInput().setType(type(ALL_CT_IMAGING)).setValue(new org.hl7.fhir.r4.model.BooleanType(true));
    }
    return task;
  }

  static List<String> records(Task task) {
    List<String> records = new ArrayList<>();
    for (Task.ParameterComponent input : task.getInput()) {
      if (is(input.getType(), RECORD) && input.getValue() instanceof Reference reference) {
        records.add(reference.getReference());
      }
    }
    return records;
  }

  static Delivery delivery(Task task) {
    for (Task.ParameterComponent input : task.getInput()) {
      if (is(input.getType(), DELIVERY)) {
        return Delivery.fromCode(input.getValue().primitiveValue()).orElse(Delivery.SHARE_LINK);
      }
    }
    return Delivery.SHARE_LINK;
  }

  static String patient(Task task) {
    return task.getFor().getReference();
  }

  static Instant due(Task task) {
    return task.getRestriction().getPeriod().getEnd().toInstant();
  }

  /** Whether the request is still being worked on (requested, accepted or in progress). */
  static boolean isOpen(Task task) {
    return switch (task.getStatus()) {
      case REQUESTED, ACCEPTED, INPROGRESS -> true;
      default -> false;
    };
  }

  static boolean isIdentityVerified(Task task) {
    return task.hasExtension(EXT_IDENTITY);
  }

  /** Whether an open, identity-verified request names {@code record}: HIM staff may then release it. */
  public static boolean releases(Task task, String record) {
    return CopyRequests.isCopyRequest(task) && isOpen(task) && task.getStatus() != Task.TaskStatus.REQUESTED
        && isIdentityVerified(task) && records(task).contains(record);
  }

  static Optional<Extension> extension(Task task) {
    return Optional.ofNullable(task.getExtensionByUrl(EXT_EXTENSION));
  }

  static void recordIdentityVerified(Task task, String staff, String method, Instant now) {
    Extension verified = task.addExtension().setUrl(EXT_IDENTITY);
    verified.addExtension("verifiedBy", new Reference(staff));
    verified.addExtension("method", new StringType(method));
    verified.addExtension("verifiedAt", dateTime(now));
  }

  static void recordExtension(Task task, String staff, int days, String reason, Instant now, Instant newDue) {
    Extension extension = task.addExtension().setUrl(EXT_EXTENSION);
    extension.addExtension("days", new IntegerType(days));
    extension.addExtension("reason", new StringType(reason));
    extension.addExtension("previousDue", task.getRestriction().getPeriod().getEndElement().copy());
    extension.addExtension("extendedBy", new Reference(staff));
    extension.addExtension("extendedAt", dateTime(now));
    task.getRestriction().getPeriod().setEndElement(dateTime(newDue));
    task.addNote().setTimeElement(dateTime(now))
        .setText("The due date was extended by " + days + " days to " + newDue + ": " + reason);
  }

  static void recordLink(Task task, DigitalCopies.Link link) {
    task.addOutput().setType(type(SHARE_LINK_ID)).setValue(new StringType(link.id()));
    task.addOutput().setType(type(LINK_EXPIRES)).setValue(dateTime(link.expires()));
  }

  static void recordDelivered(Task task, String note) {
    task.addOutput().setType(type(DELIVERED)).setValue(new StringType(note));
  }

  static CodeableConcept type(String code) {
    return new CodeableConcept(new Coding(PARAM_SYSTEM, code, null));
  }

  private static boolean is(CodeableConcept concept, String code) {
    return concept.getCoding().stream().anyMatch(c -> PARAM_SYSTEM.equals(c.getSystem()) && code.equals(c.getCode()));
  }

  static DateTimeType dateTime(Instant instant) {
    return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
  }
}
