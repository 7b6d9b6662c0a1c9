package dev.custodian.server.dicomweb;

/**
 * Why a STOW-RS instance was not stored: the Failure Reason (0008,1197) of its FailedSOPSequence
 * item (PS3.18 table 10.5.3-2 and the DIMSE C-STORE statuses of PS3.4 annex B / PS3.7 annex C).
 */
enum StowFailure {
  /** Processing failure: the instance could not be stored for a reason of the server's. */
  PROCESSING_FAILURE(0x0110),
  /** Refused, not authorized: the policy does not let the caller store into this study. */
  NOT_AUTHORIZED(0x0124),
  /** Data set does not match SOP class: required attributes missing, or the wrong study. */
  DATA_SET_MISMATCH(0xA900),
  /** Cannot understand: not a well-formed DICOM Part 10 object, or not application/dicom. */
  CANNOT_UNDERSTAND(0xC000);

  private final int code;

  StowFailure(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }
}
