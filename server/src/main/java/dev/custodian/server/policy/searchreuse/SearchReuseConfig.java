package dev.custodian.server.policy.searchreuse;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProviderFactory;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import dev.custodian.server.policy.FactRecordGeneration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Puts {@link CallerSearchReuse} in front of HAPI's search coordinator (every DAO and the paging
 * provider reach it through the {@link ISearchCoordinatorSvc} interface) and registers its hook on
 * the storage layer. Without the access policy (a benchmark switch) no caller is resolved and every
 * search goes to HAPI unchanged.
 */
@Configuration(proxyBeanMethods = false)
public class SearchReuseConfig {

  @Bean
  public static BeanPostProcessor callerSearchReuse(BeanFactory beans) {
    return new BeanPostProcessor() {
      @Override
      @SuppressWarnings("unchecked")
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (!(bean instanceof ISearchCoordinatorSvc<?> hapi) || bean instanceof CallerSearchReuse) {
          return bean;
        }
        CallerSearchReuse reuse = new CallerSearchReuse((ISearchCoordinatorSvc<JpaPid>) hapi, new Lookup(beans));
        beans.getBean(IInterceptorService.class).registerInterceptor(reuse);
        return reuse;
      }
    };
  }

  /** The collaborators, from the context when first needed (HAPI's beans are not all ready yet here). */
  private static final class Lookup implements CallerSearchReuse.Collaborators {
    private final BeanFactory beans;
    private volatile Found found;

    private record Found(ISearchCacheSvc searchCache, PersistedJpaBundleProviderFactory bundleProviders,
        IHapiTransactionService transactions, JpaStorageSettings settings, FactRecordGeneration generation,
        JdbcTemplate jdbc) {}

    Lookup(BeanFactory beans) {
      this.beans = beans;
    }

    private Found found() {
      Found known = found;
      if (known == null) {
        known = new Found(beans.getBean(ISearchCacheSvc.class), beans.getBean(PersistedJpaBundleProviderFactory.class),
            beans.getBean(IHapiTransactionService.class), beans.getBean(JpaStorageSettings.class),
            beans.getBean(FactRecordGeneration.class), beans.getBean("authJdbcTemplate", JdbcTemplate.class));
        found = known;
      }
      return known;
    }

    @Override
    public ISearchCacheSvc searchCache() {
      return found().searchCache();
    }

    @Override
    public PersistedJpaBundleProviderFactory bundleProviders() {
      return found().bundleProviders();
    }

    @Override
    public IHapiTransactionService transactions() {
      return found().transactions();
    }

    @Override
    public JpaStorageSettings settings() {
      return found().settings();
    }

    @Override
    public FactRecordGeneration generation() {
      return found().generation();
    }

    @Override
    public JdbcTemplate jdbc() {
      return found().jdbc();
    }
  }
}
