// Standalone launch: sends the browser to Custodian's authorization server (the one that serves
// this page) to sign in, asking for the signed-in patient's own imaging records, read-only.
"use strict";

const SCOPES = [
  "openid",
  "fhirUser",
  "launch/patient",
  "patient/Patient.r",
  "patient/ImagingStudy.rs",
  "patient/DiagnosticReport.rs",
].join(" ");

function showLaunchError(message) {
  document.getElementById("status").textContent = "Could not start the sign-in.";
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = false;
}

/**
 * The redirect URI registered for this app is on the server's issuer URL (e.g. localhost, not
 * 127.0.0.1): opened under another name for the same server, go there first.
 */
async function onIssuerOrigin(fhirBase) {
  const response = await fetch(fhirBase + "/.well-known/smart-configuration", { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error("Custodian's SMART configuration is not available (" + response.status + ").");
  }
  const issuer = (await response.json()).issuer;
  if (issuer && new URL(issuer).origin !== window.location.origin) {
    window.location.replace(new URL(window.location.pathname, issuer).href);
    return false;
  }
  return true;
}

async function launch() {
  // The FHIR server is the one this app is served by.
  const fhirBase = new URL("/fhir", window.location.origin).href;
  if (!(await onIssuerOrigin(fhirBase))) return;
  await FHIR.oauth2.authorize({
    clientId: "patient-app",
    scope: SCOPES,
    iss: fhirBase,
    // Back to this folder's index page (must match the client's registered redirect URI exactly).
    redirectUri: "./",
    // Custodian requires PKCE with S256; refuse to go on without it.
    pkceMode: "required",
    completeInTarget: true,
  });
}

launch().catch((e) => showLaunchError(e && e.message ? e.message : String(e)));
