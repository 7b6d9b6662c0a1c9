#!/usr/bin/env node
// The patient app end to end, in a real headless Chromium against a running Custodian with the
// demo records:
//
//   node e2e/standalone-launch.mjs http://localhost:8080
//
// Opens the app's launch page, signs alice in on Custodian's own pages (password, then the TOTP
// code of her demo secret), lets the standalone launch come back to the app, and checks that the
// app shows alice's two studies and two reports and nothing of bruno's. Exits 0 when every check
// passes; otherwise prints what failed and exits 1. Run by the server's PatientAppBrowserTest.
import { check, CheckFailed, pathOf, runBrowserTest, signIn, STEP_TIMEOUT_MS } from "./browser.mjs";

const USER = "alice";

// What alice must see, keyed by the row's resource id.
const EXPECTED_STUDIES = {
  "ImagingStudy/alice-ct-chest": "CT Chest",
  "ImagingStudy/alice-ct-head": "CT Head",
};
const EXPECTED_REPORTS = {
  "DiagnosticReport/alice-ct-chest-report": ["CT Chest", "No acute cardiopulmonary abnormality"],
  "DiagnosticReport/alice-ct-head-report": ["CT Head", "No intracranial hemorrhage"],
};
// What she must not see anywhere in the page: bruno's name, ids, study descriptions, conclusions.
const FORBIDDEN_TEXT = [
  "bruno",
  "Costa",
  "CT Abdomen and Pelvis",
  "CT Chest W contrast IV",
  "diverticulosis",
  "pleural effusion",
];

function watch(page, seen) {
  seen.authorize = [];
  seen.tokenRequests = 0;
  seen.appHeaders = {};
  seen.fhirFailures = [];
  const onApp = () => pathOf(page.url()).startsWith("/apps/");
  page.on("console", (message) => {
    if (message.type() === "error" && onApp()) {
      const where = message.location() && message.location().url;
      seen.problems.push(`console: ${message.text()}` + (where ? ` (${where})` : ""));
    }
  });
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const p = pathOf(request.url());
    if (p === "/oauth2/authorize" && request.isNavigationRequest()) seen.authorize.push(request.url());
    if (p === "/oauth2/token") seen.tokenRequests++;
  });
  page.on("response", async (response) => {
    const p = pathOf(response.url());
    if (p === "/apps/patient/" && response.request().isNavigationRequest()) {
      seen.appHeaders = await response.allHeaders();
    }
    if (p.startsWith("/fhir/") && response.status() >= 400) {
      seen.fhirFailures.push(`${response.status()} ${response.url()}`);
    }
  });
}

function sameSet(actual, expected) {
  return actual.length === expected.length && expected.every((e) => actual.includes(e));
}

async function aliceSeesHerRecords(base, page, seen) {
  watch(page, seen);
  // Opened under another name of the same server (127.0.0.1 for localhost), the launch page first
  // moves to the issuer's origin, where the app's redirect URI is registered.
  const alias = new URL(base);
  if (alias.hostname === "localhost") alias.hostname = "127.0.0.1";
  const launch = alias.origin + "/apps/patient/launch.html";
  console.log(`open ${launch}`);
  const launchResponse = await page.goto(launch);
  check(launchResponse && launchResponse.ok(), `the launch page answered ${launchResponse && launchResponse.status()}`);

  // The launch goes to Custodian's authorize endpoint, which sends an unknown browser to sign in.
  await signIn(page, USER);

  await page.waitForURL((url) => url.pathname === "/apps/patient/", { timeout: STEP_TIMEOUT_MS });
  console.log(`back in the app at ${page.url()}`);
  check(new URL(page.url()).origin === base, `the app came back on ${new URL(page.url()).origin}, not ${base}`);
  await page.waitForSelector('main#app[data-state="done"], main#app[data-state="error"]', { timeout: STEP_TIMEOUT_MS });
  if ((await page.getAttribute("main#app", "data-state")) === "error") {
    throw new CheckFailed(`the app shows an error: ${(await page.textContent("#error-message")) || ""}`);
  }

  // The authorization request the app made: this client, this server, PKCE with S256.
  check(seen.authorize.length > 0, "the app never reached /oauth2/authorize");
  const authorize = new URL(seen.authorize[0]).searchParams;
  check(authorize.get("client_id") === "patient-app", `client_id was ${authorize.get("client_id")}`);
  check(authorize.get("aud") === base + "/fhir", `aud was ${authorize.get("aud")}, not ${base}/fhir`);
  check(authorize.get("code_challenge_method") === "S256", `code_challenge_method was ${authorize.get("code_challenge_method")}`);
  check(/^[A-Za-z0-9_-]{43}$/.test(authorize.get("code_challenge") || ""), "no S256 code_challenge in the authorize request");
  check((authorize.get("scope") || "").split(" ").includes("launch/patient"), "the app did not ask for launch/patient");
  check(seen.tokenRequests === 1, `expected one token request, saw ${seen.tokenRequests}`);
  check(!new URL(page.url()).searchParams.has("code"), "the authorization code is still in the address bar");

  // The app's page came with its security headers.
  const csp = seen.appHeaders["content-security-policy"] || "";
  check(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), `weak or missing CSP on the app: "${csp}"`);
  check(seen.appHeaders["referrer-policy"] === "no-referrer", `Referrer-Policy was ${seen.appHeaders["referrer-policy"]}`);

  // What the page shows.
  const name = ((await page.textContent("#patient-name")) || "").trim();
  check(name === "Alice Martin", `the patient's name shown is "${name}", not "Alice Martin"`);

  const rows = (selector) =>
    page.$$eval(selector, (trs) =>
      trs.map((tr) => ({ id: tr.dataset.resourceId, cells: [...tr.cells].map((c) => c.textContent.trim()) })),
    );
  const studies = await rows("#study-rows tr");
  const reports = await rows("#report-rows tr");
  console.log("studies shown: " + JSON.stringify(studies));
  console.log("reports shown: " + JSON.stringify(reports));

  check(
    sameSet(studies.map((s) => s.id), Object.keys(EXPECTED_STUDIES)),
    `studies shown ${JSON.stringify(studies.map((s) => s.id))}, expected ${JSON.stringify(Object.keys(EXPECTED_STUDIES))}`,
  );
  for (const study of studies) {
    const [date, description, modality, series, instances] = study.cells;
    check(/^\d{4}-\d{2}-\d{2}$/.test(date), `${study.id}: date "${date}"`);
    check(description === EXPECTED_STUDIES[study.id], `${study.id}: description "${description}", expected "${EXPECTED_STUDIES[study.id]}"`);
    check(modality === "CT", `${study.id}: modality "${modality}"`);
    check(/^[1-9]\d*$/.test(series) && /^[1-9]\d*$/.test(instances), `${study.id}: series "${series}", images "${instances}"`);
  }

  check(
    sameSet(reports.map((r) => r.id), Object.keys(EXPECTED_REPORTS)),
    `reports shown ${JSON.stringify(reports.map((r) => r.id))}, expected ${JSON.stringify(Object.keys(EXPECTED_REPORTS))}`,
  );
  for (const report of reports) {
    const [date, codeText, status, conclusion] = report.cells;
    const [expectedCode, expectedConclusion] = EXPECTED_REPORTS[report.id];
    check(/^\d{4}-\d{2}-\d{2}$/.test(date), `${report.id}: date "${date}"`);
    check(codeText === expectedCode, `${report.id}: report "${codeText}", expected "${expectedCode}"`);
    check(status === "final", `${report.id}: status "${status}"`);
    check(conclusion.startsWith(expectedConclusion), `${report.id}: conclusion "${conclusion}"`);
  }

  // textContent: hidden parts of the page count too
  const text = ((await page.textContent("body")) || "").toLowerCase();
  for (const forbidden of FORBIDDEN_TEXT) {
    check(!text.includes(forbidden.toLowerCase()), `the page shows "${forbidden}", which is bruno's`);
  }
  check(seen.fhirFailures.length === 0, `FHIR requests failed: ${seen.fhirFailures.join(", ")}`);
  check(seen.problems.length === 0, `errors in the app: ${seen.problems.join(" | ")}`);
  console.log(`status line: ${((await page.textContent("#status")) || "").trim()}`);
  return `${USER} signed in through the standalone launch and saw her 2 studies and 2 reports, none of bruno's`;
}

await runBrowserTest("patient app standalone launch", aliceSeesHerRecords);
