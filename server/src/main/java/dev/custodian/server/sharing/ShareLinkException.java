package dev.custodian.server.sharing;

/**
 * A share-link request that cannot be carried out, with the HTTP status the API answers: 400 for
 * bad input, 404 for a study, report, patient or link that does not exist <em>or that the caller may
 * not share</em> (the two are never told apart), 500 when the access could not be recorded (nothing
 * is answered then).
 */
public class ShareLinkException extends RuntimeException {

  private final int status;

  ShareLinkException(int status, String message) {
    super(message);
    this.status = status;
  }

  static ShareLinkException badRequest(String message) {
    return new ShareLinkException(400, message);
  }

  static ShareLinkException notFound(String message) {
    return new ShareLinkException(404, message);
  }

  static ShareLinkException notRecorded(Throwable cause) {
    ShareLinkException failure = new ShareLinkException(500, ShareController.UNRECORDED);
    failure.initCause(cause);
    return failure;
  }

  public int status() {
    return status;
  }
}
