package dev.custodian.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The one PostgreSQL data source: the external server named by {@code custodian.db.url}, or else an
 * embedded server started here and stopped when the context closes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
public class DataSourceConfig {

  private static final Logger log = LoggerFactory.getLogger(DataSourceConfig.class);

  /** Present only when no external database is configured. */
  @Bean(destroyMethod = "close")
  EmbeddedPostgresHolder embeddedPostgres(DatabaseProperties properties) {
    if (properties.isExternal()) {
      log.info("Using external PostgreSQL at {}", properties.url());
      return new EmbeddedPostgresHolder(null);
    }
    return new EmbeddedPostgresHolder(
        EmbeddedPostgresServer.start(
            properties.embedded().dataDir(), properties.embedded().port()));
  }

  @Bean(destroyMethod = "close")
  @Primary
  DataSource dataSource(DatabaseProperties properties, EmbeddedPostgresHolder holder) {
    return pool("custodian", properties.pool().maxSizeOrDefault(), properties, holder);
  }

  /**
   * The audit writer's own connections, apart from the pool that requests use. A request waits for
   * its audit record to commit, and it may hold a connection of the main pool while it waits (an
   * open transaction, say); were the writer to draw from that pool too, as many waiting requests as
   * the pool has connections would leave it none, and every request would stall until its timeout.
   * One connection does the appending; the second stands by for when the first is being replaced.
   * Appends run on request threads that other requests queue behind (see {@code GroupCommitWriter}),
   * so a database that stops answering fails them after a minute instead of holding them forever.
   */
  @Bean(destroyMethod = "close")
  DataSource auditWriterDataSource(DatabaseProperties properties, EmbeddedPostgresHolder holder) {
    HikariConfig config = config("custodian-audit-writer", 2, properties, holder);
    config.addDataSourceProperty("socketTimeout", String.valueOf(AUDIT_SOCKET_TIMEOUT_SECONDS));
    return new HikariDataSource(config);
  }

  /** How long an audit append waits for the database to answer before it fails. */
  static final int AUDIT_SOCKET_TIMEOUT_SECONDS = 60;

  private static HikariDataSource pool(
      String name, int size, DatabaseProperties properties, EmbeddedPostgresHolder holder) {
    return new HikariDataSource(config(name, size, properties, holder));
  }

  private static HikariConfig config(
      String name, int size, DatabaseProperties properties, EmbeddedPostgresHolder holder) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    EmbeddedPostgresServer embedded = holder.server();
    if (embedded != null) {
      config.setJdbcUrl(embedded.jdbcUrl());
      config.setUsername(embedded.user());
    } else {
      config.setJdbcUrl(properties.url());
      config.setUsername(properties.user());
      config.setPassword(properties.password());
    }
    return config;
  }

  /** Lets the data source depend on the embedded server's lifecycle whether or not there is one. */
  public record EmbeddedPostgresHolder(EmbeddedPostgresServer server) implements AutoCloseable {
    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
