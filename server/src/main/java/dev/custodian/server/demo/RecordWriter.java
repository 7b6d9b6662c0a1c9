package dev.custodian.server.demo;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes records with client-assigned ids in one FHIR transaction of PUTs, through the same storage
 * layer (and profile checks) as any client's writes. PUT makes it idempotent: records already stored
 * unchanged are left alone.
 */
class RecordWriter {

  private final IFhirSystemDao<Bundle, ?> systemDao;

  RecordWriter(IFhirSystemDao<Bundle, ?> systemDao) {
    this.systemDao = systemDao;
  }

  void write(List<? extends Resource> records) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Resource record : records) {
      String type = record.fhirType();
      String id = record.getIdElement().getIdPart();
      transaction
          .addEntry()
          .setFullUrl(type + "/" + id)
          .setResource(record)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.PUT)
          .setUrl(type + "/" + id);
    }
    systemDao.transaction(new SystemRequestDetails(), transaction);
  }
}
