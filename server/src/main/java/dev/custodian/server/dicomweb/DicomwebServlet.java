package dev.custodian.server.dicomweb;

import dev.custodian.audit.RestInteraction;
import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.multipart.ContentType;
import dev.custodian.dicom.multipart.MultipartParseException;
import dev.custodian.dicom.multipart.MultipartRelatedReader;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.scope.Interaction;
import dev.custodian.server.policy.CallerFromToken;
import dev.custodian.server.storage.BlobIntegrityException;
import dev.custodian.server.storage.BlobNotFoundException;
import dev.custodian.server.storage.StudyKeyUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The DICOMweb endpoint at {@code /dicomweb} (PS3.18): routes STOW-RS, QIDO-RS and WADO-RS requests,
 * resolves the caller from the verified bearer token, asks the policy through {@link StudyAccess}
 * (a study the caller may not see answers exactly like one that does not exist) and records every
 * request in the audit trail. Client mistakes get a 4xx with a short reason, never a stack trace.
 */
class DicomwebServlet extends HttpServlet {

  private static final Logger log = LoggerFactory.getLogger(DicomwebServlet.class);
  static final String DICOM_JSON = "application/dicom+json";
  static final String NOT_FOUND = "No such study, series or instance.";

  private final transient CallerFromToken callers = new CallerFromToken();
  private final transient StudyIndex index;
  private final transient StudyAccess access;
  private final transient StowService stow;
  private final transient QidoSearch qido;
  private final transient WadoService wado;
  private final transient DicomwebAudit audit;
  private final String base;
  private final long maxStowBytes;
  private final transient StowRefusal stowRefusal;

  DicomwebServlet(StudyIndex index, StudyAccess access, StowService stow, QidoSearch qido, WadoService wado,
      DicomwebAudit audit, String base, long maxStowBytes, StowRefusal stowRefusal) {
    this.maxStowBytes = maxStowBytes;
    this.stowRefusal = stowRefusal;
    this.index = index;
    this.access = access;
    this.stow = stow;
    this.qido = qido;
    this.wado = wado;
    this.audit = audit;
    this.base = base;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    handle(caller(), request.getPathInfo(), base, false, request, response);
  }

  /**
   * Serves one DICOMweb request at {@code pathInfo} (below the base) for {@code caller}, with URLs in
   * the answers under {@code answerBase}; {@code readOnly} refuses STOW-RS (405).
   */
  void handle(Caller caller, String pathInfo, String answerBase, boolean readOnly, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    DicomwebRoute route = DicomwebRoute.of(request.getMethod(), pathInfo);
    if (readOnly && route.kind() == DicomwebRoute.Kind.STOW) {
      route = DicomwebRoute.of("PUT", pathInfo);
    }
    DicomwebAudit.Entry entry = audit.begin(request, response, route.interaction(), caller);
    // nothing of the answer leaves before the record is written; handlers write to this
    HeldUntilRecorded answer = new HeldUntilRecorded(response, entry::recordBeforeAnswer);
    int status;
    try {
      status = serve(route, caller, answerBase, request, answer, entry);
    } catch (BrokenOff recorded) {
      throw recorded;
    } catch (RuntimeException | IOException failure) {
      if (!entry.unrecordable()) {
        throw failure;
      }
      status = withhold(answer, failure);
    }
    try {
      entry.recordAtEnd(status);
    } catch (DicomwebAudit.NotRecorded failure) {
      status = withhold(answer, failure);
    }
    answer.sendHeld();
    if (status == 413) {
      stowRefusal.finish(request, response);
    }
  }

  private int serve(DicomwebRoute route, Caller caller, String answerBase, HttpServletRequest request,
      HeldUntilRecorded response, DicomwebAudit.Entry entry) throws IOException {
    try {
      if (caller == null) {
        entry.failed("no usable caller in the token");
        return error(response, 403, "This token does not identify a caller that may use DICOMweb.");
      }
      return switch (route.kind()) {
        case STOW -> stow(route, caller, request, response, entry);
        case QIDO -> qido(route, caller, answerBase, request, response, entry);
        case WADO, METADATA, BULK -> wado(route, caller, answerBase, request, response, entry);
        case NOT_ALLOWED -> error(response, 405, "Method not allowed here.");
        case UNKNOWN -> error(response, 404, "Not a DICOMweb resource.");
      };
    } catch (BrokenOff recorded) {
      throw recorded;
    } catch (RuntimeException | IOException failure) {
      if (entry.unrecordable()) {
        throw failure; // the record could not be written: handle() withholds the answer
      }
      if (failure instanceof BlobIntegrityException tampered) {
        entry.failed("stored instance failed its integrity check: " + tampered.getMessage());
        log.error("DICOMweb: a stored instance failed its integrity check ({})", request.getRequestURI());
        return failAfterStart(response, entry, 500, "A stored instance failed its integrity check.");
      }
      entry.failed("server failure: " + failure);
      log.error("DICOMweb request {} {} failed", request.getMethod(), request.getRequestURI(), failure);
      return failAfterStart(response, entry, 500, "The request could not be completed.");
    }
  }

  /**
   * The request's audit record could not be written: its answer is replaced by a 500 that says so
   * (the held bytes were never sent), or, when it had started streaming after its first record and
   * the record of its later failure failed, broken off.
   */
  private static int withhold(HeldUntilRecorded response, Exception failure) throws IOException {
    log.error("DICOMweb: the audit record could not be written; the answer is withheld", failure);
    if (response.released()) {
      throw new BrokenOff("its failure could not be recorded");
    }
    String requestId = response.getHeader(DicomwebAudit.REQUEST_ID);
    response.reset();
    response.setHeader(DicomwebAudit.REQUEST_ID, requestId);
    return error(response, 500, "The audit record of this request could not be written, so the answer is withheld.");
  }

  /**
   * Before the answer started: a plain error. After it started: break the answer off (so the
   * client cannot take a truncated body for a complete one), once the failure is recorded.
   */
  private static int failAfterStart(HeldUntilRecorded response, DicomwebAudit.Entry entry, int status, String message)
      throws IOException {
    if (!response.released()) {
      String requestId = response.getHeader(DicomwebAudit.REQUEST_ID);
      response.reset();
      response.setHeader(DicomwebAudit.REQUEST_ID, requestId);
      return error(response, status, message);
    }
    try {
      entry.recordAtEnd(status);
    } catch (DicomwebAudit.NotRecorded notRecorded) {
      log.error("DICOMweb: the failure of a started answer could not be recorded", notRecorded);
    }
    throw new BrokenOff(message);
  }

  /** A response that had started and was broken off, its failure already recorded. */
  private static final class BrokenOff extends IOException {
    BrokenOff(String message) {
      super("response broken off: " + message);
    }
  }

  private Caller caller() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication instanceof JwtAuthenticationToken jwt) {
      try {
        return callers.caller(jwt.getToken());
      } catch (RuntimeException invalid) {
        return null;
      }
    }
    return null;
  }

  private int stow(DicomwebRoute route, Caller caller, HttpServletRequest request, HttpServletResponse response,
      DicomwebAudit.Entry entry) throws IOException {
    ContentType type;
    try {
      type = ContentType.parse(request.getContentType());
    } catch (MultipartParseException malformed) {
      return error(response, 415, "STOW-RS takes multipart/related; type=\"application/dicom\".");
    }
    String partType = type.parameter("type");
    if (!type.mediaType().equals("multipart/related")
        || partType != null && !partType.toLowerCase(Locale.ROOT).equals("application/dicom")) {
      return error(response, 415, "STOW-RS takes multipart/related; type=\"application/dicom\".");
    }
    if (route.study() != null && !StowService.isUid(route.study())) {
      return error(response, 400, "The study in the URL is not a UID.");
    }
    if (caller.has(Role.PATIENT) || caller.has(Role.REPRESENTATIVE)
        || !caller.scopes().permits(Interaction.CREATE, "ImagingStudy")) {
      entry.failed("STOW-RS needs a staff or system caller whose scopes allow ImagingStudy create");
      return error(response, 403, "Storing instances needs a staff or system token with ImagingStudy create.");
    }
    if (request.getContentLengthLong() > maxStowBytes) {
      return tooLarge(response, entry);
    }
    StowResult result;
    StowBodyLimit body = new StowBodyLimit(request.getInputStream(), maxStowBytes);
    try {
      MultipartRelatedReader parts = MultipartRelatedReader.fromContentType(body, request.getContentType());
      result = stow.store(parts, route.study(), caller, base, entry);
    } catch (MultipartParseException malformed) {
      if (body.exceeded()) {
        return tooLarge(response, entry);
      }
      return error(response, 400, "Not a multipart/related body: " + malformed.getMessage());
    } catch (IOException | RuntimeException failed) {
      if (body.exceeded()) {
        return tooLarge(response, entry);
      }
      throw failed; // (StowService kept nothing this request added)
    }
    if (result.isEmpty()) {
      return error(response, 400, "The request has no instances.");
    }
    String failures = result.failures();
    if (failures != null) {
      entry.failed(failures);
    }
    response.setStatus(result.status());
    response.setContentType(DICOM_JSON);
    Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
    result.writeJson(out, route.study() != null);
    return result.status();
  }

  /** 413: the body is over the limit; nothing of it was kept ({@link StowRefusal} sends it once it is recorded). */
  private int tooLarge(HttpServletResponse response, DicomwebAudit.Entry entry) throws IOException {
    entry.failed("STOW-RS request body over " + maxStowBytes + " bytes");
    return StowRefusal.answer(response, maxStowBytes);
  }

  private int qido(DicomwebRoute route, Caller caller, String base, HttpServletRequest request, HttpServletResponse response,
      DicomwebAudit.Entry entry) throws IOException {
    if (!accepts(request, DICOM_JSON, "application/json")) {
      return error(response, 406, "QIDO-RS answers in application/dicom+json.");
    }
    QidoQuery query;
    try {
      query = QidoQuery.parse(route.level(), route.study(), route.series(), request.getParameterMap());
    } catch (QidoQuery.BadRequest bad) {
      entry.failed(bad.getMessage());
      return error(response, 400, bad.getMessage());
    }
    List<QidoSearch.Row> rows = qido.run(query, caller, entry);
    response.setStatus(200);
    response.setContentType(DICOM_JSON);
    Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
    QidoSearch.write(rows, query, base, out);
    return 200;
  }

  private int wado(DicomwebRoute route, Caller caller, String base, HttpServletRequest request, HeldUntilRecorded response,
      DicomwebAudit.Entry entry) throws IOException {
    boolean metadata = route.kind() == DicomwebRoute.Kind.METADATA;
    boolean acceptable = metadata ? accepts(request, DICOM_JSON, "application/json")
        : accepts(request, "multipart/related", null);
    if (!acceptable) {
      return error(response, 406, metadata ? "Metadata is application/dicom+json."
          : "Retrieval answers multipart/related; type=\"application/dicom\" (or application/octet-stream for bulk data).");
    }
    if (!StowService.isUid(route.study()) || route.series() != null && !StowService.isUid(route.series())
        || route.instance() != null && !StowService.isUid(route.instance())) {
      return error(response, 404, NOT_FOUND);
    }
    Optional<StudyAccess.Judged> judged = access.retrieve(caller, route.study());
    if (judged.isPresent()) {
      entry.requested(judged.get().study().imagingStudyReference());
      entry.touched(judged.get().audited());
    }
    if (judged.isEmpty() || !judged.get().permitted()) {
      return error(response, 404, NOT_FOUND);
    }
    List<StudyIndex.Instance> instances = index.instances(route.study(), route.series(), route.instance());
    if (instances.isEmpty()) {
      return error(response, 404, NOT_FOUND);
    }
    try {
      switch (route.kind()) {
        case METADATA -> wado.metadata(route.study(), instances, base, response);
        case BULK -> {
          if (!wado.bulk(instances.get(0), route.bulkPath(), response)) {
            return error(response, 404, "No bulk data at this path.");
          }
        }
        default -> wado.instances(route.study(), instances, response);
      }
    } catch (StudyKeyUnavailableException | BlobNotFoundException gone) {
      entry.failed("stored instance unavailable: " + gone.getMessage());
      return failAfterStart(response, entry, 404, NOT_FOUND);
    } catch (DicomParseException unreadable) {
      entry.failed("stored instance unreadable: " + unreadable.getMessage());
      return failAfterStart(response, entry, 500, "A stored instance could not be read.");
    }
    return 200;
  }

  /** Whether the Accept header admits one of the media types (absent, or a wildcard, admits all). */
  static boolean accepts(HttpServletRequest request, String type, String alternative) {
    String accept = request.getHeader("Accept");
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String range : accept.split(",")) {
      String media = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
      if (media.equals("*/*") || media.equals(type) || media.equals(alternative)
          || media.endsWith("/*") && type.startsWith(media.substring(0, media.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  static int error(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(message + "\n");
    return status;
  }
}
