package dev.custodian.dicom.testutil;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Builds small Part 10 files in any supported transfer syntax for tests, so unit
 * tests need no binary fixtures. Values are given in little endian and swapped by
 * VR unit size for big endian. Not a general DICOM writer: it writes exactly what
 * it is told, including broken things when a test wants them.
 */
public final class DicomBuilder {

    /** A node of the data set tree. */
    public sealed interface Node permits Elem, Seq, Frags, Raw {
    }

    public record Elem(int tag, Vr vr, byte[] littleEndian) implements Node {
    }

    public record Seq(int tag, boolean undefinedLength, List<Item> items, Vr vr) implements Node {
    }

    public record Item(boolean undefinedLength, List<Node> nodes) {
    }

    public record Frags(int tag, List<byte[]> fragments) implements Node {
    }

    /** Bytes written verbatim (for malformed input). */
    public record Raw(byte[] bytes) implements Node {
    }

    private final TransferSyntax ts;
    private final List<Node> nodes = new ArrayList<>();

    public DicomBuilder(TransferSyntax ts) {
        this.ts = ts;
    }

    public DicomBuilder add(Node n) {
        nodes.add(n);
        return this;
    }

    public DicomBuilder str(int tag, Vr vr, String value) {
        return add(text(tag, vr, value, StandardCharsets.ISO_8859_1));
    }

    public static Elem text(int tag, Vr vr, String value, Charset cs) {
        byte[] b = value.getBytes(cs);
        if ((b.length & 1) == 1) {
            byte[] p = new byte[b.length + 1];
            System.arraycopy(b, 0, p, 0, b.length);
            p[b.length] = (byte) (vr == Vr.UI ? 0 : ' ');
            b = p;
        }
        return new Elem(tag, vr, b);
    }

    /** A short LO element, for filler. */
    public static Elem str2(int tag) {
        return text(tag, Vr.LO, "XY", StandardCharsets.US_ASCII);
    }

    public static Elem us(int tag, int... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putShort((short) v);
        }
        return new Elem(tag, Vr.US, bb.array());
    }

    public static Elem fd(int tag, double... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bb.putDouble(v);
        }
        return new Elem(tag, Vr.FD, bb.array());
    }

    public static Elem at(int tag, int... tags) {
        ByteBuffer bb = ByteBuffer.allocate(tags.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : tags) {
            bb.putShort((short) (t >>> 16)).putShort((short) t);
        }
        return new Elem(tag, Vr.AT, bb.array());
    }

    public static Seq seq(int tag, boolean undefined, Item... items) {
        return new Seq(tag, undefined, List.of(items), Vr.SQ);
    }

    public static Item item(boolean undefined, Node... nodes) {
        return new Item(undefined, List.of(nodes));
    }

    /** The complete Part 10 file. */
    public byte[] build() {
        return part10(ts.uid(), dataset());
    }

    /** The encoded data set (deflated if the syntax says so). */
    public byte[] dataset() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : nodes) {
            encode(n, out, ts.explicitVr(), ts.bigEndian());
        }
        byte[] ds = out.toByteArray();
        return ts.deflated() ? deflate(ds) : ds;
    }

    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** Preamble, DICM, meta group (with group length) and the given data set bytes. */
    public static byte[] part10(String tsUid, byte[] dataset) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        encode(new Elem(0x00020001, Vr.OB, new byte[] {0, 1}), meta, true, false);
        encode(text(0x00020002, Vr.UI, "1.2.840.10008.5.1.4.1.1.2", StandardCharsets.US_ASCII), meta, true, false);
        encode(text(0x00020003, Vr.UI, "1.2.3.4.5", StandardCharsets.US_ASCII), meta, true, false);
        encode(text(0x00020010, Vr.UI, tsUid, StandardCharsets.US_ASCII), meta, true, false);
        encode(text(0x00020012, Vr.UI, "1.2.3.999", StandardCharsets.US_ASCII), meta, true, false);
        byte[] m = meta.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer gl = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(m.length);
        encode(new Elem(0x00020000, Vr.UL, gl.array()), out, true, false);
        out.writeBytes(m);
        out.writeBytes(dataset);
        return out.toByteArray();
    }

    private static void encode(Node n, ByteArrayOutputStream out, boolean explicit, boolean big) {
        if (n instanceof Raw r) {
            out.writeBytes(r.bytes());
        } else if (n instanceof Elem e) {
            byte[] v = e.littleEndian().clone();
            if (big) {
                swap(v, e.vr() == Vr.AT ? 2 : e.vr().unitSize());
            }
            header(out, e.tag(), e.vr(), v.length, explicit, big);
            out.writeBytes(v);
        } else if (n instanceof Seq s) {
            boolean un = s.vr() == Vr.UN;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Item it : s.items()) {
                // CP-246: the content of a UN sequence is implicit VR little endian
                encodeItem(it, body, !un && explicit, !un && big);
            }
            if (s.undefinedLength()) {
                header(out, s.tag(), s.vr(), 0xFFFFFFFFL, explicit, big);
                out.writeBytes(body.toByteArray());
                tag(out, 0xFFFEE0DD, big);
                u32(out, 0, big);
            } else {
                header(out, s.tag(), s.vr(), body.size(), explicit, big);
                out.writeBytes(body.toByteArray());
            }
        } else if (n instanceof Frags f) {
            header(out, f.tag(), Vr.OB, 0xFFFFFFFFL, explicit, big);
            for (byte[] frag : f.fragments()) {
                tag(out, 0xFFFEE000, big);
                u32(out, frag.length, big);
                out.writeBytes(frag);
            }
            tag(out, 0xFFFEE0DD, big);
            u32(out, 0, big);
        }
    }

    private static void encodeItem(Item it, ByteArrayOutputStream out, boolean explicit, boolean big) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Node n : it.nodes()) {
            encode(n, body, explicit, big);
        }
        tag(out, 0xFFFEE000, big);
        u32(out, it.undefinedLength() ? 0xFFFFFFFFL : body.size(), big);
        out.writeBytes(body.toByteArray());
        if (it.undefinedLength()) {
            tag(out, 0xFFFEE00D, big);
            u32(out, 0, big);
        }
    }

    private static void header(ByteArrayOutputStream out, int tag, Vr vr, long len, boolean explicit, boolean big) {
        tag(out, tag, big);
        if (!explicit) {
            u32(out, len, big);
            return;
        }
        out.write(vr.name().charAt(0));
        out.write(vr.name().charAt(1));
        if (vr.hasLongExplicitHeader()) {
            out.write(0);
            out.write(0);
            u32(out, len, big);
        } else {
            u16(out, (int) len, big);
        }
    }

    private static void tag(ByteArrayOutputStream out, int tag, boolean big) {
        u16(out, tag >>> 16, big);
        u16(out, tag & 0xFFFF, big);
    }

    private static void u16(ByteArrayOutputStream out, int v, boolean big) {
        if (big) {
            out.write(v >>> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >>> 8);
        }
    }

    private static void u32(ByteArrayOutputStream out, long v, boolean big) {
        if (big) {
            u16(out, (int) (v >>> 16), true);
            u16(out, (int) v, true);
        } else {
            u16(out, (int) v, false);
            u16(out, (int) (v >>> 16), false);
        }
    }

    private static void swap(byte[] b, int unit) {
        if (unit <= 1) {
            return;
        }
        for (int i = 0; i + unit <= b.length; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
