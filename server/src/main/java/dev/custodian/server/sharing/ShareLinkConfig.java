package dev.custodian.server.sharing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.server.audit.AuditConfig;
import dev.custodian.server.audit.store.GroupCommitWriter;
import dev.custodian.server.auth.AuthProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Share links: their store, audit events, release-authorization Consents and the service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ShareLinkProperties.class)
public class ShareLinkConfig {

  @Bean
  ShareLinkStore shareLinkStore(JdbcTemplate authJdbcTemplate) {
    return new ShareLinkStore(authJdbcTemplate);
  }

  @Bean
  ShareLinkEvents shareLinkEvents(GroupCommitWriter writer, AuthProperties auth) {
    return new ShareLinkEvents(writer, AuditConfig.serverIdentity(auth), Clock.systemUTC());
  }

  @Bean
  public ShareLinkService shareLinkService(ShareLinkStore store, AccessPolicy policy, DaoRegistry daos,
      ShareLinkEvents events, ShareLinkProperties properties, AuthProperties auth) {
    return new ShareLinkService(store, policy, daos, new ReleaseAuthorizationConsents(daos), events, properties,
        Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), auth.issuer(), Clock.systemUTC());
  }
}
