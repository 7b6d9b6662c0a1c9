package dev.custodian.server.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Demo data ({@code custodian.demo.*}; the command-line switches {@code --demo} and
 * {@code --synthetic-patients=N} set these).
 *
 * @param enabled load the demo records (alice, bruno, dr.chen, dr.diaz, …) at start
 * @param syntheticPatients also load this many synthetic patients with CT studies and reports
 */
@ConfigurationProperties(prefix = "custodian.demo")
public record DemoProperties(boolean enabled, int syntheticPatients) {}
