package dev.custodian.server.demo;

/** The CT procedures the demo and synthetic records use: LOINC code, body site (SNOMED CT), texts. */
enum CtProcedure {
  CHEST(
      "24627-2",
      "CT Chest",
      "51185008",
      "Thoracic structure",
      "No acute cardiopulmonary abnormality. No pulmonary nodules or masses."),
  CHEST_CONTRAST(
      "24628-0",
      "CT Chest W contrast IV",
      "51185008",
      "Thoracic structure",
      "No pulmonary embolism. Small right pleural effusion."),
  HEAD(
      "24725-4",
      "CT Head",
      "69536005",
      "Head structure",
      "No intracranial hemorrhage, mass effect or acute territorial infarct."),
  ABDOMEN_PELVIS(
      "36813-4",
      "CT Abdomen and Pelvis W contrast IV",
      "818983003",
      "Abdomen",
      "Uncomplicated sigmoid diverticulosis. No free air or abscess.");

  final String loinc;
  final String display;
  final String bodySiteSnomed;
  final String bodySiteDisplay;
  final String conclusion;

  CtProcedure(
      String loinc, String display, String bodySiteSnomed, String bodySiteDisplay, String conclusion) {
    this.loinc = loinc;
    this.display = display;
    this.bodySiteSnomed = bodySiteSnomed;
    this.bodySiteDisplay = bodySiteDisplay;
    this.conclusion = conclusion;
  }
}
