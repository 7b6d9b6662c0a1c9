package dev.custodian.server.dicomweb;

import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * STOW-RS bodies far larger than the test server's limit, made as they are sent (never whole in
 * memory), counting how many bytes the client got to send.
 */
final class StreamedStowBody {

  private static final Map<String, String> PART = Map.of("Content-Type", "application/dicom");

  final String boundary = MultipartRelatedWriter.newBoundary();
  /** Bytes handed to the HTTP client so far. */
  final AtomicLong sent = new AtomicLong();

  String contentType() {
    return MultipartRelatedWriter.contentType("application/dicom", boundary);
  }

  /** {@code first} as a whole part, then a part of zeros: exactly {@code length} bytes in all. */
  InputStream declared(byte[] first, long length) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      MultipartRelatedWriter writer = new MultipartRelatedWriter(head, boundary);
      writer.writePart(PART, first);
      writer.beginPart(PART).flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long zeros = length - head.size();
    InputStream filler = new InputStream() {
      long left = zeros;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
    return counted(new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), filler));
  }

  /** {@code count} instances, each made only when the client is about to send it, and the close delimiter. */
  InputStream instances(IntFunction<byte[]> instance, int count) {
    ByteArrayOutputStream part = new ByteArrayOutputStream();
    MultipartRelatedWriter writer;
    try {
      writer = new MultipartRelatedWriter(part, boundary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Iterator<InputStream> parts = Stream.concat(IntStream.rangeClosed(1, count).boxed(), Stream.of(-1)).map(n -> {
      part.reset();
      try {
        if (n > 0) {
          writer.writePart(PART, instance.apply(n));
        } else {
          writer.finish();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return (InputStream) new ByteArrayInputStream(part.toByteArray());
    }).iterator();
    Enumeration<InputStream> lazily = new Enumeration<>() {
      @Override
      public boolean hasMoreElements() {
        return parts.hasNext();
      }

      @Override
      public InputStream nextElement() {
        return parts.next();
      }
    };
    return counted(new SequenceInputStream(lazily));
  }

  private InputStream counted(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          sent.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          sent.addAndGet(n);
        }
        return n;
      }
    };
  }
}
