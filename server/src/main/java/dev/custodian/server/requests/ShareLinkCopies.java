package dev.custodian.server.requests;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.server.sharing.CreatedLink;
import dev.custodian.server.sharing.ShareLinkException;
import dev.custodian.server.sharing.ShareLinkService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Digital copies through a share link ({@link ShareLinkService}): created by the HIM staff member,
 * for the patient (purpose PATRQT), audited by the share-link service like every link. The service
 * asks the policy whether the staff member may read each study and its images: only the records
 * the request names, once the patient's identity is verified. The link's URL (its secret token) is
 * dropped here: only the link's id reaches the request, and the patient obtains a usable URL by
 * reissuing the link ({@code POST /api/share-links/{id}/reissue}).
 */
public class ShareLinkCopies implements DigitalCopies {

  private final ShareLinkService links;
  private final Clock clock;

  public ShareLinkCopies(ShareLinkService links, Clock clock) {
    this.links = links;
    this.clock = clock;
  }

  @Override
  public Link deliver(Caller staff, String patient, List<String> studies, Duration validity, int maxUses, String label) {
    try {
      CreatedLink created = links.create(staff, patient, studies, clock.instant().plus(validity), maxUses,
          label, PurposeOfUse.PATRQT.code(), null);
      return new Link(created.id().toString(), created.expiresAt());
    } catch (ShareLinkException refused) {
      throw Refusals.businessRule("The share link could not be created: " + refused.getMessage());
    }
  }
}
