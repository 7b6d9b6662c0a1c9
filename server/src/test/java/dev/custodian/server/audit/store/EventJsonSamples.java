package dev.custodian.server.audit.store;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** JSON texts for the tests of the stored forms. */
final class EventJsonSamples {

  private EventJsonSamples() {}

  /** Adler-32 of {@code server/src/main/resources/audit/event-dictionary-1.json}, as first released. */
  static final long DICTIONARY_1_ADLER32 = 1890626567L;

  /** An AuditEvent-like JSON text of varying length and content. */
  static byte[] json(Random random, int n) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"AuditEvent\",\"n\":").append(n).append(",\"entity\":[");
    int entities = 1 + random.nextInt(40);
    for (int i = 0; i < entities; i++) {
      json.append(i == 0 ? "" : ",").append("{\"what\":{\"reference\":\"ImagingStudy/s-")
          .append(Long.toHexString(random.nextLong())).append("\"},\"détail\":\"").append(random.nextInt()).append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The dictionary with values filled in again, as a read event of the demo has them. */
  static byte[] readEvent(byte[] dictionary) {
    return new String(dictionary, StandardCharsets.UTF_8).strip()
        .replace("\"Patient/\"", "\"Patient/alice\"").replace("\"ImagingStudy/\"", "\"ImagingStudy/alice-ct-chest\"")
        .replace("jti:", "jti:e687b270-0299-4456-85b5-99935bd0c1a3").replace("\"value\":\"\"", "\"value\":\"BlOl0E5gvCmKQudH\"")
        .getBytes(StandardCharsets.UTF_8);
  }
}
