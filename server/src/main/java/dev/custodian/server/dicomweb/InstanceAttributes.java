package dev.custodian.server.dicomweb;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the DICOM index keeps of one instance: top-level attributes of its data set (text decoded
 * with its Specific Character Set, first value, padding removed; binary US values as numbers) and
 * its transfer syntax. Filled by {@link InstanceScanner} while the instance streams into the blob
 * store.
 */
final class InstanceAttributes {

  private final Map<Integer, String> values = new TreeMap<>(Integer::compareUnsigned);
  private String transferSyntaxUid;

  void put(int tag, String value) {
    if (value != null && !value.isEmpty()) {
      values.putIfAbsent(tag, value);
    }
  }

  void transferSyntaxUid(String uid) {
    this.transferSyntaxUid = uid;
  }

  String transferSyntaxUid() {
    return transferSyntaxUid;
  }

  /** The value, or null when absent or empty. */
  String get(int tag) {
    return values.get(tag);
  }

  /** The value as an integer, or null when absent or not an integer. */
  Integer integer(int tag) {
    String value = values.get(tag);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.strip().replaceFirst("^\\+", ""));
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }
}
