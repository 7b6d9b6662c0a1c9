package dev.custodian.server.support;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Tests' own reading and writing of the audit table's JSON, as an auditor with the zstd or a zlib
 * tool would: {@code event_deflated} for events written since V21 (a zstd frame with the dictionary
 * file since V23; zlib before, with the same file as preset dictionary since V22), {@code event}
 * (text) before.
 */
public final class StoredAuditJson {

  private StoredAuditJson() {}

  /**
   * The JSON of the stored form: {@code deflated} inflated (with the dictionary file its header
   * names, as a zlib tool would be given it), or {@code text} when not compressed.
   */
  public static String json(String text, byte[] deflated) {
    if (deflated == null) {
      return text;
    }
    if (deflated.length > 4 && (deflated[0] & 0xff) == 0x28 && (deflated[1] & 0xff) == 0xb5
        && (deflated[2] & 0xff) == 0x2f && (deflated[3] & 0xff) == 0xfd) {
      try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
        zstd.loadDict(Files.readAllBytes(DICTIONARY));
        return new String(zstd.decompress(deflated, (int) Zstd.getFrameContentSize(deflated)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && inflater.needsDictionary()) {
          inflater.setDictionary(Files.readAllBytes(DICTIONARY));
        } else if (n == 0 && inflater.needsInput()) {
          throw new IllegalArgumentException("truncated zlib stream");
        }
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(e);
    } finally {
      inflater.end();
    }
  }

  /** The dictionary events are compressed with, as the repository holds it. */
  private static final Path DICTIONARY = Path.of("src/main/resources/audit/event-dictionary-1.json");

  /** {@code json} as {@code event_deflated} stored it in V21: zlib, no dictionary (still read). */
  public static byte[] deflated(String json) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code json} as {@code event_deflated} stored it in V22: zlib with the dictionary file as preset dictionary. */
  public static byte[] deflatedWithDictionary(String json) {
    try {
      return zlib(json.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(DICTIONARY));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A zlib stream (RFC 1950) of {@code bytes} at the fastest level, with a preset dictionary unless it is null. */
  public static byte[] zlib(byte[] bytes, byte[] dictionary) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      if (dictionary != null) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
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
