package dev.custodian.server.sharing;

import dev.custodian.policy.facts.ShareGrant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** The policy's view of share links: a link's grant by id, read from the database on every question. */
public class ShareGrants {

  private final ShareLinkStore store;

  public ShareGrants(JdbcTemplate jdbc) {
    this.store = new ShareLinkStore(jdbc);
  }

  public Optional<ShareGrant> byLinkId(String linkId) {
    UUID id = ShareLinkService.parseId(linkId);
    return id == null ? Optional.empty() : store.byId(id).map(ShareLink::grant);
  }
}
