package dev.custodian.dicom.dictionary;

import dev.custodian.dicom.Vr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DataDictionaryTest {

    @Test
    void loadsTheGeneratedDictionary() {
        assertThat(DataDictionary.size()).isGreaterThan(4000);
        DictionaryEntry pn = DataDictionary.lookup(0x00100010);
        assertThat(pn.keyword()).isEqualTo("PatientName");
        assertThat(pn.vrs()).containsExactly(Vr.PN);
        assertThat(pn.vm()).isEqualTo("1");
        assertThat(DataDictionary.keyword(0x0020000D)).isEqualTo("StudyInstanceUID");
        assertThat(DataDictionary.implicitVr(0x00081115, -1)).isEqualTo(Vr.SQ);
    }

    @Test
    void retiredEntriesKeepTheirStandardKeyword() {
        DictionaryEntry e = DataDictionary.lookup(0x00000001);
        assertThat(e.keyword()).isEqualTo("CommandLengthToEnd");
        assertThat(e.retired()).isTrue();
    }

    @Test
    void repeatingGroups() {
        assertThat(DataDictionary.lookup(0x60023000).keyword()).isEqualTo("OverlayData");
        assertThat(DataDictionary.implicitVr(0x60023000, -1)).isEqualTo(Vr.OW);
        assertThat(DataDictionary.implicitVr(0x601E0010, -1)).isEqualTo(Vr.US);
        assertThat(DataDictionary.lookup(0x50100005).keyword()).isEqualTo("CurveDimensions");
        assertThat(DataDictionary.lookup(0x00203110).keyword()).isEqualTo("SourceImageIDs");
        assertThat(DataDictionary.lookup(0x7F100010).keyword()).isEqualTo("VariablePixelData");
        // odd groups are private, not repeats
        assertThat(DataDictionary.lookup(0x60013000)).isNull();
    }

    @Test
    void privateAndStructuralTags() {
        assertThat(DataDictionary.implicitVr(0x00090010, -1)).isEqualTo(Vr.LO);
        assertThat(DataDictionary.implicitVr(0x000900FF, -1)).isEqualTo(Vr.LO);
        assertThat(DataDictionary.implicitVr(0x00091010, -1)).isEqualTo(Vr.UN);
        assertThat(DataDictionary.implicitVr(0x00090000, -1)).isEqualTo(Vr.UL);
        assertThat(DataDictionary.implicitVr(0x00080000, -1)).isEqualTo(Vr.UL);
        assertThat(DataDictionary.implicitVr(0x0008FFF0, -1)).isEqualTo(Vr.UN);
    }

    @Test
    void ambiguousVrs() {
        assertThat(DataDictionary.implicitVr(0x7FE00010, -1)).isEqualTo(Vr.OW);
        assertThat(DataDictionary.implicitVr(0x00283006, -1)).isEqualTo(Vr.OW);
        assertThat(DataDictionary.implicitVr(0x00280106, 0)).isEqualTo(Vr.US);
        assertThat(DataDictionary.implicitVr(0x00280106, 1)).isEqualTo(Vr.SS);
        assertThat(DataDictionary.lookup(0x00280106).vrs()).containsExactly(Vr.US, Vr.SS);
    }
}
