#!/usr/bin/env node
// End-to-end test of the patient app in a real headless Chromium against a running Custodian
// with the demo records:
//
//   node e2e/standalone-launch.mjs http://localhost:8080
//
// Opens the app's launch page, signs alice in on Custodian's own pages (password, then the TOTP
// code of her demo secret), lets the standalone launch come back to the app, and checks that the
// app shows alice's two studies and two reports and nothing of bruno's. Exits 0 when every check
// passes; otherwise prints what failed (with the page's text) and exits 1. Run by the server's
// PatientAppBrowserTest. Environment: CHROMIUM (default /usr/bin/chromium), E2E_ARTIFACTS (a folder
// for a screenshot and the page's HTML on failure).
import { chromium } from "playwright-core";
import { createHash, createHmac } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const USER = "alice";
const PASSWORD = "custodian-demo";
const STEP_TIMEOUT_MS = 30_000;
const OVERALL_TIMEOUT_MS = 150_000;

// What alice must see, keyed by the row's resource id: [description or code, conclusion].
const EXPECTED_STUDIES = {
  "ImagingStudy/alice-ct-chest": "CT Chest",
  "ImagingStudy/alice-ct-head": "CT Head",
};
const EXPECTED_REPORTS = {
  "DiagnosticReport/alice-ct-chest-report": ["CT Chest", "No acute cardiopulmonary abnormality"],
  "DiagnosticReport/alice-ct-head-report": ["CT Head", "No intracranial hemorrhage"],
};
// What she must not see anywhere on the page: bruno's name, ids, study descriptions, conclusions.
const FORBIDDEN_TEXT = [
  "bruno",
  "Costa",
  "CT Abdomen and Pelvis",
  "CT Chest W contrast IV",
  "diverticulosis",
  "pleural effusion",
];

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/**
 * The current TOTP code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) of a demo user. A demo user's
 * secret is Base32(SHA-1("custodian-demo-totp:" + username)), so its key bytes are that digest.
 */
function demoTotp(username, nowMs = Date.now()) {
  const key = createHash("sha1").update("custodian-demo-totp:" + username, "utf8").digest();
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000 / 30)));
  const hash = createHmac("sha1", key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

async function run(base, page, seen) {
  const launch = base + "/apps/patient/launch.html";
  console.log(`open ${launch}`);
  const launchResponse = await page.goto(launch);
  check(launchResponse && launchResponse.ok(), `the launch page answered ${launchResponse && launchResponse.status()}`);

  // The launch goes to Custodian's authorize endpoint, which sends an unknown browser to sign in.
  await page.waitForURL((url) => url.pathname === "/login", { timeout: STEP_TIMEOUT_MS });
  console.log(`sign in as ${USER} on ${page.url()}`);
  await page.fill('input[name="username"]', USER);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login" || url.search.includes("error"), { timeout: STEP_TIMEOUT_MS }),
    page.click('button[type="submit"]'),
  ]);
  check(pathOf(page.url()) === "/login/mfa", `the password was not accepted: now at ${page.url()}`);

  const code = demoTotp(USER);
  console.log(`enter the TOTP code on ${page.url()}`);
  await page.fill('input[name="code"]', code);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login/mfa", { timeout: STEP_TIMEOUT_MS }),
    page.click('button[type="submit"]'),
  ]);

  // A consent page, if the server asks for one: approve every scope the app asked for.
  if (pathOf(page.url()).startsWith("/oauth2/consent")) {
    console.log("approve the consent page");
    for (const box of await page.$$('input[type="checkbox"]')) await box.check();
    await page.click('button[type="submit"]');
  }

  await page.waitForURL((url) => url.pathname === "/apps/patient/", { timeout: STEP_TIMEOUT_MS });
  console.log(`back in the app at ${page.url()}`);
  await page.waitForSelector('main#app[data-state="done"], main#app[data-state="error"]', { timeout: STEP_TIMEOUT_MS });
  const state = await page.getAttribute("main#app", "data-state");
  if (state === "error") {
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

  const text = (await page.textContent("body")) || "";
  for (const forbidden of FORBIDDEN_TEXT) {
    check(!text.toLowerCase().includes(forbidden.toLowerCase()), `the page shows "${forbidden}", which is bruno's`);
  }
  check(seen.fhirFailures.length === 0, `FHIR requests failed: ${seen.fhirFailures.join(", ")}`);
  check(seen.appProblems.length === 0, `errors in the app's console: ${seen.appProblems.join(" | ")}`);
  console.log(`status line: ${((await page.textContent("#status")) || "").trim()}`);
}

function sameSet(actual, expected) {
  return actual.length === expected.length && expected.every((e) => actual.includes(e));
}

async function saveArtifacts(page) {
  const dir = process.env.E2E_ARTIFACTS;
  if (!dir || !page) return;
  try {
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, "patient-app-failure.png"), fullPage: true });
    await writeFile(path.join(dir, "patient-app-failure.html"), await page.content());
    console.log(`screenshot and HTML in ${dir}`);
  } catch (e) {
    console.log(`(could not save the page: ${e.message})`);
  }
}

async function main() {
  const base = (process.argv[2] || "").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(base)) {
    console.error("usage: node e2e/standalone-launch.mjs <server base URL, e.g. http://localhost:8080>");
    return 2;
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), "custodian-e2e-chromium-"));
  let context;
  let page;
  const seen = { authorize: [], tokenRequests: 0, appHeaders: {}, fhirFailures: [], appProblems: [] };
  const timer = setTimeout(() => {
    console.error(`FAIL: the test did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: STEP_TIMEOUT_MS,
    });
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const onApp = () => pathOf(page.url()).startsWith("/apps/");
    page.on("console", (message) => {
      if (message.type() === "error" && onApp()) {
        const where = message.location() && message.location().url;
        seen.appProblems.push(message.text() + (where ? ` (${where})` : ""));
      }
    });
    page.on("pageerror", (error) => seen.appProblems.push(error.message));
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

    await run(base, page, seen);
    console.log(`PASS: ${USER} signed in through the standalone launch and saw her 2 studies and 2 reports, none of bruno's`);
    return 0;
  } catch (error) {
    const reason = error instanceof CheckFailed ? error.message : error.stack || String(error);
    console.error(`FAIL: ${reason}`);
    if (page) {
      console.error(`page: ${page.url()}`);
      const text = await page.textContent("body").catch(() => null);
      if (text) console.error(`page text: ${text.replace(/\s+/g, " ").trim().slice(0, 2000)}`);
      if (seen.appProblems.length) console.error(`app console errors: ${seen.appProblems.join(" | ")}`);
      if (seen.fhirFailures.length) console.error(`failed FHIR requests: ${seen.fhirFailures.join(", ")}`);
      await saveArtifacts(page);
    }
    return 1;
  } finally {
    clearTimeout(timer);
    if (context) await context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  }
}

process.exitCode = await main();
