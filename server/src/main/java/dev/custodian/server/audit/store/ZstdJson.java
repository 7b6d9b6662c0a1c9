package dev.custodian.server.audit.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictContentType;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An audit event's JSON as stored since V23: one zstd frame (RFC 8878) at level 1, with {@link
 * EventDictionary#ONE} as raw-content dictionary, so the {@code zstd} tool reads it given the
 * dictionary file ({@code zstd -d -D event-dictionary-1.json}). libzstd does the work, through
 * zstd-jni; this class digests the dictionary once and reuses compression contexts.
 *
 * <p>Why zstd and not zlib, which stored events from V21 to V22 ({@link DeflatedJson}): zlib loads
 * its preset dictionary into every stream again, which cost as much as compressing the event itself
 * (about 1.5 % of an audited read's CPU in session 13's profile, some 130 KB of zlib state touched
 * per event). zstd digests the dictionary once into tables every context refers to, and writes
 * smaller output: a read event in 193 bytes instead of 207. Audit on/off read ratio against zlib,
 * builds side by side in interleaved rounds: +0.05 and +0.03 (session 13, a prototype), 0.81 → 0.85
 * ({@code BASELINE=} run of {@code bench/overhead.sh audit}, session 14).
 */
final class ZstdJson {

  private ZstdJson() {}

  /** The first four bytes of every zstd frame (RFC 8878, 3.1.1), little-endian 0xFD2FB528. */
  private static final byte[] MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
  /**
   * zstd's fastest regular level. Level 3 wrote 7 % smaller events but gained less throughput in
   * session 13's runs (−0.01 and +0.04 against zlib, where level 1 gave +0.05 and +0.03).
   */
  static final int LEVEL = 1;
  /** Largest JSON a stored event may inflate to; far above any real event (a few KB). */
  private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

  private static final ZstdDictCompress FOR_COMPRESSION =
      new ZstdDictCompress(EventDictionary.ONE, LEVEL, ZstdDictContentType.RAW_CONTENT);
  private static final ZstdDictDecompress FOR_DECOMPRESSION =
      new ZstdDictDecompress(EventDictionary.ONE, ZstdDictContentType.RAW_CONTENT);

  /**
   * Contexts to reuse: each holds its own buffers outside the Java heap (some hundred KB at this
   * level), which a new one allocates again; the same reasoning and bound as the zlib deflaters had
   * (session 11: a fresh deflater per event cost 0.14 ms of CPU per read). A request takes one, or
   * makes one when all are in use; at most {@link #POOLED} are kept.
   */
  private static final int POOLED = 16;
  private static final BlockingQueue<ZstdCompressCtx> CONTEXTS = new ArrayBlockingQueue<>(POOLED);
  /** Decompression contexts, reused the same way: an auditor's page reads hundreds of events. */
  private static final BlockingQueue<ZstdDecompressCtx> READ_CONTEXTS = new ArrayBlockingQueue<>(POOLED);

  /**
   * Throws IllegalStateException, saying why, when libzstd cannot be used here (zstd-jni bundles it
   * for the common platforms and unpacks it into {@code java.io.tmpdir}): without it no access could
   * be recorded, so the server should refuse to start rather than refuse every request.
   */
  static void requireWorking() {
    try {
      byte[] json = "{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8);
      if (!decompress(compress(json)).equals(new String(json, StandardCharsets.UTF_8))) {
        throw new IllegalStateException("zstd gave back other bytes than it was given");
      }
    } catch (LinkageError | RuntimeException e) {
      throw new IllegalStateException("The audit trail cannot compress events: zstd (zstd-jni) does not work on this"
          + " platform (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch")
          + "; it unpacks its native library into java.io.tmpdir, which must allow executing it): " + e, e);
    }
  }

  /** Whether {@code stored} starts as a zstd frame does. */
  static boolean isFrame(byte[] stored) {
    if (stored.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (stored[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] compress(byte[] json) {
    ZstdCompressCtx context = CONTEXTS.poll();
    if (context == null) {
      context = newContext();
    }
    boolean reusable = false;
    try {
      byte[] frame = context.compress(json);
      reusable = true;
      return frame;
    } finally {
      // the context keeps its level and dictionary from frame to frame; each frame starts afresh
      if (!reusable || !CONTEXTS.offer(context)) {
        context.close();
      }
    }
  }

  /**
   * The JSON of {@code frame}; IllegalArgumentException when it is no complete zstd frame of an
   * event (its size is always in the header, as {@link #compress} writes it).
   */
  static String decompress(byte[] frame) {
    long size;
    try {
      size = Zstd.getFrameContentSize(frame);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a zstd frame: " + e.getMessage(), e);
    }
    if (size < 0 || size > MAX_JSON_BYTES) {
      throw new IllegalArgumentException("not a zstd frame of an audit event (content size " + size + ")");
    }
    ZstdDecompressCtx context = READ_CONTEXTS.poll();
    if (context == null) {
      context = new ZstdDecompressCtx();
      context.loadDict(FOR_DECOMPRESSION);
    }
    boolean reusable = false;
    try {
      byte[] json = context.decompress(frame, (int) size);
      reusable = true;
      if (json.length != size) {
        throw new IllegalArgumentException("truncated zstd frame: " + json.length + " of " + size + " bytes");
      }
      return new String(json, StandardCharsets.UTF_8);
    } catch (ZstdException e) {
      throw new IllegalArgumentException("not a readable zstd frame: " + e.getMessage(), e);
    } finally {
      // a frame that failed to decode may leave the context mid-frame: it is not reused
      if (!reusable || !READ_CONTEXTS.offer(context)) {
        context.close();
      }
    }
  }

  private static ZstdCompressCtx newContext() {
    ZstdCompressCtx context = new ZstdCompressCtx();
    context.setLevel(LEVEL);
    context.setContentSize(true);
    context.setChecksum(false); // the hash chain covers the content; a checksum adds 4 bytes per event
    context.loadDict(FOR_COMPRESSION);
    return context;
  }
}
