package dev.custodian.server.demo;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import dev.custodian.server.auth.DemoAccounts;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Loads the demo records and any synthetic patients at start, when asked to. Runs before the
 * server reports ready. Idempotent: a second load changes nothing.
 */
public class DemoDataLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);
  private static final int PATIENTS_PER_TRANSACTION = 25;

  private final DemoProperties properties;
  private final RecordWriter writer;
  private final DemoAccounts accounts;
  private final String dicomwebBase;

  /** {@code dicomwebBase}: this server's public DICOMweb base URL, the demo WADO-RS Endpoint's address. */
  public DemoDataLoader(
      DemoProperties properties, IFhirSystemDao<Bundle, ?> systemDao, DemoAccounts accounts, String dicomwebBase) {
    this.properties = properties;
    this.dicomwebBase = dicomwebBase;
    this.writer = new RecordWriter(systemDao);
    this.accounts = accounts;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (properties.enabled() || properties.syntheticPatients() > 0) {
      loadDemo();
    }
    if (properties.syntheticPatients() > 0) {
      loadSynthetic(properties.syntheticPatients());
    }
  }

  /** The fixed demo records (alice, bruno, dr.chen, dr.diaz, …) and their sign-in accounts. */
  public void loadDemo() {
    long started = System.nanoTime();
    List<Resource> records = DemoRecords.all(dicomwebBase);
    writer.write(records);
    accounts.create();
    log.info("Demo records and accounts loaded ({} resources) in {} ms", records.size(), millisSince(started));
  }

  /** Synthetic patients 1..count, each with two CT studies and their reports. */
  public void loadSynthetic(int count) {
    long started = System.nanoTime();
    List<Resource> batch = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      batch.addAll(SyntheticPatients.patient(n));
      if (n % PATIENTS_PER_TRANSACTION == 0 || n == count) {
        writer.write(batch);
        batch.clear();
        if (n % 250 == 0 || n == count) {
          log.info("Synthetic patients loaded: {}/{}", n, count);
        }
      }
    }
    log.info("{} synthetic patients loaded in {} ms", count, millisSince(started));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
