package dev.custodian.server.requests;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.resource.CopyRequests;
import dev.custodian.policy.resource.References;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;

/**
 * Requests for copies in HAPI's JPA store, read and written as the server (the operations decide
 * who may act before they call this). Updates carry the version read, so two staff acting on one
 * request at once cannot both succeed: the second gets a version conflict (409).
 */
public class CopyRequestStore {

  private final IFhirResourceDao<Task> tasks;

  public CopyRequestStore(DaoRegistry daos) {
    this.tasks = daos.getResourceDao(Task.class);
  }

  /** The request with id {@code id}, if there is one (a Task of another kind is no request). */
  public Optional<Task> find(String id) {
    if (id == null || !References.isId(id)) {
      return Optional.empty();
    }
    try {
      Task task = tasks.read(new IdType("Task", id), new SystemRequestDetails());
      return CopyRequests.isCopyRequest(task) ? Optional.of(task) : Optional.empty();
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  public Task create(Task task) {
    return (Task) tasks.create(task, new SystemRequestDetails()).getResource();
  }

  /** Stores {@code task}, which must still be the current version of the stored request. */
  public Task update(Task task) {
    return (Task) tasks.update(task, new SystemRequestDetails()).getResource();
  }

  /** Every request still being worked on (requested, accepted, in progress), of every patient. */
  public List<Task> open() {
    return search(SearchParameterMap.newSynchronous());
  }

  /** The open requests of {@code patient}. */
  public List<Task> open(String patient) {
    return search(SearchParameterMap.newSynchronous().add(Task.SP_SUBJECT, new ReferenceParam(patient)));
  }

  private List<Task> search(SearchParameterMap query) {
    query.add(Task.SP_CODE, new TokenParam(CopyRequests.CODE_SYSTEM, CopyRequests.COPY_REQUEST));
    query.add(Task.SP_STATUS, new TokenOrListParam()
        .add(new TokenParam("requested")).add(new TokenParam("accepted")).add(new TokenParam("in-progress")));
    IBundleProvider results = tasks.search(query, new SystemRequestDetails());
    return results.getAllResources().stream().map(Task.class::cast).filter(CopyRequests::isCopyRequest).toList();
  }
}
