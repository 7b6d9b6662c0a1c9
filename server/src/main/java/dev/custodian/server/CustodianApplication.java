package dev.custodian.server;

import dev.custodian.server.storage.KekRotationCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Custodian: a FHIR R4 server for CT imaging records.
 *
 * <p>Command line: {@code --demo} loads the demo records; {@code --synthetic-patients=N} also loads N
 * synthetic patients with studies and reports; {@code --rotate-kek} rotates the blob key-encryption
 * key and exits ({@link KekRotationCommand}). Every other {@code --name=value} is a Spring property.
 */
@SpringBootApplication(
    exclude = {
      DataSourceAutoConfiguration.class,
      HibernateJpaAutoConfiguration.class,
      JpaRepositoriesAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      QuartzAutoConfiguration.class,
      ThymeleafAutoConfiguration.class,
      ElasticsearchRestClientAutoConfiguration.class
    })
@ConfigurationPropertiesScan
public class CustodianApplication {

  public static void main(String[] args) {
    if (Arrays.asList(args).contains(KekRotationCommand.SWITCH)) {
      System.exit(KekRotationCommand.run(
          Arrays.stream(args).filter(arg -> !arg.equals(KekRotationCommand.SWITCH)).toArray(String[]::new)));
    }
    SpringApplication.run(CustodianApplication.class, translate(args));
  }

  /** Maps the documented short switches onto their typed properties. */
  static String[] translate(String[] args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--demo")) {
        out.add("--custodian.demo.enabled=true");
      } else if (arg.startsWith("--synthetic-patients=")) {
        out.add("--custodian.demo.synthetic-patients=" + arg.substring("--synthetic-patients=".length()));
      } else {
        out.add(arg);
      }
    }
    return out.toArray(String[]::new);
  }
}
