package dev.custodian.server.sharing;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.server.audit.AuditConfig;
import dev.custodian.server.audit.store.GroupCommitWriter;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.dicomweb.CallerScopedDicomweb;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Share links: their store, audit events, release-authorization Consents and the service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ShareLinkProperties.class, ShareRateLimitProperties.class})
public class ShareLinkConfig {

  @Bean
  ShareLinkStore shareLinkStore(JdbcTemplate authJdbcTemplate) {
    return new ShareLinkStore(authJdbcTemplate);
  }

  @Bean
  ShareLinkEvents shareLinkEvents(GroupCommitWriter writer, AuthProperties auth) {
    return new ShareLinkEvents(writer, AuditConfig.serverIdentity(auth), Clock.systemUTC());
  }

  /** Registered on the storage layer: a Consent made inactive revokes its links. */
  @Bean
  ConsentRevocationHook consentRevocationHook(IInterceptorService storage, ShareLinkService links) {
    ConsentRevocationHook hook = new ConsentRevocationHook(links);
    storage.registerInterceptor(hook);
    return hook;
  }

  /** PINs are hashed like passwords (Argon2id); not a bean, so that no other encoder is replaced. */
  private static Argon2PasswordEncoder shareLinkPinsEncoder() {
    return PINS;
  }

  private static final Argon2PasswordEncoder PINS = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  @Bean
  ShareRedemption shareRedemption(ShareLinkStore store, ShareLinkEvents events, ShareLinkProperties properties,
      ShareRateLimitProperties rateLimit, JdbcTemplate authJdbcTemplate) {
    return new ShareRedemption(store, new ShareAttempts(authJdbcTemplate, rateLimit), events, properties,
        shareLinkPinsEncoder(), Clock.systemUTC());
  }

  @Bean
  SharedRecords sharedRecords(DaoRegistry daos, AccessPolicy policy) {
    return new SharedRecords(daos, policy);
  }

  @Bean
  ShareArchive shareArchive(CallerScopedDicomweb dicomweb, ShareLinkEvents events) {
    return new ShareArchive(dicomweb, events);
  }

  @Bean
  public ShareLinkService shareLinkService(ShareLinkStore store, AccessPolicy policy, DaoRegistry daos,
      ShareLinkEvents events, ShareLinkProperties properties, AuthProperties auth) {
    return new ShareLinkService(store, policy, daos, new ReleaseAuthorizationConsents(daos), events, properties,
        shareLinkPinsEncoder(), auth.issuer(), Clock.systemUTC());
  }
}
