package dev.custodian.server.apps;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The SMART apps' static files come from the {@code custodian-smart-apps} jar
 * ({@code META-INF/resources/apps/...}, served by Spring Boot as static content). An app's folder
 * URL answers with its {@code index.html}: {@code /apps/patient/} is the patient app's registered
 * redirect URI, where the standalone launch comes back to.
 */
@Configuration(proxyBeanMethods = false)
public class SmartAppsWebConfig implements WebMvcConfigurer {

  /** The patient app's folder: its launch page, and its redirect URI. */
  public static final String PATIENT_APP = "/apps/patient/";

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController(PATIENT_APP).setViewName("forward:" + PATIENT_APP + "index.html");
    registry.addRedirectViewController("/apps/patient", PATIENT_APP);
  }
}
