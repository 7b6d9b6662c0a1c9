package dev.custodian.server.requests;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.resource.CopyRequests;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Tells the patient what became of her request for copies: a FHIR Communication (status completed,
 * category {@value CopyRequests#CODE_SYSTEM}|{@value CopyRequests#NOTICE}), {@code subject} and
 * {@code recipient} the patient (and the representative who asked, if one did), {@code basedOn} and
 * {@code about} the request, {@code sender} the HIM staff member, and a text saying what happened and what to do next —
 * never a share link's URL, which holds its secret token: the patient reissues the link for that.
 * Written by the server in the same transaction as the request's change; the policy lets the patient,
 * her representative and HIM staff read it ({@code CopyRequestRule}), nobody write it through the API.
 */
public class CopyRequestNotices {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final IFhirResourceDao<Communication> communications;

  public CopyRequestNotices(DaoRegistry daos) {
    this.communications = daos.getResourceDao(Communication.class);
  }

  /** Stores the notice {@code text} about {@code task} from {@code staff}; returns it as stored. */
  Communication send(Task task, Caller staff, Instant now, String text) {
    Communication notice = new Communication();
    notice.setStatus(Communication.CommunicationStatus.COMPLETED);
    notice.addCategory(new CodeableConcept(new Coding(CopyRequests.CODE_SYSTEM, CopyRequests.NOTICE,
        "Notice about a request for copies")));
    notice.setPriority(Communication.CommunicationPriority.ROUTINE);
    String patient = CopyRequestTask.patient(task);
    notice.setSubject(new Reference(patient));
    notice.addRecipient(new Reference(patient));
    String requester = task.getRequester().getReference();
    if (requester != null && !requester.equals(patient)) {
      notice.addRecipient(new Reference(requester)); // the representative who asked
    }
    Reference request = new Reference("Task/" + task.getIdElement().getIdPart());
    notice.addBasedOn(request); // searchable: Communication?based-on=Task/{id}
    notice.addAbout(request.copy());
    notice.setSender(sender(staff));
    notice.setSentElement(CopyRequestTask.dateTime(now));
    notice.addPayload().setContent(new StringType(text));
    return (Communication) communications.create(notice, new SystemRequestDetails()).getResource();
  }

  /** The staff member (a Practitioner or PractitionerRole), else their organization. */
  private static Reference sender(Caller staff) {
    String who = staff.fhirUser();
    if (who != null && (who.startsWith("Practitioner/") || who.startsWith("PractitionerRole/"))) {
      return new Reference(who);
    }
    return staff.organization() != null ? new Reference(staff.organization())
        : new Reference().setDisplay("Health information management");
  }

  static String linkReady(DigitalCopies.Link link, int maxUses) {
    return "Your copies are ready. They are shared with you through a share link (id " + link.id()
        + ") that can be opened " + (maxUses == 1 ? "once" : maxUses + " times") + " until "
        + MINUTE.format(link.expires()) + ". For your safety its address is not sent in messages: open your share"
        + " links in your patient app (GET /api/share-links) and choose to get a new address for this one"
        + " (POST /api/share-links/" + link.id() + "/reissue).";
  }

  static String delivered(Delivery delivery, String note) {
    return (delivery == Delivery.MAILED_MEDIA ? "Your copies were mailed to you on media. "
        : "Your copies are ready for pickup on media. ") + note;
  }

  static String extended(int days, Instant newDue, String reason) {
    return "We need more time for your request for copies: the due date was moved by " + days + " days to "
        + DAY.format(newDue) + ". Reason: " + reason;
  }

  static String rejected(String reason) {
    return "Your request for copies was denied. Reason: " + reason
        + " You may ask for this decision to be reviewed.";
  }
}
