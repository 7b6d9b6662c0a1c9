package dev.custodian.server.policy;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The generation of the records the policy's facts are read from ({@link #TYPES}), shared by every
 * node through the database ({@code custodian_policy_fact_generation}, V17).
 *
 * <p>Every create, update, delete or expunge of such a record raises the generation inside the
 * writing transaction (HAPI's pre-commit hooks, on the storage layer, so every write path counts),
 * so the new generation becomes visible exactly when the change does. A node that read generation
 * {@code g} before searching saw every change up to {@code g}; it may answer from that search for as
 * long as the generation is still {@code g} — and a change made on any node is seen on the very next
 * request. Writers of these types queue on the one generation row until they commit; they are rare
 * next to reads.
 */
@Interceptor
public class FactRecordGeneration {

  /** The resource types the facts are read from; a write of one of these changes the generation. */
  public static final Set<String> TYPES =
      Set.of("CareTeam", "Encounter", "RelatedPerson", "Coverage", "ServiceRequest", "Consent");

  private final EntityManager transactional;
  private final JdbcTemplate jdbc;

  /**
   * @param transactional the shared EntityManager of HAPI's JPA transactions (the write and the new
   *     generation commit together)
   * @param jdbc for reading the generation outside any transaction
   */
  public FactRecordGeneration(EntityManager transactional, JdbcTemplate jdbc) {
    this.transactional = transactional;
    this.jdbc = jdbc;
  }

  /** The generation as committed now. */
  public long current() {
    Long generation = jdbc.queryForObject("select generation from custodian_policy_fact_generation where id = 1", Long.class);
    return generation == null ? 0 : generation;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource updated) {
    changed(updated != null ? updated : previous);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    changed(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_EXPUNGE_RESOURCE)
  public void expunged(AtomicInteger counter, IIdType id) {
    if (id == null || !id.hasResourceType() || TYPES.contains(id.getResourceType())) {
      raise();
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_EXPUNGE_EVERYTHING)
  public void expungedEverything(AtomicInteger counter) {
    raise();
  }

  private void changed(IBaseResource resource) {
    if (resource == null || TYPES.contains(resource.fhirType())) {
      raise();
    }
  }

  private void raise() {
    transactional.createNativeQuery(
        "update custodian_policy_fact_generation set generation = generation + 1 where id = 1").executeUpdate();
  }
}
