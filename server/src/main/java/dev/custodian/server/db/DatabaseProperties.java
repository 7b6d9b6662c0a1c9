package dev.custodian.server.db;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Custodian keeps its relational data ({@code custodian.db.*}).
 *
 * <p>With no {@code url} (the default) Custodian starts an embedded PostgreSQL whose data directory
 * persists under {@code embedded.data-dir}. Set {@code url} (environment: {@code CUSTODIAN_DB_URL},
 * {@code CUSTODIAN_DB_USER}, {@code CUSTODIAN_DB_PASSWORD}) to use an external PostgreSQL instead; then
 * no embedded server is started.
 */
@ConfigurationProperties(prefix = "custodian.db")
public record DatabaseProperties(String url, String user, String password, Embedded embedded, Pool pool) {

  public DatabaseProperties {
    embedded = embedded == null ? new Embedded(null, 0) : embedded;
    pool = pool == null ? new Pool(0) : pool;
  }

  public boolean isExternal() {
    return url != null && !url.isBlank();
  }

  /**
   * The embedded server: its data directory (default {@code ./data/postgres}) and port (0 picks a free
   * one at every start; the data directory, not the port, carries the data across restarts).
   */
  public record Embedded(Path dataDir, int port) {
    public Embedded {
      dataDir = dataDir == null ? Path.of("data", "postgres") : dataDir;
    }
  }

  /** The JDBC connection pool; 0 keeps the default (10). */
  public record Pool(int maxSize) {
    public int maxSizeOrDefault() {
      return maxSize > 0 ? maxSize : 10;
    }
  }
}
