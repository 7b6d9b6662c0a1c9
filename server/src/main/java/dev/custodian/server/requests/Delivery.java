package dev.custodian.server.requests;

import java.util.Optional;

/** How the patient asked to receive her copies. */
public enum Delivery {
  /** A share link (expiring, limited uses) sent to the patient. */
  SHARE_LINK("share-link", "Share link", true),
  /** Download from the patient portal, through a share link shown on the request. */
  PORTAL_DOWNLOAD("portal-download", "Portal download", true),
  /** Media (CD/DVD/USB) mailed to the patient. */
  MAILED_MEDIA("mailed-media", "Mailed media", false),
  /** Media picked up in person. */
  PICKUP("pickup", "Pickup", false);

  private final String code;
  private final String display;
  private final boolean digital;

  Delivery(String code, String display, boolean digital) {
    this.code = code;
    this.display = display;
    this.digital = digital;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  /** Whether fulfilment creates a share link. */
  public boolean digital() {
    return digital;
  }

  public static Optional<Delivery> fromCode(String code) {
    for (Delivery delivery : values()) {
      if (delivery.code.equals(code)) {
        return Optional.of(delivery);
      }
    }
    return Optional.empty();
  }
}
