package dev.custodian.server.dicomweb;

/** The level a QIDO-RS query asks for: one result per study, series or instance. */
enum QidoLevel {
  STUDY,
  SERIES,
  INSTANCE
}
