package dev.custodian.server.requests;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.server.sharing.ShareLinkService;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Right-of-access requests for copies: the patient's {@code $request-copies}, HIM staff's
 * {@code $access-request-queue} and their steps on a request ({@code $verify-identity},
 * {@code $extend}, {@code $fulfil}, {@code $reject}). Registered on the FHIR endpoint as self-judged
 * operations: each asks the policy itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CopyRequestProperties.class)
public class CopyRequestConfig {

  @Bean
  public CopyRequestStore copyRequestStore(DaoRegistry daos) {
    return new CopyRequestStore(daos);
  }

  @Bean
  public CopyRequestAccess copyRequestAccess(AccessPolicy policy, CallerResolver callers, CopyRequestStore store) {
    return new CopyRequestAccess(policy, callers, store);
  }

  @Bean
  public RequestCopiesOperation requestCopiesOperation(CopyRequestAccess access, CopyRequestStore store,
      DaoRegistry daos, CopyRequestProperties properties) {
    return new RequestCopiesOperation(access, store, new PatientRecords(daos), properties, Clock.systemUTC());
  }

  @Bean
  public AccessRequestQueueOperation accessRequestQueueOperation(CopyRequestAccess access, CopyRequestStore store) {
    return new AccessRequestQueueOperation(access, store, Clock.systemUTC());
  }

  @Bean
  public DigitalCopies digitalCopies(ShareLinkService links) {
    return new ShareLinkCopies(links, Clock.systemUTC());
  }

  /** The link, the notice to the patient and the changed request are written in one transaction: all or none. */
  @Bean
  public CopyRequestStaffOperations copyRequestStaffOperations(CopyRequestAccess access, CopyRequestStore store,
      DaoRegistry daos, DigitalCopies digital, CopyRequestProperties properties,
      PlatformTransactionManager transactionManager) {
    return new CopyRequestStaffOperations(access, store, new PatientRecords(daos), digital,
        new CopyRequestNotices(daos), properties,
        new TransactionTemplate(transactionManager), Clock.systemUTC());
  }
}
