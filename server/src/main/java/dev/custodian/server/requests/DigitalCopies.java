package dev.custodian.server.requests;

import dev.custodian.policy.caller.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Delivers copies of a patient's studies (and their reports) digitally: a share link. Implemented
 * over the share-link service; the request workflow depends only on this.
 */
public interface DigitalCopies {

  /**
   * A new link to {@code studies} ({@code ImagingStudy/x}) of {@code patient}, created by
   * {@code staff} (who must be permitted to read them), valid for {@code validity} and
   * {@code maxUses} openings; {@code label} tells the patient what it is.
   */
  Link deliver(Caller staff, String patient, List<String> studies, Duration validity, int maxUses, String label);

  /**
   * A created link: its id and when it expires — never its URL, which holds the secret token and is
   * not kept anywhere (the patient obtains a fresh one with {@code POST /api/share-links/{id}/reissue}).
   */
  record Link(String id, Instant expires) {}
}
