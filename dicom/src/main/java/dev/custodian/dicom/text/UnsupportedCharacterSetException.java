package dev.custodian.dicom.text;

/** Specific Character Set names a repertoire we cannot decode. */
public class UnsupportedCharacterSetException extends Exception {
    private final String value;

    public UnsupportedCharacterSetException(String value) {
        super("unsupported Specific Character Set '" + value + "'");
        this.value = value;
    }

    public String value() {
        return value;
    }
}
