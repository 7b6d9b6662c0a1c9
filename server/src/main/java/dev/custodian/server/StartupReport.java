package dev.custodian.server;

import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs, once the server takes requests, where it listens and how long it took from JVM launch. */
@Component
class StartupReport {

  private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

  @EventListener
  void onReady(ApplicationReadyEvent event) {
    long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    String where = "";
    if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
      where = " at http://localhost:" + web.getWebServer().getPort() + "/fhir";
    }
    log.info("Custodian ready{} in {} s (from JVM launch)", where, String.format("%.1f", millis / 1000.0));
  }
}
