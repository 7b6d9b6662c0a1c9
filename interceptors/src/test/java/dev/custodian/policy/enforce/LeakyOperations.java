package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;

/**
 * Server-level operations that, if they were ever reached, would hand out everything unjudged —
 * stand-ins for JPA's system search and history, transaction/batch, {@code $meta},
 * {@code $everything} and {@code $export}. The refusal tests prove RequestShapeGuard stops requests
 * before HAPI invokes them.
 */
public final class LeakyOperations {

  private final Map<String, TestProvider<?>> providers;

  LeakyOperations(Map<String, TestProvider<?>> providers) {
    this.providers = providers;
  }

  private List<IBaseResource> everything() {
    List<IBaseResource> all = new ArrayList<>();
    providers.values().forEach(p -> all.addAll(p.getStoredResources()));
    return all;
  }

  @Search(allowUnknownParams = true)
  public List<IBaseResource> searchSystem(@OptionalParam(name = "_id") TokenParam id) {
    return everything();
  }

  @History
  public List<IBaseResource> historySystem() {
    return everything();
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle bundle) {
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    everything().forEach(r -> response.addEntry().setResource((org.hl7.fhir.r4.model.Resource) r));
    return response;
  }

  @Operation(name = "$meta", idempotent = true)
  public Parameters metaSystem() {
    return new Parameters().addParameter("leak", "everything");
  }

  @Operation(name = "$meta", idempotent = true, type = Patient.class)
  public Parameters metaInstance(@IdParam IdType id) {
    return new Parameters().addParameter("leak", id.getIdPart());
  }

  @Operation(name = "$everything", idempotent = true, type = Patient.class)
  public Bundle everything(@IdParam IdType id) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    everything().forEach(r -> bundle.addEntry().setResource((org.hl7.fhir.r4.model.Resource) r));
    return bundle;
  }

  @Operation(name = "$export", idempotent = true, typeName = "ImagingStudy")
  public Parameters export() {
    return new Parameters().addParameter("leak", "export");
  }
}
