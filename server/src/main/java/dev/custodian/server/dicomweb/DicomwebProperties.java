package dev.custodian.server.dicomweb;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * DICOMweb ({@code custodian.dicomweb.*}).
 *
 * @param patientIdSystem the Patient identifier system a DICOM Patient ID without a URI Issuer of
 *     Patient ID is matched in
 * @param maxStowRequestSize the largest STOW-RS request body accepted (default 2 GiB); a larger one
 *     is answered 413 and nothing of it is kept
 * @param stowRefusalDrain how much more of a body over the limit is read and dropped after its 413
 *     was sent (default 64 MiB), so that a client that sends its whole body before reading the answer
 *     still gets the 413; past it the connection is closed (see {@code StowRefusal})
 */
@ConfigurationProperties(prefix = "custodian.dicomweb")
public record DicomwebProperties(String patientIdSystem, DataSize maxStowRequestSize, DataSize stowRefusalDrain) {

  static final String DEFAULT_PATIENT_ID_SYSTEM = "https://custodian.dev/fhir/sid/mrn";
  static final DataSize DEFAULT_MAX_STOW_REQUEST_SIZE = DataSize.ofGigabytes(2);
  static final DataSize DEFAULT_STOW_REFUSAL_DRAIN = DataSize.ofMegabytes(64);

  public DicomwebProperties {
    patientIdSystem = patientIdSystem == null || patientIdSystem.isBlank() ? DEFAULT_PATIENT_ID_SYSTEM : patientIdSystem;
    maxStowRequestSize = maxStowRequestSize == null ? DEFAULT_MAX_STOW_REQUEST_SIZE : maxStowRequestSize;
    if (maxStowRequestSize.toBytes() <= 0) {
      throw new IllegalArgumentException("custodian.dicomweb.max-stow-request-size must be positive");
    }
    stowRefusalDrain = stowRefusalDrain == null ? DEFAULT_STOW_REFUSAL_DRAIN : stowRefusalDrain;
    if (stowRefusalDrain.toBytes() < 0) {
      throw new IllegalArgumentException("custodian.dicomweb.stow-refusal-drain must not be negative");
    }
  }
}
