package dev.custodian.server.dicomweb;

import dev.custodian.audit.RestInteraction;

/**
 * What a request to {@code /dicomweb} asks for, from its method and path:
 *
 * <pre>
 * POST /studies[/{study}]                                          STOW-RS
 * GET  /studies, /series, /instances                               QIDO-RS (all studies, series, instances)
 * GET  /studies/{study}/series, /studies/{study}/instances,
 *      /studies/{study}/series/{series}/instances                  QIDO-RS
 * GET  /studies/{study}[/series/{series}[/instances/{instance}]]   WADO-RS instances
 * GET  ...[/metadata]                                              WADO-RS metadata
 * GET  /studies/{s}/series/{se}/instances/{i}/bulk/{path}          WADO-RS bulk data
 * </pre>
 */
record DicomwebRoute(Kind kind, QidoLevel level, String study, String series, String instance, String bulkPath) {

  enum Kind {
    STOW,
    QIDO,
    WADO,
    METADATA,
    BULK,
    NOT_ALLOWED,
    UNKNOWN
  }

  /** The audit trail's name for it. */
  RestInteraction interaction() {
    return switch (kind) {
      case STOW -> RestInteraction.CREATE;
      case WADO, METADATA, BULK -> RestInteraction.READ;
      default -> RestInteraction.SEARCH_TYPE;
    };
  }

  static DicomwebRoute of(String method, String pathInfo) {
    String path = pathInfo == null ? "" : pathInfo;
    String[] p = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {path};
    int n = p.length;
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (n == 0 || !p[0].equals("studies") && !p[0].equals("series") && !p[0].equals("instances")) {
      return unknown();
    }
    if (n == 1) {
      if (p[0].equals("studies") && method.equals("POST")) {
        return new DicomwebRoute(Kind.STOW, null, null, null, null, null);
      }
      QidoLevel level = p[0].equals("studies") ? QidoLevel.STUDY : p[0].equals("series") ? QidoLevel.SERIES : QidoLevel.INSTANCE;
      return get ? new DicomwebRoute(Kind.QIDO, level, null, null, null, null) : notAllowed();
    }
    if (!p[0].equals("studies") || p[1].isEmpty()) {
      return unknown();
    }
    String study = p[1];
    if (n == 2 && method.equals("POST")) {
      return new DicomwebRoute(Kind.STOW, null, study, null, null, null);
    }
    DicomwebRoute route = read(p, study);
    if (route.kind() == Kind.UNKNOWN || get) {
      return route;
    }
    return notAllowed();
  }

  private static DicomwebRoute read(String[] p, String study) {
    int n = p.length;
    if (n == 2) {
      return new DicomwebRoute(Kind.WADO, null, study, null, null, null);
    }
    if (n == 3) {
      return switch (p[2]) {
        case "metadata" -> new DicomwebRoute(Kind.METADATA, null, study, null, null, null);
        case "series" -> new DicomwebRoute(Kind.QIDO, QidoLevel.SERIES, study, null, null, null);
        case "instances" -> new DicomwebRoute(Kind.QIDO, QidoLevel.INSTANCE, study, null, null, null);
        default -> unknown();
      };
    }
    if (!p[2].equals("series") || p[3].isEmpty()) {
      return unknown();
    }
    String series = p[3];
    if (n == 4) {
      return new DicomwebRoute(Kind.WADO, null, study, series, null, null);
    }
    if (n == 5) {
      return switch (p[4]) {
        case "metadata" -> new DicomwebRoute(Kind.METADATA, null, study, series, null, null);
        case "instances" -> new DicomwebRoute(Kind.QIDO, QidoLevel.INSTANCE, study, series, null, null);
        default -> unknown();
      };
    }
    if (!p[4].equals("instances") || p[5].isEmpty()) {
      return unknown();
    }
    String instance = p[5];
    if (n == 6) {
      return new DicomwebRoute(Kind.WADO, null, study, series, instance, null);
    }
    if (n == 7 && p[6].equals("metadata")) {
      return new DicomwebRoute(Kind.METADATA, null, study, series, instance, null);
    }
    if (n >= 8 && p[6].equals("bulk")) {
      return new DicomwebRoute(Kind.BULK, null, study, series, instance, String.join("/", java.util.Arrays.copyOfRange(p, 7, n)));
    }
    return unknown();
  }

  private static DicomwebRoute unknown() {
    return new DicomwebRoute(Kind.UNKNOWN, null, null, null, null, null);
  }

  private static DicomwebRoute notAllowed() {
    return new DicomwebRoute(Kind.NOT_ALLOWED, null, null, null, null, null);
  }
}
