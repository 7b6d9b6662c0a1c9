package dev.custodian.server.auth.account;

import dev.custodian.server.auth.mfa.SignInFlow;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Login alerts: every complete sign-in is recorded with the device (a random id in the long-lived,
 * HttpOnly cookie {@value #DEVICE_COOKIE}, kept only as a SHA-256 hash) and the address it came
 * from, flagged when the device or the address is new for that person. The person sees them on
 * {@link SignInHistoryPage}.
 */
public class SignInHistory implements SignInFlow.SignInRecorder {

  public static final String DEVICE_COOKIE = "custodian_device";
  static final Duration DEVICE_COOKIE_LIFETIME = Duration.ofDays(400);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcTemplate jdbc;
  private final Clock clock;

  public SignInHistory(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** One complete sign-in; an alert when {@code newDevice} or {@code newAddress}. */
  public record SignIn(Instant at, String address, String userAgent, boolean newDevice, boolean newAddress) {
    public boolean alert() {
      return newDevice || newAddress;
    }
  }

  @Override
  public void signedIn(String username, HttpServletRequest request, HttpServletResponse response) {
    String device = deviceId(request);
    if (device == null) {
      device = newDeviceId();
      Cookie cookie = new Cookie(DEVICE_COOKIE, device);
      cookie.setHttpOnly(true);
      cookie.setSecure(request.isSecure());
      cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
      cookie.setMaxAge((int) DEVICE_COOKIE_LIFETIME.toSeconds());
      cookie.setAttribute("SameSite", "Lax");
      response.addCookie(cookie);
    }
    String deviceHash = sha256(device);
    String address = String.valueOf(request.getRemoteAddr());
    String agent = request.getHeader("User-Agent");
    boolean newDevice = none("select count(*) from custodian_sign_in where username = ? and device_hash = ?", username, deviceHash);
    boolean newAddress = none("select count(*) from custodian_sign_in where username = ? and address = ?", username, address);
    jdbc.update(
        "insert into custodian_sign_in (username, device_hash, address, user_agent, signed_in_at, new_device, new_address)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        username, deviceHash, address.length() > 64 ? address.substring(0, 64) : address,
        agent == null ? null : agent.length() > 300 ? agent.substring(0, 300) : agent,
        Timestamp.from(clock.instant()), newDevice, newAddress);
  }

  /** The person's most recent sign-ins, newest first. */
  public List<SignIn> recent(String username, int limit) {
    return jdbc.query(
        "select signed_in_at, address, user_agent, new_device, new_address from custodian_sign_in"
            + " where username = ? order by signed_in_at desc, id desc limit ?",
        (rs, n) -> new SignIn(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getBoolean(4),
            rs.getBoolean(5)),
        username, limit);
  }

  private boolean none(String countSql, Object... args) {
    Integer count = jdbc.queryForObject(countSql, Integer.class, args);
    return count == null || count == 0;
  }

  /** The device id of the request's cookie, when it has a well-formed one. */
  private static String deviceId(HttpServletRequest request) {
    if (request.getCookies() == null) {
      return null;
    }
    for (Cookie cookie : request.getCookies()) {
      if (DEVICE_COOKIE.equals(cookie.getName()) && cookie.getValue() != null
          && cookie.getValue().matches("[A-Za-z0-9_-]{22,64}")) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static String newDeviceId() {
    byte[] id = new byte[24];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
