// The redirect target of the standalone launch: completes the sign-in (code + PKCE verifier for a
// token), then lists the patient's name, imaging studies and diagnostic reports. Everything is
// written with textContent: nothing from the server is ever parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

/** The first usable text of a CodeableConcept. */
function conceptText(concept) {
  if (!concept) return "";
  if (concept.text) return concept.text;
  const coding = (concept.coding || []).find((c) => c.display || c.code);
  return coding ? coding.display || coding.code : "";
}

/** A person's name as written, or given names and family name. */
function humanName(names) {
  const name = (names || []).find((n) => n.use === "official") || (names || [])[0];
  if (!name) return "(no name on record)";
  if (name.text) return name.text;
  return [...(name.prefix || []), ...(name.given || []), name.family || ""].join(" ").trim();
}

/** A <time> element for a FHIR date or dateTime: the date part, the full value as its datetime. */
function timeCell(value) {
  const cell = document.createElement("td");
  if (value) {
    const time = document.createElement("time");
    time.dateTime = value;
    time.textContent = value.substring(0, 10);
    cell.appendChild(time);
  } else {
    cell.textContent = "—";
  }
  return cell;
}

function textCell(text, className) {
  const cell = document.createElement("td");
  cell.textContent = text === undefined || text === null || text === "" ? "—" : String(text);
  if (className) cell.className = className;
  return cell;
}

function row(resource, cells) {
  const tr = document.createElement("tr");
  tr.dataset.resourceId = resource.resourceType + "/" + resource.id;
  cells.forEach((cell) => tr.appendChild(cell));
  return tr;
}

function showTable(section, rows, resources, toRow) {
  rows.replaceChildren(...resources.map(toRow));
  $(section + "-empty").hidden = resources.length > 0;
  rows.closest("table").hidden = resources.length === 0;
  $(section).hidden = false;
}

function studyRow(study) {
  const modalities = [
    ...new Set([
      ...(study.modality || []).map((m) => m.code),
      ...(study.series || []).map((s) => s.modality && s.modality.code),
    ].filter(Boolean)),
  ];
  const series = study.numberOfSeries ?? (study.series ? study.series.length : undefined);
  const instances =
    study.numberOfInstances ??
    (study.series ? study.series.reduce((n, s) => n + (s.numberOfInstances || 0), 0) : undefined);
  return row(study, [
    timeCell(study.started),
    textCell(study.description || conceptText((study.procedureCode || [])[0])),
    textCell(modalities.join(", ")),
    textCell(series, "number"),
    textCell(instances, "number"),
  ]);
}

function reportRow(report) {
  return row(report, [
    timeCell(report.effectiveDateTime || (report.effectivePeriod && report.effectivePeriod.start) || report.issued),
    textCell(conceptText(report.code)),
    textCell(report.status),
    textCell(report.conclusion),
  ]);
}

/** Every resource of a search, following the server's paging links (only the type searched for). */
async function searchAll(client, query) {
  const type = query.split("?")[0];
  const resources = await client.request(query, { pageLimit: 0, flat: true });
  return (resources || []).filter((r) => r && r.resourceType === type);
}

function notSignedIn(error) {
  return /No 'state' parameter|No state found/.test(error && error.message ? error.message : "");
}

function describe(error) {
  if (error && error.status === 401) {
    return "Your session with Custodian has ended. Sign in again to see your records.";
  }
  if (error && error.status === 403) {
    return "Custodian did not allow this app to read these records (" + error.message + ").";
  }
  if (notSignedIn(error)) {
    return "You are not signed in. Sign in with your Custodian account to see your imaging records.";
  }
  return error && error.message ? error.message : String(error);
}

function fail(error) {
  $("status").textContent = notSignedIn(error) ? "Not signed in." : "Something went wrong.";
  $("error-message").textContent = describe(error);
  $("error").hidden = false;
  $("app").dataset.state = "error";
  $("app").removeAttribute("aria-busy");
}

async function main() {
  const client = await FHIR.oauth2.ready();
  const patientId = client.patient.id;
  if (!patientId) {
    throw new Error("Custodian did not name a patient for this sign-in (no launch context).");
  }
  const id = encodeURIComponent(patientId);
  const [patient, studies, reports] = await Promise.all([
    client.request("Patient/" + id),
    searchAll(client, "ImagingStudy?patient=" + id + "&_sort=-started"),
    searchAll(client, "DiagnosticReport?patient=" + id + "&_sort=-date"),
  ]);

  $("patient-name").textContent = humanName(patient.name);
  $("patient-birth").textContent = patient.birthDate ? "born " + patient.birthDate : "";
  $("patient").hidden = false;
  showTable("studies", $("study-rows"), studies, studyRow);
  showTable("reports", $("report-rows"), reports, reportRow);

  $("status").textContent =
    studies.length + (studies.length === 1 ? " study" : " studies") + " and " +
    reports.length + (reports.length === 1 ? " report" : " reports") + ".";
  $("app").dataset.state = "done";
  $("app").removeAttribute("aria-busy");
}

main().catch(fail);
