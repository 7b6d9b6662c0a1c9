package dev.custodian.server.sharing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.dicomweb.CallerScopedDicomweb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The recipient's side of a share link, without an account ({@code /share/**}, public in
 * {@code SecurityConfig}, which also sets the pages' strict headers):
 *
 * <pre>
 * GET  /share/{token}                       the link's page: an Open button (and PIN field); uses nothing
 * POST /share/{token}  [pin=…]              redeem: one use; answers the records and a session URL
 * GET  /share/s/{session}                   the records again (HTML, or JSON with Accept: application/json)
 * GET  /share/s/{session}/images.zip        the DICOM files as stored, in one streamed ZIP
 * GET  /share/s/{session}/dicomweb/studies/{uid}[...]   WADO-RS (and QIDO-RS) of the shared studies only
 * </pre>
 *
 * Unknown, malformed, expired, used-up and revoked links and sessions answer 410 with the same plain
 * page. A missing PIN is 400, a wrong one 403 (until the link is burnt: 410). A client address that
 * failed too often lately gets 429 with Retry-After on every link, known or not.
 */
@Controller
public class ShareController {

  private static final String HTML = "text/html;charset=UTF-8";
  private static final String JSON = "application/json";
  private static final Logger log = LoggerFactory.getLogger(ShareController.class);
  /** Why nothing is shown when the access cannot be recorded. */
  static final String UNRECORDED = "This access could not be recorded, so nothing is shown. Try again later.";

  private final ShareRedemption redemption;
  private final SharedRecords records;
  private final ShareArchive archive;
  private final CallerScopedDicomweb dicomweb;
  private final ShareLinkEvents events;
  private final String baseUrl;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public ShareController(ShareRedemption redemption, SharedRecords records, ShareArchive archive,
      CallerScopedDicomweb dicomweb, ShareLinkEvents events, AuthProperties auth) {
    this.redemption = redemption;
    this.events = events;
    this.records = records;
    this.archive = archive;
    this.dicomweb = dicomweb;
    this.baseUrl = auth.issuer();
    this.clock = Clock.systemUTC();
  }

  @GetMapping("/share/{token}")
  public void page(@PathVariable String token, HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (throttled(request, response)) {
      return;
    }
    Optional<ShareLink> link = redemption.openable(token, request);
    if (link.isEmpty()) {
      gone(request, response);
      return;
    }
    if (wantsJson(request)) {
      send(response, 200, Map.of("pinRequired", link.get().hasPin(), "expiresAt", link.get().expiresAt().toString()));
    } else {
      html(response, 200, SharePage.open(link.get(), null));
    }
  }

  @PostMapping("/share/{token}")
  public void redeem(@PathVariable String token, @RequestParam(name = "pin", required = false) String pin,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (throttled(request, response)) {
      return;
    }
    ShareRedemption.Result result = redemption.redeem(token, pin, request);
    switch (result.outcome()) {
      case GONE -> gone(request, response);
      case PIN_REQUIRED -> refuse(request, response, 400, "pin_required", "This link needs its PIN.", result.link());
      case WRONG_PIN -> refuse(request, response, 403, "wrong_pin", "The PIN was not right.", result.link());
      case REDEEMED -> contents(result.link(), result.session(), false, request, response);
    }
  }

  @GetMapping("/share/s/{session}")
  public void session(@PathVariable String session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ShareLink> link = liveSession(session, request, response);
    if (link.isEmpty()) {
      return;
    }
    contents(link.get(), session, true, request, response);
  }

  @GetMapping("/share/s/{session}/images.zip")
  public void images(@PathVariable String session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ShareLink> link = liveSession(session, request, response);
    if (link.isEmpty()) {
      return;
    }
    archive.write(link.get(), request, response);
  }

  @RequestMapping("/share/s/{session}/dicomweb/**")
  public void dicomweb(@PathVariable String session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ShareLink> link = liveSession(session, request, response);
    if (link.isEmpty()) {
      return;
    }
    String prefix = request.getContextPath() + "/share/s/" + session + "/dicomweb";
    String pathInfo = request.getRequestURI().substring(prefix.length());
    dicomweb.serve(ShareLinkHolders.holder(link.get().id().toString()), pathInfo,
        sessionBase(session) + "/dicomweb", withoutSecret(request, session, link.get()), response);
  }

  /** The session's link while it may be used; otherwise the 410 page has been sent and this is empty. */
  private Optional<ShareLink> liveSession(String session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ShareLink> link = redemption.session(session);
    if (link.isEmpty()) {
      gone(request, response);
    }
    return link;
  }

  /** The request as the audit trail and the logs see it: the session's secret replaced by the link's id. */
  private static HttpServletRequest withoutSecret(HttpServletRequest request, String session, ShareLink link) {
    String masked = "session-of-link-" + link.id();
    return new HttpServletRequestWrapper(request) {
      @Override
      public String getRequestURI() {
        return super.getRequestURI().replace(session, masked);
      }

      @Override
      public StringBuffer getRequestURL() {
        return new StringBuffer(super.getRequestURL().toString().replace(session, masked));
      }
    };
  }

  /**
   * The link's records; {@code view}: shown again in the session, recorded before the answer is
   * written (a redemption was recorded as such).
   */
  private void contents(ShareLink link, String session, boolean view, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    SharedRecords.Contents contents = records.of(link);
    if (view) {
      try {
        events.viewed(link, request, contents.decided());
      } catch (RuntimeException notRecorded) {
        log.error("Share link {}: a view could not be recorded; nothing is shown", link.id(), notRecorded);
        if (wantsJson(request)) {
          send(response, 500, Map.of("error", "not_recorded", "error_description", UNRECORDED));
        } else {
          html(response, 500, SharePage.unrecorded());
        }
        return;
      }
    }
    String base = sessionBase(session);
    if (!wantsJson(request)) {
      html(response, 200, SharePage.contents(link, contents, base, clock.instant()));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("session", base);
    body.put("expiresAt", link.expiresAt().toString());
    body.put("recipientLabel", link.recipientLabel());
    body.put("images", base + "/images.zip");
    body.put("dicomweb", base + "/dicomweb");
    body.put("studies", contents.studies());
    body.put("reports", contents.reports());
    send(response, 200, body);
  }

  private String sessionBase(String session) {
    return baseUrl + "/share/s/" + session;
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error, String message,
      ShareLink link) throws IOException {
    if (wantsJson(request)) {
      send(response, status, Map.of("error", error, "error_description", message));
    } else {
      html(response, status, SharePage.open(link, message));
    }
  }

  /** 429 with Retry-After, the same for every token, when the client's address failed too often. */
  private boolean throttled(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<Duration> wait = redemption.throttled(request);
    if (wait.isEmpty()) {
      return false;
    }
    response.setHeader("Retry-After", String.valueOf(wait.get().toSeconds()));
    if (wantsJson(request)) {
      send(response, 429, Map.of("error", "too_many_attempts",
          "error_description", "Too many attempts from your address. Try again later."));
    } else {
      html(response, 429, SharePage.throttled());
    }
    return true;
  }

  private void gone(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (wantsJson(request)) {
      send(response, 410, Map.of("error", "gone", "error_description", "This link is not available."));
    } else {
      html(response, 410, SharePage.gone());
    }
  }

  private static boolean wantsJson(HttpServletRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains(JSON) && !accept.contains("text/html");
  }

  private static void html(HttpServletResponse response, int status, String page) throws IOException {
    response.setStatus(status);
    response.setContentType(HTML);
    response.getWriter().write(page);
  }

  private void send(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType(JSON);
    json.writeValue(response.getOutputStream(), body);
  }
}
