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
 */
@ConfigurationProperties(prefix = "custodian.dicomweb")
public record DicomwebProperties(String patientIdSystem, DataSize maxStowRequestSize) {

  static final String DEFAULT_PATIENT_ID_SYSTEM = "https://custodian.dev/fhir/sid/mrn";
  static final DataSize DEFAULT_MAX_STOW_REQUEST_SIZE = DataSize.ofGigabytes(2);

  public DicomwebProperties {
    patientIdSystem = patientIdSystem == null || patientIdSystem.isBlank() ? DEFAULT_PATIENT_ID_SYSTEM : patientIdSystem;
    maxStowRequestSize = maxStowRequestSize == null ? DEFAULT_MAX_STOW_REQUEST_SIZE : maxStowRequestSize;
    if (maxStowRequestSize.toBytes() <= 0) {
      throw new IllegalArgumentException("custodian.dicomweb.max-stow-request-size must be positive");
    }
  }
}
