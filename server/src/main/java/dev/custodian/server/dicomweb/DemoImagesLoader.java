package dev.custodian.server.dicomweb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode: gives every demo ImagingStudy its generated CT series ({@link DemoCtImages}), stored
 * through the STOW-RS path into the encrypted blob store, so WADO-RS and the apps have images to
 * serve. Runs once the demo records are loaded; idempotent (a study whose instances are all
 * stored is left alone).
 */
class DemoImagesLoader {

  static final List<String> DEMO_STUDIES = List.of("alice-ct-chest", "alice-ct-head", "bruno-ct-abdomen", "bruno-ct-chest");
  /** The implementation class UID written into the demo files' meta information. */
  static final String IMPLEMENTATION_CLASS_UID = "2.25.302613412393587016339166417040154227221";

  private static final Logger log = LoggerFactory.getLogger(DemoImagesLoader.class);

  private final ImagingStudyLink link;
  private final StudyIndex index;
  private final StowService stow;
  private final String base;

  DemoImagesLoader(ImagingStudyLink link, StudyIndex index, StowService stow, String base) {
    this.link = link;
    this.index = index;
    this.stow = stow;
    this.base = base;
  }

  void load() {
    long started = System.nanoTime();
    int stored = 0;
    for (String id : DEMO_STUDIES) {
      Optional<ImagingStudy> study = link.read(id);
      if (study.isEmpty()) {
        continue;
      }
      String studyUid = study.get().getIdentifierFirstRep().getValue().replaceFirst("^urn:oid:", "");
      if (index.instances(studyUid, null, null).size() >= study.get().getNumberOfInstances()) {
        continue;
      }
      Patient patient = link.readPatient(study.get().getSubject().getReference());
      try {
        StowResult result = stow.storeAsServer(DemoCtImages.of(study.get(), patient, studyUid, IMPLEMENTATION_CLASS_UID), base);
        if (result.status() != 200) {
          throw new IllegalStateException("demo images of " + id + " were not all stored: " + result.failures());
        }
        stored += result.items().size();
      } catch (IOException e) {
        throw new UncheckedIOException("demo images of " + id, e);
      }
    }
    if (stored > 0) {
      log.info("Demo images stored ({} CT instances) in {} ms", stored, (System.nanoTime() - started) / 1_000_000);
    }
  }
}
