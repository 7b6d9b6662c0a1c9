package dev.custodian.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Tests' own reading and writing of the audit table's JSON, as an auditor with a zlib tool would:
 * {@code event_deflated} (zlib) for events written since V21, {@code event} (text) before.
 */
public final class StoredAuditJson {

  private StoredAuditJson() {}

  /** The JSON of the stored form: {@code deflated} inflated, or {@code text} when not compressed. */
  public static String json(String text, byte[] deflated) {
    if (deflated == null) {
      return text;
    }
    try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(deflated))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code json} as {@code event_deflated} stores it. */
  public static byte[] deflated(String json) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The JSON of every stored event, in sequence order. */
  public static List<String> all(Connection db) throws SQLException {
    List<String> events = new ArrayList<>();
    try (PreparedStatement select = db.prepareStatement(
            "select event, event_deflated from custodian_audit_event order by sequence");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        events.add(json(rows.getString(1), rows.getBytes(2)));
      }
    }
    return events;
  }
}
