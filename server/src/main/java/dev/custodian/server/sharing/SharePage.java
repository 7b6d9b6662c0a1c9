package dev.custodian.server.sharing;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.time.Instant;

/**
 * The share pages, plain HTML: no scripts, no styles, no images, nothing from elsewhere (the
 * Content-Security-Policy allows nothing but a form posting back here). A link that cannot be opened
 * gets one page whatever the reason, naming nothing of what it shared.
 */
final class SharePage {

  private SharePage() {}

  static String gone() {
    return page("Link not available", "<h1>This link is not available</h1>"
        + "<p>It has expired, has been used up or revoked, or never existed. Ask the person who shared it for a new one.</p>");
  }

  /** The page for an address that failed too often lately: the same for every link. */
  static String throttled() {
    return page("Too many attempts", "<h1>Too many attempts</h1>"
        + "<p>There were too many unsuccessful attempts to open shared links from your address. Try again later.</p>");
  }

  /** The access could not be recorded in the audit trail, so nothing of the records is shown. */
  static String unrecorded() {
    return page("Not available right now", "<h1>Not available right now</h1>"
        + "<p>" + ShareController.UNRECORDED + "</p>");
  }

  /** The page of an active link: a button (and a PIN field) to open it, which uses one of its uses. */
  static String open(ShareLink link, String message) {
    StringBuilder body = new StringBuilder("<h1>Shared medical records</h1>");
    if (message != null) {
      body.append("<p><strong>").append(htmlEscape(message)).append("</strong></p>");
    }
    body.append("<p>Opening this link uses one of its ").append(link.maxUses() - link.uses())
        .append(" remaining use(s); once opened, the records and images stay available until ")
        .append(htmlEscape(link.expiresAt().toString())).append(".</p>")
        .append("<form method=\"post\">");
    if (link.hasPin()) {
      body.append("<p><label>PIN <input name=\"pin\" type=\"password\" inputmode=\"numeric\" autocomplete=\"off\""
          + " maxlength=\"12\" required></label></p>");
    }
    body.append("<p><button type=\"submit\">Open</button></p></form>");
    return page("Shared medical records", body.toString());
  }

  /** What a redeemed link shares, with the downloads of its session. */
  static String contents(ShareLink link, SharedRecords.Contents contents, String sessionBase, Instant now) {
    StringBuilder body = new StringBuilder("<h1>Shared medical records</h1>");
    if (link.recipientLabel() != null) {
      body.append("<p>Shared with: ").append(htmlEscape(link.recipientLabel())).append("</p>");
    }
    body.append("<p>Available until ").append(htmlEscape(link.expiresAt().toString()))
        .append(". Keep this page's address private: it opens these records.</p>");
    body.append("<h2>Studies</h2><ul>");
    for (SharedRecords.Study study : contents.studies()) {
      body.append("<li><strong>").append(text(study.description())).append("</strong>")
          .append("<br>Date: ").append(text(study.started()))
          .append("<br>Modality: ").append(text(study.modalities()))
          .append("<br>Body part: ").append(text(study.bodyParts()));
      if (study.studyUid() != null) {
        body.append("<br>DICOMweb (WADO-RS): <code>").append(htmlEscape(sessionBase + "/dicomweb/studies/" + study.studyUid()))
            .append("</code>");
      }
      body.append("</li>");
    }
    body.append("</ul><p><a href=\"").append(htmlEscape(sessionBase + "/images.zip"))
        .append("\">Download the images (ZIP of the DICOM files)</a></p>");
    body.append("<h2>Reports</h2>");
    if (contents.reports().isEmpty()) {
      body.append("<p>No report was shared.</p>");
    }
    for (SharedRecords.Report report : contents.reports()) {
      body.append("<h3>").append(text(report.title())).append("</h3><p>Date: ").append(text(report.date())).append("</p>");
      if (report.conclusion() != null) {
        body.append("<p>Conclusion: ").append(htmlEscape(report.conclusion())).append("</p>");
      }
      if (report.text() != null) {
        body.append("<pre>").append(htmlEscape(report.text())).append("</pre>");
      }
    }
    return page("Shared medical records", body.toString());
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? "—" : htmlEscape(value);
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
        + "<meta name=\"robots\" content=\"noindex, nofollow\"><title>" + htmlEscape(title) + "</title></head><body>"
        + body + "</body></html>";
  }
}
