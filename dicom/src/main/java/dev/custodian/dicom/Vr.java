package dev.custodian.dicom;

/**
 * Value representations (PS3.5 6.2) with the few properties the codec acts on.
 */
public enum Vr {
    AE(Kind.ASCII_TEXT, 0, false),
    AS(Kind.ASCII_TEXT, 0, false),
    AT(Kind.TAG, 2, false),
    CS(Kind.ASCII_TEXT, 0, false),
    DA(Kind.ASCII_TEXT, 0, false),
    DS(Kind.NUMBER_TEXT, 0, false),
    DT(Kind.ASCII_TEXT, 0, false),
    FD(Kind.FLOAT, 8, false),
    FL(Kind.FLOAT, 4, false),
    IS(Kind.NUMBER_TEXT, 0, false),
    LO(Kind.TEXT, 0, false),
    LT(Kind.TEXT, 0, false),
    OB(Kind.BINARY, 1, true),
    OD(Kind.BINARY, 8, true),
    OF(Kind.BINARY, 4, true),
    OL(Kind.BINARY, 4, true),
    OV(Kind.BINARY, 8, true),
    OW(Kind.BINARY, 2, true),
    PN(Kind.TEXT, 0, false),
    SH(Kind.TEXT, 0, false),
    SL(Kind.INTEGER, 4, false),
    SQ(Kind.SEQUENCE, 0, true),
    SS(Kind.INTEGER, 2, false),
    ST(Kind.TEXT, 0, false),
    SV(Kind.INTEGER, 8, true),
    TM(Kind.ASCII_TEXT, 0, false),
    UC(Kind.TEXT, 0, true),
    UI(Kind.ASCII_TEXT, 0, false),
    UL(Kind.INTEGER, 4, false),
    UN(Kind.BINARY, 1, true),
    UR(Kind.ASCII_TEXT, 0, true),
    US(Kind.INTEGER, 2, false),
    UT(Kind.TEXT, 0, true),
    UV(Kind.INTEGER, 8, true);

    /** How a value of this VR is encoded. */
    public enum Kind {
        /** Text in the Specific Character Set (SH, LO, ST, LT, UC, UT, PN). */
        TEXT,
        /** Text restricted to the default repertoire (AE, CS, DA, UI, ...). */
        ASCII_TEXT,
        /** Decimal or integer string (DS, IS): text on the wire, a number in JSON. */
        NUMBER_TEXT,
        /** Binary integers (US, SS, UL, SL, SV, UV). */
        INTEGER,
        /** IEEE floats (FL, FD). */
        FLOAT,
        /** Attribute tags: pairs of 16-bit words. */
        TAG,
        /** Opaque bytes (OB, OW, OD, OF, OL, OV, UN). */
        BINARY,
        SEQUENCE
    }

    private final Kind kind;
    private final int unitSize;
    private final boolean longHeader;

    Vr(Kind kind, int unitSize, boolean longHeader) {
        this.kind = kind;
        this.unitSize = unitSize;
        this.longHeader = longHeader;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Size of the unit whose bytes are swapped between big and little endian
     * (OW: 2, OF: 4, FD: 8 ...), 1 or 0 when byte order does not matter.
     */
    public int unitSize() {
        return unitSize;
    }

    /** Explicit VR encodes these with 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
    public boolean hasLongExplicitHeader() {
        return longHeader;
    }

    /** Backslash separates values; false for VRs whose single value may contain one. */
    public boolean isMultiValuedText() {
        return switch (this) {
            case LT, ST, UT, UR -> false;
            default -> kind == Kind.TEXT || kind == Kind.ASCII_TEXT || kind == Kind.NUMBER_TEXT;
        };
    }

    public boolean isText() {
        return kind == Kind.TEXT || kind == Kind.ASCII_TEXT || kind == Kind.NUMBER_TEXT;
    }

    /** VRs whose value PS3.18 allows as BulkDataURI in DICOM JSON (F.2.6). */
    public boolean mayBeBulkData() {
        return switch (this) {
            case DS, FL, FD, IS, LT, OB, OD, OF, OL, OV, OW, SL, SS, ST, SV, UL, UN, US, UT, UV -> true;
            default -> false;
        };
    }

    /** The VR for a two-letter code, or null if the code is not a VR. */
    public static Vr of(int c1, int c2) {
        if (c1 < 'A' || c1 > 'Z' || c2 < 'A' || c2 > 'Z') {
            return null;
        }
        return BY_CODE[(c1 - 'A') * 26 + (c2 - 'A')];
    }

    public static Vr of(String code) {
        return code.length() == 2 ? of(code.charAt(0), code.charAt(1)) : null;
    }

    private static final Vr[] BY_CODE = new Vr[26 * 26];

    static {
        for (Vr vr : values()) {
            String n = vr.name();
            BY_CODE[(n.charAt(0) - 'A') * 26 + (n.charAt(1) - 'A')] = vr;
        }
    }
}
