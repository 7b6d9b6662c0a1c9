package dev.custodian.server.policy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.custodian.policy.enforce.RecordLookup;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/** The stored record a reference points to, read through HAPI's DAOs as the server. */
final class StoredRecords implements RecordLookup {

  private final DaoRegistry daos;

  StoredRecords(DaoRegistry daos) {
    this.daos = daos;
  }

  @Override
  public Optional<IBaseResource> find(String typeAndId) {
    IdType id = new IdType(typeAndId);
    if (!daos.isResourceTypeSupported(id.getResourceType())) {
      return Optional.empty();
    }
    try {
      return Optional.of(daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails()));
    } catch (BaseServerResponseException notThere) {
      return Optional.empty(); // missing or deleted (404/410), or an id the storage layer rejects
    }
  }
}
