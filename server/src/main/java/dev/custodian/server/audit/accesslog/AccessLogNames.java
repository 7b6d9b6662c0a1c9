package dev.custodian.server.audit.accesslog;

import dev.custodian.policy.caller.ShareLinkHolders;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The names a patient's access log shows instead of internal identifiers: people by their name,
 * apps by their registered name. Looked up as the server (the patient may not read a practitioner's
 * record), remembered for one log.
 */
class AccessLogNames {

  static final String SOMEONE = "a Custodian user";
  static final String SOME_APP = "an app";
  static final String SHARE_LINK = "someone with your share link";

  private final DaoRegistry daos;
  private final RegisteredClientRepository clients;
  private final Map<String, String> known = new HashMap<>();

  AccessLogNames(DaoRegistry daos, RegisteredClientRepository clients) {
    this.daos = daos;
    this.clients = clients;
  }

  /** The display name of the person behind a {@code Type/id} reference. */
  String person(String reference) {
    return known.computeIfAbsent(reference, this::lookUpPerson);
  }

  /** The registered name of an OAuth client. */
  String app(String clientId) {
    if (ShareLinkHolders.CLIENT_ID.equals(clientId)) {
      return SHARE_LINK;
    }
    return known.computeIfAbsent("client:" + clientId, key -> {
      RegisteredClient client = clients.findByClientId(clientId);
      return client == null || client.getClientName() == null || client.getClientName().equals(client.getId())
          ? SOME_APP : client.getClientName();
    });
  }

  private String lookUpPerson(String reference) {
    IdType id = new IdType(reference);
    if (!id.hasResourceType() || !id.hasIdPart() || !daos.isResourceTypeSupported(id.getResourceType())) {
      return SOMEONE;
    }
    IBaseResource resource;
    try {
      resource = daos.getResourceDao(id.getResourceType()).read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
    } catch (BaseServerResponseException e) {
      return SOMEONE;
    }
    String name = null;
    if (resource instanceof Practitioner practitioner) {
      name = name(practitioner.getName());
    } else if (resource instanceof Patient patient) {
      name = name(patient.getName());
    } else if (resource instanceof RelatedPerson person) {
      name = name(person.getName());
    } else if (resource instanceof PractitionerRole role && role.hasPractitioner()) {
      name = lookUpPerson(role.getPractitioner().getReference());
    } else if (resource instanceof Organization organization) {
      name = organization.getName();
    }
    return name == null || name.isBlank() ? SOMEONE : name;
  }

  private static String name(List<HumanName> names) {
    if (names.isEmpty()) {
      return null;
    }
    HumanName name = names.get(0);
    if (name.hasText()) {
      return name.getText();
    }
    String given = name.getGivenAsSingleString();
    String prefix = name.getPrefixAsSingleString();
    return String.join(" ", java.util.stream.Stream.of(prefix, given, name.getFamily())
        .filter(part -> part != null && !part.isBlank()).toList());
  }
}
