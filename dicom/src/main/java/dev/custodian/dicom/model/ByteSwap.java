package dev.custodian.dicom.model;

/** In-place byte order reversal of fixed-size units (big endian to little endian). */
final class ByteSwap {
    private ByteSwap() {
    }

    static void swap(byte[] b, int unit) {
        if (unit <= 1) {
            return;
        }
        int whole = b.length - b.length % unit; // a stray tail of a corrupt value stays as is
        for (int i = 0; i < whole; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
