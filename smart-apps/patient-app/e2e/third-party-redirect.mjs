#!/usr/bin/env node
// Sign-in for a SMART app on another origin, in a real headless Chromium: the redirect back to the
// app after the second factor must not be blocked by the sign-in pages' own policies (Chromium
// applies a page's CSP form-action to every redirect that follows a form submit).
//
//   node e2e/third-party-redirect.mjs http://localhost:8080
//
// Uses the patient-app client's second registered redirect URI, http://127.0.0.1:8765/callback,
// where nothing needs to listen: the test reads the code from the browser's request to it.
import { createHash, randomBytes } from "node:crypto";
import { check, runBrowserTest, signIn, STEP_TIMEOUT_MS } from "./browser.mjs";

const CALLBACK = "http://127.0.0.1:8765/callback";

async function codeComesBackToTheApp(base, page, seen) {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.problems.push(`on ${page.url()}: ${message.text()}`);
  });
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const authorize = new URL(base + "/oauth2/authorize");
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: "patient-app",
    redirect_uri: CALLBACK,
    scope: "launch/patient patient/ImagingStudy.rs",
    state,
    aud: base + "/fhir",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const toApp = page
    .waitForRequest((request) => request.url().startsWith(CALLBACK + "?") && request.isNavigationRequest(), {
      timeout: STEP_TIMEOUT_MS,
    })
    .catch(() => null);
  await page.goto(authorize.href);
  await signIn(page, "alice", { toNowhere: true });

  const request = await toApp;
  check(request, `the browser was not sent back to ${CALLBACK}: it is at ${page.url()}; ${seen.problems.join(" | ")}`);
  const back = new URL(request.url());
  check(back.searchParams.get("state") === state, `state came back as ${back.searchParams.get("state")}`);
  check(/^[A-Za-z0-9_-]{20,}$/.test(back.searchParams.get("code") || ""), "no authorization code came back");

  // the code is good: the app's token request (as the app's server would send it)
  const token = await fetch(base + "/oauth2/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: back.searchParams.get("code"),
      redirect_uri: CALLBACK,
      client_id: "patient-app",
      code_verifier: verifier,
    }),
  });
  const body = await token.json().catch(() => ({}));
  check(token.status === 200 && body.access_token, `token exchange: ${token.status} ${JSON.stringify(body)}`);
  check(body.patient === "alice", `the token response names patient ${body.patient}`);
  return "an app on another origin got its code back after password and TOTP, and a token for alice";
}

await runBrowserTest("app on another origin", codeComesBackToTheApp);
