// What the browser tests share: a fresh headless Chromium, Custodian's sign-in pages (password,
// then the TOTP code of a demo user), checks that fail with a message, and a runner that prints
// PASS or FAIL (with the page's text, and a screenshot when E2E_ARTIFACTS names a folder) and sets
// the exit code. Environment: CHROMIUM (default /usr/bin/chromium), E2E_ARTIFACTS.
import { chromium } from "playwright-core";
import { createHash, createHmac } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const DEMO_PASSWORD = "custodian-demo";
export const STEP_TIMEOUT_MS = 30_000;
const OVERALL_TIMEOUT_MS = 150_000;

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

export class CheckFailed extends Error {}

export function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

export function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/**
 * The current TOTP code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) of a demo user. A demo user's
 * secret is Base32(SHA-1("custodian-demo-totp:" + username)), so its key bytes are that digest.
 */
export function demoTotp(username, nowMs = Date.now()) {
  const key = createHash("sha1").update("custodian-demo-totp:" + username, "utf8").digest();
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000 / 30)));
  const hash = createHmac("sha1", key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/**
 * Answers Custodian's sign-in pages, where the browser is now: the password form on /login, the
 * code on /login/mfa, and a consent page if the server shows one (every scope approved).
 * `toNowhere`: the app's redirect URI is not served (the caller watches for the request to it).
 */
export async function signIn(page, username, { password = DEMO_PASSWORD, toNowhere = false } = {}) {
  await page.waitForURL((url) => url.pathname === "/login", { timeout: STEP_TIMEOUT_MS });
  console.log(`sign in as ${username} on ${page.url()}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login" || url.search.includes("error"), { timeout: STEP_TIMEOUT_MS }),
    page.click('button[type="submit"]'),
  ]);
  check(pathOf(page.url()) === "/login/mfa", `the password was not accepted: now at ${page.url()}`);

  console.log(`enter the TOTP code on ${page.url()}`);
  await page.fill('input[name="code"]', demoTotp(username));
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login/mfa", { timeout: STEP_TIMEOUT_MS }).catch((e) => {
      if (!toNowhere) throw e;
    }),
    page.click('button[type="submit"]'),
  ]);

  if (pathOf(page.url()).startsWith("/oauth2/consent")) {
    console.log("approve the consent page");
    for (const box of await page.$$('input[type="checkbox"]')) await box.check();
    await page.click('button[type="submit"]');
  }
}

/** The server base URL from the command line (no trailing slash), or null. */
export function baseUrlArgument() {
  const base = (process.argv[2] || "").replace(/\/+$/, "");
  return /^https?:\/\/[^/]+$/.test(base) ? base : null;
}

/**
 * Runs one browser test: `test(base, page, notes)` in a fresh Chromium profile; `notes` is
 * for test-specific things seen on the way, `notes.problems` for errors worth reporting on
 * failure. Sets process.exitCode: 0 when it passed, 1 when it failed, 2 on bad usage.
 */
export async function runBrowserTest(name, test) {
  const base = baseUrlArgument();
  if (!base) {
    console.error(`usage: node ${path.basename(process.argv[1])} <server base URL, e.g. http://localhost:8080>`);
    process.exitCode = 2;
    return;
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), "custodian-e2e-chromium-"));
  const notes = { problems: [] };
  let context;
  let page;
  const timer = setTimeout(() => {
    console.error(`FAIL: ${name} did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
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
    const passed = await test(base, page, notes);
    console.log(`PASS: ${passed}`);
    process.exitCode = 0;
  } catch (error) {
    console.error(`FAIL: ${name}: ${error instanceof CheckFailed ? error.message : error.stack || String(error)}`);
    if (page) {
      console.error(`page: ${page.url()}`);
      const text = await page.textContent("body").catch(() => null);
      if (text) console.error(`page text: ${text.replace(/\s+/g, " ").trim().slice(0, 2000)}`);
      if (notes.problems.length) console.error(`seen on the way: ${notes.problems.join(" | ")}`);
      await saveArtifacts(page, name);
    }
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    if (context) await context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  }
}

async function saveArtifacts(page, name) {
  const dir = process.env.E2E_ARTIFACTS;
  if (!dir) return;
  const file = name.replace(/[^A-Za-z0-9]+/g, "-");
  try {
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, file + ".png"), fullPage: true });
    await writeFile(path.join(dir, file + ".html"), await page.content());
    console.error(`screenshot and HTML of the page in ${dir}`);
  } catch (e) {
    console.error(`(could not save the page: ${e.message})`);
  }
}
