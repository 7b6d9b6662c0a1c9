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

try {
  FHIR.oauth2
    .authorize({
      clientId: "patient-app",
      scope: SCOPES,
      // The FHIR server is the one this app is served by.
      iss: new URL("/fhir", window.location.origin).href,
      // Back to this folder's index page (must match the client's registered redirect URI exactly).
      redirectUri: "./",
      // Custodian requires PKCE with S256; refuse to go on without it.
      pkceMode: "required",
      completeInTarget: true,
    })
    .catch((e) => showLaunchError(e && e.message ? e.message : String(e)));
} catch (e) {
  showLaunchError(e && e.message ? e.message : String(e));
}
