package dev.custodian.server.dicomweb;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.server.audit.AuditTrail;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.storage.EncryptedBlobs;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.flywaydb.core.Flyway;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The DICOMweb endpoint ({@code /dicomweb/*}, a servlet of its own so that no multipart resolver
 * buffers STOW-RS bodies) and its parts. Its security filter chain is in {@code SecurityConfig}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DicomwebProperties.class)
public class DicomwebConfig {

  @Bean
  StudyIndex dicomStudyIndex(DataSource dataSource, Flyway custodianFlyway) {
    return new StudyIndex(new JdbcTemplate(dataSource),
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
  }

  @Bean
  ImagingStudyLink imagingStudyLink(DaoRegistry daos, AuthProperties auth, DicomwebProperties properties) {
    return new ImagingStudyLink(daos, properties.patientIdSystem(), dicomwebBase(auth));
  }

  @Bean
  StudyAccess dicomStudyAccess(AccessPolicy policy, StudyIndex index, ImagingStudyLink link) {
    return new StudyAccess(policy, index, link);
  }

  @Bean
  StowService stowService(AccessPolicy policy, StudyIndex index, ImagingStudyLink link, EncryptedBlobs blobs) {
    return new StowService(policy, index, link, blobs, Clock.systemUTC());
  }

  @Bean
  public ServletRegistrationBean<DicomwebServlet> dicomwebServlet(StudyIndex index, StudyAccess access,
      StowService stow, EncryptedBlobs blobs, DataSource dataSource, AuditTrail trail, AuthProperties auth,
      DicomwebProperties properties) {
    DicomwebServlet servlet = servlet(index, access, stow, blobs, dataSource, trail, auth, properties);
    ServletRegistrationBean<DicomwebServlet> registration = new ServletRegistrationBean<>(servlet, "/dicomweb/*");
    registration.setName("dicomweb");
    registration.setLoadOnStartup(1);
    return registration;
  }

  /** DICOMweb for callers without a bearer token (share links), read-only. */
  @Bean
  public CallerScopedDicomweb callerScopedDicomweb(StudyIndex index, StudyAccess access, StowService stow,
      EncryptedBlobs blobs, DataSource dataSource, AuditTrail trail, AuthProperties auth,
      DicomwebProperties properties) {
    return new CallerScopedDicomweb(servlet(index, access, stow, blobs, dataSource, trail, auth, properties),
        index, access, blobs);
  }

  private static DicomwebServlet servlet(StudyIndex index, StudyAccess access, StowService stow, EncryptedBlobs blobs,
      DataSource dataSource, AuditTrail trail, AuthProperties auth, DicomwebProperties properties) {
    return new DicomwebServlet(index, access, stow, new QidoSearch(new JdbcTemplate(dataSource), access),
        new WadoService(blobs), new DicomwebAudit(trail, Clock.systemUTC()), dicomwebBase(auth),
        properties.maxStowRequestSize().toBytes(), new StowRefusal(properties.stowRefusalDrain().toBytes()));
  }

  /**
   * Tomcat answers {@code Expect: 100-continue} only when the application first reads the body (its
   * default is at once), so a request refused before its body is read — a STOW-RS declared over the
   * size limit, a missing or bad token — is refused before the client sends the body.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueWhenTheBodyIsRead() {
    return factory -> factory.addConnectorCustomizers(connector -> {
      if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http11) {
        http11.setContinueResponseTiming("onRead");
      }
    });
  }

  /** Demo mode: the demo studies' images, once the demo records are loaded (before tests or clients start). */
  @Bean
  @ConditionalOnProperty(name = "custodian.demo.enabled", havingValue = "true")
  ApplicationListener<ApplicationReadyEvent> demoImages(ImagingStudyLink link, StudyIndex index, StowService stow,
      AuthProperties auth) {
    DemoImagesLoader loader = new DemoImagesLoader(link, index, stow, dicomwebBase(auth));
    return event -> loader.load();
  }

  /** The public DICOMweb base URL: the issuer's origin (this server) + {@code /dicomweb}. */
  static String dicomwebBase(AuthProperties auth) {
    return auth.dicomwebBase();
  }
}
