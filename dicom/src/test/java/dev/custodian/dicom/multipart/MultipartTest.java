package dev.custodian.dicom.multipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartTest {

    /** Delivers at most n bytes per read (n from a seeded random), to split boundaries across reads. */
    static InputStream trickle(byte[] data, long seed, int max) {
        Random r = new Random(seed);
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(max)));
            }
        };
    }

    static List<byte[]> readAll(MultipartRelatedReader r, List<PartHeaders> headers) throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        for (Part p = r.next(); p != null; p = r.next()) {
            headers.add(p.headers());
            bodies.add(p.body().readAllBytes());
        }
        return bodies;
    }

    private static byte[] write(String boundary, List<byte[]> bodies) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MultipartRelatedWriter w = new MultipartRelatedWriter(out, boundary)) {
            for (int i = 0; i < bodies.size(); i++) {
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Content-Type", "application/dicom");
                h.put("Content-Location", "/part/" + i);
                w.writePart(h, bodies.get(i));
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 70_000})
    void roundTripWithPartsLargerThanTheBufferAndBoundariesSplitAcrossReads(int maxChunk) throws IOException {
        String boundary = MultipartRelatedWriter.newBoundary();
        Random rnd = new Random(maxChunk);
        List<byte[]> bodies = new ArrayList<>();
        for (int size : new int[] {0, 1, 2, 75, 1000, 5000, 300_000}) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            bodies.add(b);
        }
        // bodies that look almost like delimiters
        bodies.add(("\r\n--" + boundary.substring(0, boundary.length() - 1) + "x\r\n--").getBytes(StandardCharsets.US_ASCII));
        bodies.add(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
        bodies.add("\r\n\r\n\r".getBytes(StandardCharsets.US_ASCII));
        byte[] message = write(boundary, bodies);
        List<PartHeaders> headers = new ArrayList<>();
        MultipartRelatedReader r = new MultipartRelatedReader(trickle(message, maxChunk, maxChunk), boundary, 512);
        List<byte[]> read = readAll(r, headers);
        assertThat(read).hasSameSizeAs(bodies);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(read.get(i)).as("part " + i).isEqualTo(bodies.get(i));
            assertThat(headers.get(i).get("content-location")).isEqualTo("/part/" + i);
            assertThat(headers.get(i).contentType()).isEqualTo("application/dicom");
        }
    }

    @Test
    void preambleEpilogueQuotedBoundaryPaddingAndFolding() throws IOException {
        String msg = "This is a preamble\r\n--a b:c\r\n"
                + "Content-Type: application/dicom\r\n"
                + "X-Long: first\r\n  second\r\n\r\n"
                + "BODY1\r\n--a b:c  \t\r\n"
                + "\r\n"
                + "BODY2\r\n\r\n--a b:c--\r\nepilogue --a b:c\r\n";
        MultipartRelatedReader r = MultipartRelatedReader.fromContentType(
                new ByteArrayInputStream(msg.getBytes(StandardCharsets.ISO_8859_1)),
                "Multipart/Related; type=\"application/dicom\"; BOUNDARY=\"a b:c\"");
        List<PartHeaders> headers = new ArrayList<>();
        List<byte[]> bodies = readAll(r, headers);
        assertThat(bodies).extracting(b -> new String(b, StandardCharsets.ISO_8859_1))
                .containsExactly("BODY1", "BODY2\r\n");
        assertThat(headers.get(0).get("X-LONG")).isEqualTo("first second");
        assertThat(headers.get(1).entries()).isEmpty();
        assertThat(r.next()).isNull();
    }

    @Test
    void unreadBodiesAreSkipped() throws IOException {
        byte[] msg = write("xyz", List.of(new byte[100_000], "second".getBytes()));
        MultipartRelatedReader r = new MultipartRelatedReader(new ByteArrayInputStream(msg), "xyz", 256);
        Part first = r.next();
        first.body().read(new byte[10]);
        Part second = r.next();
        assertThat(first.body().read()).isEqualTo(-1);
        assertThat(new String(second.body().readAllBytes())).isEqualTo("second");
        assertThat(r.next()).isNull();
    }

    @Test
    void missingClosingBoundaryIsAnError() {
        String msg = "--b\r\nContent-Type: x/y\r\n\r\nbody without end";
        assertThatThrownBy(() -> readAll(new MultipartRelatedReader(
                new ByteArrayInputStream(msg.getBytes()), "b"), new ArrayList<>()))
                .isInstanceOf(MultipartParseException.class).hasMessageContaining("closing boundary");
        String msg2 = "--b\r\n\r\nbody\r\n--b\r\n";
        assertThatThrownBy(() -> readAll(new MultipartRelatedReader(
                new ByteArrayInputStream(msg2.getBytes()), "b"), new ArrayList<>()))
                .isInstanceOf(MultipartParseException.class);
    }

    /** Orthanc's DICOMweb plugin sends a 73-character boundary (two UUIDs); we read it. */
    @Test
    void boundariesLongerThanRfc2046sSeventyAreRead() throws IOException {
        String boundary = "e65ea87c-2404-43de-b78b-804cecdfc4b3-e65ea87c-2404-43de-b78b-804cecdfc4b3";
        String message = "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\none\r\n--" + boundary
                + "\r\n\r\ntwo\r\n--" + boundary + "--\r\n";
        List<byte[]> parts = readAll(MultipartRelatedReader.fromContentType(
                new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)),
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary), new ArrayList<>());
        assertThat(parts).extracting(p -> new String(p, StandardCharsets.US_ASCII)).containsExactly("one", "two");
    }

    @Test
    void malformedMessages() {
        assertThatThrownBy(() -> new MultipartRelatedReader(new ByteArrayInputStream("no boundary here".getBytes()), "b").next())
                .isInstanceOf(MultipartParseException.class).hasMessageContaining("no boundary");
        assertThatThrownBy(() -> new MultipartRelatedReader(new ByteArrayInputStream("--bX\r\n".getBytes()), "b").next())
                .isInstanceOf(MultipartParseException.class).hasMessageContaining("CRLF");
        assertThatThrownBy(() -> new MultipartRelatedReader(new ByteArrayInputStream(
                "--b\r\nno colon\r\n\r\n".getBytes()), "b").next())
                .isInstanceOf(MultipartParseException.class).hasMessageContaining("header");
        String huge = "--b\r\nX: " + "a".repeat(20_000) + "\r\n\r\n";
        assertThatThrownBy(() -> new MultipartRelatedReader(new ByteArrayInputStream(huge.getBytes()), "b").next())
                .isInstanceOf(MultipartParseException.class).hasMessageContaining("16384");
        assertThatThrownBy(() -> MultipartRelatedReader.fromContentType(InputStream.nullInputStream(), "application/dicom"))
                .isInstanceOf(MultipartParseException.class);
        assertThatThrownBy(() -> MultipartRelatedReader.fromContentType(InputStream.nullInputStream(), "multipart/related"))
                .hasMessageContaining("no boundary parameter");
        assertThatThrownBy(() -> new MultipartRelatedReader(InputStream.nullInputStream(), "x".repeat(201)))
                .isInstanceOf(MultipartParseException.class);
        assertThatThrownBy(() -> new MultipartRelatedWriter(new java.io.ByteArrayOutputStream(), "x".repeat(71)))
                .isInstanceOf(MultipartParseException.class);
    }

    @Test
    void contentTypeParsing() throws MultipartParseException {
        ContentType ct = ContentType.parse("multipart/related; type=\"application/dicom+xml\"; boundary=\"q\\\"x\";x=1");
        assertThat(ct.mediaType()).isEqualTo("multipart/related");
        assertThat(ct.parameter("TYPE")).isEqualTo("application/dicom+xml");
        assertThat(ct.parameter("boundary")).isEqualTo("q\"x");
        assertThat(ct.parameter("x")).isEqualTo("1");
        String header = MultipartRelatedWriter.contentType("application/dicom", "a b");
        assertThat(header).isEqualTo("multipart/related; type=\"application/dicom\"; boundary=\"a b\"");
        assertThat(ContentType.parse(header).parameter("boundary")).isEqualTo("a b");
    }

    @Test
    void writerFormat() throws IOException {
        byte[] msg = write("B", List.of("one".getBytes(), "two".getBytes()));
        assertThat(new String(msg, StandardCharsets.US_ASCII)).isEqualTo(
                "--B\r\nContent-Type: application/dicom\r\nContent-Location: /part/0\r\n\r\none"
                        + "\r\n--B\r\nContent-Type: application/dicom\r\nContent-Location: /part/1\r\n\r\ntwo"
                        + "\r\n--B--\r\n");
        assertThatThrownBy(() -> new MultipartRelatedWriter(new ByteArrayOutputStream(), "B")
                .beginPart(Map.of("X", "a\r\nInjected: 1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
