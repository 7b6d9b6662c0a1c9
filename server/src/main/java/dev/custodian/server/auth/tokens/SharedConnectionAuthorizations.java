package dev.custodian.server.auth.tokens;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each call of Spring Authorization Server's JDBC authorization store on one pooled connection.
 *
 * <p>That store maps each row it reads by looking up the row's registered client — a second query,
 * made while the first one's connection is still taken. On its own each call then holds one
 * connection and waits for another, and as many concurrent token checks as the pool has connections
 * (every bearer request makes one) stalled the whole server until the pool's 30 s timeout. Here a
 * call binds its connection for the nested lookups to reuse. No transaction is begun (propagation
 * {@code SUPPORTS}: statements still commit one by one, as before); an enclosing transaction, if
 * any, is joined.
 */
public final class SharedConnectionAuthorizations implements OAuth2AuthorizationService {

  private final OAuth2AuthorizationService delegate;
  private final TransactionTemplate oneConnection;

  public SharedConnectionAuthorizations(OAuth2AuthorizationService delegate, DataSource dataSource) {
    this.delegate = delegate;
    this.oneConnection = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.oneConnection.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    onOneConnection(() -> {
      delegate.save(authorization);
      return null;
    });
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    onOneConnection(() -> {
      delegate.remove(authorization);
      return null;
    });
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return onOneConnection(() -> delegate.findById(id));
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    return onOneConnection(() -> delegate.findByToken(token, tokenType));
  }

  private <T> T onOneConnection(Supplier<T> call) {
    return oneConnection.execute(status -> call.get());
  }
}
