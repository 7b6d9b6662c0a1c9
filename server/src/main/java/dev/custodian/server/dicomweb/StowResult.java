package dev.custodian.server.dicomweb;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a STOW-RS request: each instance stored (ReferencedSOPSequence, with its
 * RetrieveURL) or not (FailedSOPSequence, with its Failure Reason), the HTTP status that follows
 * (200 all stored, 202 some, 409 none) and the response body in DICOM JSON.
 */
final class StowResult {

  /** One instance; {@code failure} null when it was stored. */
  record Item(String sopClassUid, String sopInstanceUid, String retrieveUrl, StowFailure failure, String why) {}

  private final List<Item> items = new ArrayList<>();
  private final String studyRetrieveUrl;

  StowResult(String studyRetrieveUrl) {
    this.studyRetrieveUrl = studyRetrieveUrl;
  }

  void stored(String sopClassUid, String sopInstanceUid, String retrieveUrl) {
    items.add(new Item(sopClassUid, sopInstanceUid, retrieveUrl, null, null));
  }

  void failed(String sopClassUid, String sopInstanceUid, StowFailure failure, String why) {
    items.add(new Item(sopClassUid, sopInstanceUid, null, failure, why));
  }

  /** Turns stored instances into failures (their study could not be linked). */
  void unstore(List<String> sopInstanceUids, StowFailure failure, String why) {
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item.failure() == null && sopInstanceUids.contains(item.sopInstanceUid())) {
        items.set(i, new Item(item.sopClassUid(), item.sopInstanceUid(), null, failure, why));
      }
    }
  }

  List<Item> items() {
    return List.copyOf(items);
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  int status() {
    long stored = items.stream().filter(item -> item.failure() == null).count();
    if (stored == items.size()) {
      return 200;
    }
    return stored == 0 ? 409 : 202;
  }

  /** The failures, for the audit trail. */
  String failures() {
    return items.stream().filter(item -> item.failure() != null)
        .map(item -> (item.sopInstanceUid() == null ? "a part" : item.sopInstanceUid()) + ": " + item.why())
        .reduce((a, b) -> a + "; " + b).orElse(null);
  }

  /** The Store Instances Response Module: one DICOM JSON data set (an object, not an array, as peers such as Orthanc expect). */
  void writeJson(Writer out, boolean oneStudy) throws IOException {
    DicomJson json = new DicomJson(out);
    json.beginDataset();
    if (oneStudy && studyRetrieveUrl != null) {
      json.string(DicomTags.RETRIEVE_URL, "UR", studyRetrieveUrl);
    }
    List<Item> failed = items.stream().filter(item -> item.failure() != null).toList();
    List<Item> stored = items.stream().filter(item -> item.failure() == null).toList();
    if (!failed.isEmpty()) {
      json.beginSequence(DicomTags.FAILED_SOP_SEQUENCE);
      for (Item item : failed) {
        json.beginDataset()
            .string(DicomTags.REFERENCED_SOP_CLASS_UID, "UI", item.sopClassUid())
            .string(DicomTags.REFERENCED_SOP_INSTANCE_UID, "UI", item.sopInstanceUid())
            .number(DicomTags.FAILURE_REASON, "US", item.failure().code())
            .endDataset();
      }
      json.endSequence();
    }
    if (!stored.isEmpty()) {
      json.beginSequence(DicomTags.REFERENCED_SOP_SEQUENCE);
      for (Item item : stored) {
        json.beginDataset()
            .string(DicomTags.REFERENCED_SOP_CLASS_UID, "UI", item.sopClassUid())
            .string(DicomTags.REFERENCED_SOP_INSTANCE_UID, "UI", item.sopInstanceUid())
            .string(DicomTags.RETRIEVE_URL, "UR", item.retrieveUrl())
            .endDataset();
      }
      json.endSequence();
    }
    json.endDataset().flush();
  }
}
