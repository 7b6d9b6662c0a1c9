package dev.custodian.server.ig;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs Custodian's implementation guide (the NPM package built by the {@code ig/} module and
 * shipped on the classpath) into the server's database at start, offline, before the server takes
 * requests: its profiles are then served as StructureDefinitions and used by the validator.
 * A package already installed unchanged is not installed again.
 */
public class ImplementationGuideInstaller implements SmartInitializingSingleton {

  /** Where the {@code ig/} module puts the packed package. */
  public static final String PACKAGE_RESOURCE = "/ig/custodian-ig.tgz";

  private static final Logger log = LoggerFactory.getLogger(ImplementationGuideInstaller.class);

  private final IPackageInstallerSvc installer;
  private final IHapiPackageCacheManager packageCache;
  private final Batch2JobRegisterer jobRegisterer;

  public ImplementationGuideInstaller(
      IPackageInstallerSvc installer,
      IHapiPackageCacheManager packageCache,
      Batch2JobRegisterer jobRegisterer) {
    this.installer = installer;
    this.packageCache = packageCache;
    this.jobRegisterer = jobRegisterer;
  }

  @Override
  public void afterSingletonsInstantiated() {
    long started = System.nanoTime();
    byte[] contents = readPackage();
    NpmPackage npm;
    try {
      npm = NpmPackage.fromPackage(new java.io.ByteArrayInputStream(contents));
    } catch (IOException e) {
      throw new UncheckedIOException("The implementation guide package is unreadable", e);
    }
    if (alreadyInstalled(npm, contents)) {
      log.info("Implementation guide {}#{} is installed and unchanged", npm.name(), npm.version());
      return;
    }
    // A new SearchParameter starts a reindex job; the job definitions must be registered first.
    jobRegisterer.start();
    PackageInstallationSpec spec =
        new PackageInstallationSpec()
            .setName(npm.name())
            .setVersion(npm.version())
            .setPackageContents(contents)
            .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL);
    spec.setFetchDependencies(false);
    spec.setInstallResourceTypes(
                List.of(
                    "StructureDefinition",
                    "SearchParameter",
                    "CodeSystem",
                    "ValueSet",
                    "CapabilityStatement"));
    installer.install(spec);
    log.info(
        "Installed implementation guide {}#{} in {} ms",
        npm.name(),
        npm.version(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The same package, byte for byte, was installed by an earlier start: installing again would only cost time. */
  private boolean alreadyInstalled(NpmPackage npm, byte[] contents) {
    IHapiPackageCacheManager.PackageContents installed =
        packageCache.loadPackageContents(npm.name(), npm.version());
    return installed != null && Arrays.equals(installed.getBytes(), contents);
  }

  private static byte[] readPackage() {
    try (InputStream in = ImplementationGuideInstaller.class.getResourceAsStream(PACKAGE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The implementation guide package " + PACKAGE_RESOURCE + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
