package dev.custodian.server.sharing;

import java.time.Instant;
import java.util.UUID;

/**
 * A new share link: its id (to list and revoke it), its URL — the only time the token is seen, it is
 * not stored — and when it expires.
 */
public record CreatedLink(UUID id, String url, Instant expiresAt, ShareLink link) {}
