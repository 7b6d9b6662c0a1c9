package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.Tag;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.dictionary.DataDictionary;
import dev.custodian.dicom.text.SpecificCharacterSet;
import dev.custodian.dicom.text.TextValues;
import dev.custodian.dicom.text.UnsupportedCharacterSetException;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Pull parser for a DICOM Part 10 stream. Call {@link #next()} until it returns
 * {@link DicomEvent#END}; after an {@link DicomEvent#ELEMENT} or
 * {@link DicomEvent#FRAGMENT} the value is pending: take it with
 * {@link #readValue()} (bounded by {@link ReaderOptions#maxValueLength()}), stream
 * it with {@link #valueStream()}, or just call next() again to skip it. Nothing
 * larger than a read buffer is held unless the caller asks for it.
 *
 * <p>Handles implicit VR LE, explicit VR LE/BE, deflated explicit VR LE, defined
 * and undefined lengths, nested sequences, UN with undefined length (CP-246:
 * parsed as an implicit VR LE sequence) and encapsulated pixel data (fragments are
 * reported, never decoded). Every malformed input ends in {@link DicomParseException}.
 *
 * <pre>{@code
 * try (DicomStreamReader r = DicomStreamReader.open(in)) {
 *     for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
 *         if (e == DicomEvent.ELEMENT && r.tag() == Tag.PATIENT_ID) {
 *             byte[] v = r.readValue();
 *         }
 *     }
 * }
 * }</pre>
 */
public final class DicomStreamReader implements Closeable {
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** Defined lengths at or above this are treated as corrupt, not as 4 GiB values. */
    private static final long ABSURD = 0xFFFFFFF0L;

    private enum FrameType { DATASET, SEQUENCE, ITEM, FRAGMENTS }

    /** One open container; end is the absolute end offset or -1 for undefined length. */
    private static final class Frame {
        final FrameType type;
        final int tag;
        final long end;
        final boolean explicitVr;
        final boolean bigEndian;
        SpecificCharacterSet charset;
        int children;

        Frame(FrameType type, int tag, long end, boolean explicitVr, boolean bigEndian,
              SpecificCharacterSet charset) {
            this.type = type;
            this.tag = tag;
            this.end = end;
            this.explicitVr = explicitVr;
            this.bigEndian = bigEndian;
            this.charset = charset;
        }
    }

    private final InputStream source;
    private final DicomInput in;
    private final FileMetaInformation meta;
    private final ReaderOptions options;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private int nesting;

    private DicomEvent event;
    private int tag;
    private Vr vr;
    private long length;
    private long valueOffset;
    private long valueRemaining;
    private int index;
    private boolean valueBigEndian;
    private byte[] eagerValue;
    private int pixelRepresentation = -1;

    private DicomStreamReader(InputStream source, DicomInput in, FileMetaInformation meta, ReaderOptions options) {
        this.source = source;
        this.in = in;
        this.meta = meta;
        this.options = options;
        TransferSyntax ts = meta.transferSyntax();
        stack.push(new Frame(FrameType.DATASET, 0, -1, ts.explicitVr(), ts.bigEndian(),
                SpecificCharacterSet.DEFAULT));
    }

    /** Opens a Part 10 stream with default limits; reads the preamble and file meta now. */
    public static DicomStreamReader open(InputStream in) throws IOException {
        return open(in, ReaderOptions.DEFAULTS, -1);
    }

    /**
     * @param totalLength length of the stream if known (e.g. the file or part size), -1 if not;
     *                    when known, lengths past the end are refused before any skip
     */
    public static DicomStreamReader open(InputStream in, ReaderOptions options, long totalLength)
            throws IOException {
        DicomInput raw = new DicomInput(in, totalLength, false);
        FileMetaInformation meta = FileMetaReader.read(raw, options);
        DicomInput data = raw;
        if (meta.transferSyntax().deflated()) {
            data = new DicomInput(new InflatingInputStream(raw.rest(), options.maxInflatedLength()), -1, true);
        }
        return new DicomStreamReader(in, data, meta, options);
    }

    /** Opens a Part 10 file; its size bounds every length read from it. */
    public static DicomStreamReader open(Path file, ReaderOptions options) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return open(in, options, Files.size(file));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public FileMetaInformation fileMeta() {
        return meta;
    }

    public TransferSyntax transferSyntax() {
        return meta.transferSyntax();
    }

    public ReaderOptions options() {
        return options;
    }

    /** Advances to the next event, skipping any unread part of the current value. */
    public DicomEvent next() throws IOException {
        if (event == DicomEvent.END) {
            return event;
        }
        skipValue();
        eagerValue = null;
        Frame f = stack.peek();
        return switch (f.type) {
            case DATASET -> in.hasMore() ? readElement(f) : end(DicomEvent.END);
            case ITEM -> f.end >= 0 && in.position() >= f.end ? closeFrame(f, DicomEvent.ITEM_END) : readElement(f);
            case SEQUENCE -> readItem(f);
            case FRAGMENTS -> readFragment(f);
        };
    }

    private DicomEvent end(DicomEvent e) {
        event = e;
        return e;
    }

    private DicomEvent closeFrame(Frame f, DicomEvent e) throws DicomParseException {
        if (f.end >= 0 && in.position() != f.end) {
            throw in.error("content of " + Tag.toString(f.tag) + " overruns its defined length");
        }
        stack.pop();
        if (f.type != FrameType.ITEM) {
            nesting--;
        }
        tag = f.tag;
        return end(e);
    }

    private DicomEvent readItem(Frame seq) throws IOException {
        if (seq.end >= 0 && in.position() >= seq.end) {
            return closeFrame(seq, DicomEvent.SEQUENCE_END);
        }
        long at = in.position();
        int t = readTag(seq);
        long len = in.u32(seq.bigEndian, "item length");
        if (t == Tag.ITEM) {
            long end = -1;
            if (len != UNDEFINED) {
                checkFits(at, len, "item of " + Tag.toString(seq.tag));
                end = in.position() + len;
            }
            Frame parent = parentOf(seq);
            stack.push(new Frame(FrameType.ITEM, Tag.ITEM, end, seq.explicitVr, seq.bigEndian, parent.charset));
            index = seq.children++;
            tag = Tag.ITEM;
            length = len == UNDEFINED ? -1 : len;
            valueOffset = in.position();
            return end(DicomEvent.ITEM_START);
        }
        if (t == Tag.SEQUENCE_DELIMITATION_ITEM && seq.end < 0) {
            if (len != 0) {
                throw in.error(at, "sequence delimitation item with non-zero length " + len);
            }
            return closeFrame(seq, DicomEvent.SEQUENCE_END);
        }
        throw in.error(at, "expected an item (FFFE,E000) in sequence " + Tag.toString(seq.tag)
                + ", found " + Tag.toString(t));
    }

    /** The frame below the given one (the data set or item a sequence belongs to). */
    private Frame parentOf(Frame f) {
        boolean seen = false;
        for (Frame x : stack) {
            if (seen) {
                return x;
            }
            seen = x == f;
        }
        return f;
    }

    private DicomEvent readFragment(Frame frags) throws IOException {
        long at = in.position();
        int t = readTag(frags);
        long len = in.u32(frags.bigEndian, "fragment length");
        if (t == Tag.ITEM) {
            if (len == UNDEFINED) {
                throw in.error(at, "pixel data fragment with undefined length");
            }
            checkFits(at, len, "pixel data fragment");
            index = frags.children++;
            return pending(DicomEvent.FRAGMENT, Tag.ITEM, Vr.OB, len, frags.bigEndian);
        }
        if (t == Tag.SEQUENCE_DELIMITATION_ITEM) {
            if (len != 0) {
                throw in.error(at, "sequence delimitation item with non-zero length " + len);
            }
            return closeFrame(frags, DicomEvent.FRAGMENTS_END);
        }
        throw in.error(at, "expected a fragment item (FFFE,E000) in encapsulated pixel data, found "
                + Tag.toString(t));
    }

    private int readTag(Frame f) throws IOException {
        int group = in.u16(f.bigEndian, "tag");
        int element = in.u16(f.bigEndian, "tag");
        return group << 16 | element;
    }

    private DicomEvent readElement(Frame f) throws IOException {
        long at = in.position();
        int t = readTag(f);
        if (Tag.group(t) == 0xFFFE) {
            long len = in.u32(f.bigEndian, "delimiter length");
            if (t == Tag.ITEM_DELIMITATION_ITEM && f.type == FrameType.ITEM && f.end < 0) {
                if (len != 0) {
                    throw in.error(at, "item delimitation item with non-zero length " + len);
                }
                return closeFrame(f, DicomEvent.ITEM_END);
            }
            throw in.error(at, "unexpected " + Tag.toString(t) + " in "
                    + (f.type == FrameType.DATASET ? "the data set" : "a defined-length item"));
        }
        Vr v;
        long len;
        if (f.explicitVr) {
            int c1 = in.u8("VR");
            int c2 = in.u8("VR");
            v = Vr.of(c1, c2);
            if (v == null) {
                throw in.error(at, String.format("invalid VR bytes 0x%02X 0x%02X for element %s",
                        c1, c2, Tag.toString(t)));
            }
            if (v.hasLongExplicitHeader()) {
                in.skip(2, "element header");
                len = in.u32(f.bigEndian, "element length");
            } else {
                len = in.u16(f.bigEndian, "element length");
            }
        } else {
            v = DataDictionary.implicitVr(t, pixelRepresentation);
            len = in.u32(f.bigEndian, "element length");
        }
        f.children++;
        if (len == UNDEFINED) {
            return undefinedLength(f, at, t, v);
        }
        if (len >= ABSURD) {
            throw in.error(at, "absurd length 0x" + Long.toHexString(len).toUpperCase() + " for element "
                    + Tag.toString(t));
        }
        checkFits(at, len, "element " + Tag.toString(t));
        if (v == Vr.SQ) {
            push(at, FrameType.SEQUENCE, t, in.position() + len, f.explicitVr, f.bigEndian, f.charset);
            return header(DicomEvent.SEQUENCE_START, t, Vr.SQ, len);
        }
        if ((len & 1) != 0 && !options.allowOddLengths()) {
            throw in.error(at, "odd value length " + len + " for element " + Tag.toString(t)
                    + " (PS3.5 7.1.1 requires even lengths)");
        }
        pending(DicomEvent.ELEMENT, t, v, len, f.bigEndian);
        if (t == Tag.SPECIFIC_CHARACTER_SET) {
            f.charset = readCharacterSet(at, len);
        } else if (t == Tag.PIXEL_REPRESENTATION && f.type == FrameType.DATASET && len == 2
                && (v == Vr.US || v == Vr.SS)) {
            eagerValue = readValue();
            pixelRepresentation = f.bigEndian ? (eagerValue[0] & 0xFF) << 8 | (eagerValue[1] & 0xFF)
                    : (eagerValue[1] & 0xFF) << 8 | (eagerValue[0] & 0xFF);
        }
        return event;
    }

    private SpecificCharacterSet readCharacterSet(long at, long len) throws IOException {
        if (len > 1024) {
            throw in.error(at, "Specific Character Set value of " + len + " bytes");
        }
        eagerValue = readValue();
        try {
            return SpecificCharacterSet.of(TextValues.split(
                    SpecificCharacterSet.DEFAULT.decode(eagerValue), Vr.CS));
        } catch (UnsupportedCharacterSetException e) {
            throw in.error(at, e.getMessage());
        }
    }

    private DicomEvent undefinedLength(Frame f, long at, int t, Vr v) throws IOException {
        if (v == Vr.SQ || (v == Vr.UN && t != Tag.PIXEL_DATA)) {
            // CP-246: UN of undefined length holds a sequence encoded implicit VR little endian.
            boolean explicit = v == Vr.SQ && f.explicitVr;
            boolean big = v == Vr.SQ && f.bigEndian;
            push(at, FrameType.SEQUENCE, t, -1, explicit, big, f.charset);
            return header(DicomEvent.SEQUENCE_START, t, Vr.SQ, -1);
        }
        if (t == Tag.PIXEL_DATA && (v == Vr.OB || v == Vr.OW || v == Vr.UN)) {
            push(at, FrameType.FRAGMENTS, t, -1, f.explicitVr, f.bigEndian, f.charset);
            return header(DicomEvent.FRAGMENTS_START, t, v == Vr.UN ? Vr.OB : v, -1);
        }
        throw in.error(at, "undefined length is only allowed for sequences and encapsulated pixel data, not for "
                + v + " element " + Tag.toString(t));
    }

    private void push(long at, FrameType type, int t, long end, boolean explicit, boolean big,
                      SpecificCharacterSet cs) throws DicomParseException {
        if (nesting >= options.maxDepth()) {
            throw in.error(at, "sequences nested deeper than " + options.maxDepth() + " levels");
        }
        nesting++;
        stack.push(new Frame(type, t, end, explicit, big, cs));
    }

    /** Refuses a value that cannot fit in its enclosing container or the input. */
    private void checkFits(long at, long len, String what) throws DicomParseException {
        long pos = in.position();
        for (Frame x : stack) {
            if (x.end >= 0) {
                if (pos + len > x.end) {
                    throw in.error(at, "length " + len + " of " + what + " runs past the end of its enclosing "
                            + (x.type == FrameType.ITEM ? "item" : "sequence") + " (" + (x.end - pos)
                            + " bytes left)");
                }
                break;
            }
        }
        long remaining = in.remaining();
        if (len > remaining) {
            throw in.error(at, "length " + len + " of " + what + " runs past the end of the input ("
                    + remaining + " bytes left)");
        }
    }

    private DicomEvent header(DicomEvent e, int t, Vr v, long len) {
        tag = t;
        vr = v;
        length = len;
        valueOffset = in.position();
        valueRemaining = 0;
        index = 0;
        return end(e);
    }

    private DicomEvent pending(DicomEvent e, int t, Vr v, long len, boolean bigEndian) {
        tag = t;
        vr = v;
        length = len;
        valueOffset = in.position();
        valueRemaining = len;
        valueBigEndian = bigEndian;
        return end(e);
    }

    // ---- current event ----

    public DicomEvent event() {
        return event;
    }

    /** Tag of the current element, sequence, or (for ITEM/FRAGMENT events) the item tag. */
    public int tag() {
        return tag;
    }

    /** VR of the current element (from the stream, or the dictionary in implicit VR). */
    public Vr vr() {
        return vr;
    }

    /** Value length of the current element, sequence, item or fragment; -1 if undefined. */
    public long length() {
        return length;
    }

    /** Offset of the current value (just after its header) in the data set stream. */
    public long valueOffset() {
        return valueOffset;
    }

    /** For ITEM_START: the item's index in its sequence; for FRAGMENT: the fragment's index. */
    public int index() {
        return index;
    }

    /** Sequence nesting depth: 0 in the top-level data set. */
    public int depth() {
        return nesting;
    }

    /** True if the current value's bytes are big endian (so multi-byte numbers need swapping). */
    public boolean valueBigEndian() {
        return valueBigEndian;
    }

    /** Offsets are in the inflated stream (deflated transfer syntax), not in the file. */
    public boolean offsetsAreInflated() {
        return in.isInflated();
    }

    /** Specific Character Set in effect for the current item or data set. */
    public SpecificCharacterSet characterSet() {
        return stack.peek().charset;
    }

    /** Pixel Representation (0028,0103) of the top-level data set if seen yet, else -1. */
    public int pixelRepresentation() {
        return pixelRepresentation;
    }

    /** Bytes of the current value not yet consumed. */
    public long valueRemaining() {
        return valueRemaining;
    }

    /**
     * The whole pending value in file byte order. Refused (DicomParseException) when
     * it exceeds {@link ReaderOptions#maxValueLength()}: stream such values instead.
     */
    public byte[] readValue() throws IOException {
        if (eagerValue != null) {
            return eagerValue.clone();
        }
        requireValue();
        if (valueRemaining != length) {
            throw new IllegalStateException("value already partly consumed");
        }
        if (valueRemaining > options.maxValueLength()) {
            throw in.error(valueOffset, "value of " + Tag.toString(tag) + " is " + valueRemaining
                    + " bytes, more than the in-memory limit of " + options.maxValueLength());
        }
        int n = (int) valueRemaining;
        // Grow with the data actually present rather than trusting the length up front:
        // a short stream then costs at most what it contains.
        byte[] out = new byte[Math.min(n, 1 << 20)];
        int filled = 0;
        while (filled < n) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            }
            int k = in.readSome(out, filled, out.length - filled);
            if (k < 0) {
                throw in.error("unexpected end of data inside the value of " + Tag.toString(tag) + " ("
                        + (n - filled) + " bytes missing)");
            }
            filled += k;
        }
        valueRemaining = 0;
        return out;
    }

    /** The pending value as a stream; it ends with the value. Reading past a truncated end throws. */
    public InputStream valueStream() {
        if (eagerValue != null) {
            return new ByteArrayInputStream(eagerValue);
        }
        requireValue();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (valueRemaining == 0 || (event != DicomEvent.ELEMENT && event != DicomEvent.FRAGMENT)) {
                    return -1;
                }
                int k = in.readSome(b, off, (int) Math.min(len, valueRemaining));
                if (k < 0) {
                    throw in.error("unexpected end of data inside the value of " + Tag.toString(tag));
                }
                valueRemaining -= k;
                return k;
            }
        };
    }

    /** Skips the rest of the pending value, if any. */
    public void skipValue() throws IOException {
        if (valueRemaining > 0) {
            long n = valueRemaining;
            valueRemaining = 0;
            in.skip(n, "the value of " + Tag.toString(tag));
        }
    }

    private void requireValue() {
        if (event != DicomEvent.ELEMENT && event != DicomEvent.FRAGMENT) {
            throw new IllegalStateException("no pending value at " + event);
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
