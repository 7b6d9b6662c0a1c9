package dev.custodian.server.sharing;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Redeeming a share link, without an account. What consumes a use: one successful redemption — a
 * POST to {@code /share/{token}} (with the PIN, if the link has one) while the link is active. It is
 * counted by one atomic UPDATE (uses &lt; max_uses), so of many concurrent redemptions on any number
 * of nodes at most max_uses succeed. Each success opens a session (its own 256-bit secret) that
 * shows the records and serves the images — ZIP and WADO-RS, as often as wanted — until the link
 * expires or is revoked. Opening the page (GET) consumes nothing. A wrong PIN counts towards
 * {@code custodian.share.max-pin-attempts}, at which the link is burnt (revoked). Unknown, malformed,
 * expired, used-up and revoked tokens are all answered alike ({@link Outcome#GONE}). Every refusal
 * and every redemption is audited. Failed attempts are counted per client address
 * ({@link ShareAttempts}); an address that reached the limit is throttled before any token is looked at.
 */
class ShareRedemption {

  /** How a redemption ended. */
  enum Outcome {
    /** A use was counted and a session opened. */
    REDEEMED,
    /** The link needs its PIN (none given). */
    PIN_REQUIRED,
    /** A wrong PIN, attempts remain. */
    WRONG_PIN,
    /** Unknown, malformed, expired, used up, revoked, or burnt just now: 410. */
    GONE
  }

  /** The result: the outcome, the link (when one was found and may be named), the session secret. */
  record Result(Outcome outcome, ShareLink link, String session) {}

  private final ShareLinkStore store;
  private final ShareAttempts attempts;
  private final ShareLinkEvents events;
  private final ShareLinkProperties properties;
  private final PasswordEncoder pins;
  private final Clock clock;

  ShareRedemption(ShareLinkStore store, ShareAttempts attempts, ShareLinkEvents events, ShareLinkProperties properties,
      PasswordEncoder pins, Clock clock) {
    this.store = store;
    this.attempts = attempts;
    this.events = events;
    this.properties = properties;
    this.pins = pins;
    this.clock = clock;
  }

  /**
   * How long the client's address must wait, if its failed attempts (unknown or spent tokens, wrong
   * PINs) reached the limit: asked before any token is looked at, so a throttled address learns
   * nothing about any token. A throttled attempt is audited.
   */
  Optional<Duration> throttled(HttpServletRequest request) {
    Optional<Duration> wait = attempts.waitFor(request.getRemoteAddr(), clock.instant());
    wait.ifPresent(w -> events.redemptionRefused(null, request,
        "too many failed attempts from this address: throttled for " + w.toSeconds() + " s"));
    return wait;
  }

  /** For the page of a link (GET): the link if it can be redeemed now; refusals audited. */
  Optional<ShareLink> openable(String token, HttpServletRequest request) {
    return active(token, request);
  }

  Result redeem(String token, String pin, HttpServletRequest request) {
    Optional<ShareLink> found = active(token, request);
    if (found.isEmpty()) {
      return new Result(Outcome.GONE, null, null);
    }
    ShareLink link = found.get();
    if (link.hasPin()) {
      if (pin == null || pin.isBlank()) {
        return new Result(Outcome.PIN_REQUIRED, link, null);
      }
      if (pin.length() > 64 || !pins.matches(pin, link.pinHash())) {
        attempts.failed(request.getRemoteAddr(), clock.instant());
        int failures = store.recordPinFailure(link.id(), properties.maxPinAttempts(), clock.instant());
        boolean burnt = failures == 0 || failures >= properties.maxPinAttempts();
        events.redemptionRefused(link, request, burnt
            ? "wrong PIN: the link is burnt after " + properties.maxPinAttempts() + " wrong PINs"
            : "wrong PIN (" + failures + " of " + properties.maxPinAttempts() + ")");
        if (burnt && failures != 0) {
          store.byId(link.id()).ifPresent(now -> events.revoked(null, now, "too many wrong PINs"));
        }
        return new Result(burnt ? Outcome.GONE : Outcome.WRONG_PIN, link, null);
      }
    }
    Instant now = clock.instant();
    if (!store.consumeUse(link.id(), now)) {
      attempts.failed(request.getRemoteAddr(), now);
      events.redemptionRefused(link, request, "no use left (or revoked or expired meanwhile)");
      return new Result(Outcome.GONE, null, null);
    }
    String session = ShareTokens.newToken();
    store.insertSession(ShareTokens.hash(session), link.id(), now, link.expiresAt());
    ShareLink redeemed = store.byId(link.id()).orElse(link);
    events.redeemed(redeemed, request);
    return new Result(Outcome.REDEEMED, redeemed, session);
  }

  /** The link of a session, while the link is neither revoked nor expired (uses do not matter here). */
  Optional<ShareLink> session(String session) {
    if (!ShareTokens.isWellFormed(session)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return store.bySession(ShareTokens.hash(session), now)
        .filter(link -> link.revokedAt() == null && now.isBefore(link.expiresAt()));
  }

  /** The link of {@code token} if it is active; otherwise empty, the failure counted against the address. */
  private Optional<ShareLink> active(String token, HttpServletRequest request) {
    Optional<ShareLink> link = lookUp(token, request);
    if (link.isEmpty()) {
      attempts.failed(request.getRemoteAddr(), clock.instant());
    }
    return link;
  }

  private Optional<ShareLink> lookUp(String token, HttpServletRequest request) {
    if (!ShareTokens.isWellFormed(token)) {
      events.redemptionRefused(null, request, "malformed token");
      return Optional.empty();
    }
    Optional<ShareLink> link = store.byTokenHash(ShareTokens.hash(token));
    if (link.isEmpty()) {
      events.redemptionRefused(null, request, "unknown token");
      return Optional.empty();
    }
    String state = link.get().state(clock.instant());
    if (!state.equals("active")) {
      events.redemptionRefused(link.get(), request, "the link is " + state);
      return Optional.empty();
    }
    return link;
  }
}
