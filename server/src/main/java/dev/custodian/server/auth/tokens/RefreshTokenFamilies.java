package dev.custodian.server.auth.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Refresh token rotation with reuse detection. The authorization service stores each grant's
 * current refresh token; this decorator remembers (by hash) the ones it replaced. When a spent
 * refresh token is presented again, the grant it belonged to — with its newest access and refresh
 * tokens — is removed at once: whoever holds a copy of an old token cannot keep a session alive
 * beside the real app.
 */
public class RefreshTokenFamilies implements OAuth2AuthorizationService {

  private static final Logger log = LoggerFactory.getLogger(RefreshTokenFamilies.class);

  private final OAuth2AuthorizationService delegate;
  private final JdbcTemplate jdbc;

  public RefreshTokenFamilies(OAuth2AuthorizationService delegate, JdbcTemplate jdbc) {
    this.delegate = delegate;
    this.jdbc = jdbc;
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    OAuth2Authorization previous = delegate.findById(authorization.getId());
    if (previous != null && previous.getRefreshToken() != null) {
      String before = previous.getRefreshToken().getToken().getTokenValue();
      String after = authorization.getRefreshToken() == null
          ? null : authorization.getRefreshToken().getToken().getTokenValue();
      if (!before.equals(after)) {
        jdbc.update(
            "insert into custodian_spent_refresh_token (token_hash, authorization_id) values (?, ?)"
                + " on conflict (token_hash) do nothing",
            hash(before),
            authorization.getId());
      }
    }
    delegate.save(authorization);
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    delegate.remove(authorization);
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return delegate.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    OAuth2Authorization found = delegate.findByToken(token, tokenType);
    if (found == null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))) {
      revokeFamilyOfSpent(token);
    }
    return found;
  }

  /** A spent refresh token came back: the grant it belonged to ends now. */
  private void revokeFamilyOfSpent(String token) {
    jdbc.query(
            "select authorization_id from custodian_spent_refresh_token where token_hash = ?",
            (rs, n) -> rs.getString(1),
            hash(token))
        .stream()
        .findFirst()
        .map(delegate::findById)
        .ifPresent(grant -> {
          log.warn("A rotated refresh token was presented again; revoking grant {} of client {}",
              grant.getId(), grant.getRegisteredClientId());
          delegate.remove(grant);
        });
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
