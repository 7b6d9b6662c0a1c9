#!/usr/bin/env bash
# Prints an access token for a demo user of a running Custodian (started with --demo), by walking
# the SMART authorization code flow with PKCE as a browser would, as the public demo app.
#   TOKEN=$(scripts/demo-token.sh alice "launch/patient patient/*.rs")
#   TOKEN=$(scripts/demo-token.sh dr.chen "user/*.cruds")
# Staff asking for launch/patient choose the patient on the patient picker; PATIENT says whom:
#   TOKEN=$(PATIENT=alice scripts/demo-token.sh dr.chen "launch/patient patient/*.rs")
# An EHR launch (scripts/ehr-launch.sh) signs in to the demo EHR's own app with the launch value:
#   TOKEN=$(LAUNCH=$(scripts/ehr-launch.sh alice) CLIENT=demo-ehr scripts/demo-token.sh dr.chen "launch patient/*.rs")
# The client admin API takes only tokens of the demo admin console with the admin scope:
#   ADMIN=$(CLIENT=admin-console scripts/demo-token.sh admin "openid custodian/admin")
# TOKEN_RESPONSE=1 prints the whole token response (with "patient", "encounter") instead.
# Needs curl, openssl and python3 (for the TOTP code of the demo user's documented secret).
# CUSTODIAN_URL overrides http://localhost:8080.
set -euo pipefail
user=${1:?usage: scripts/demo-token.sh USERNAME [SCOPES]}
scope=${2:-"openid fhirUser user/*.rs"}
password=${DEMO_PASSWORD:-custodian-demo}
base=${CUSTODIAN_URL:-http://localhost:8080}
client=${CLIENT:-patient-app}
redirect=http://127.0.0.1:8765/callback
secret=""
if [ "$client" = demo-ehr ]; then
  redirect=http://127.0.0.1:8765/ehr-callback
  secret=${DEMO_EHR_SECRET:-demo-ehr-secret-DEMO-ONLY}
fi
if [ "$client" = admin-console ]; then redirect=http://127.0.0.1:8765/admin-callback; fi
launch_param=()
if [ -n "${LAUNCH:-}" ]; then launch_param=(--data-urlencode "launch=$LAUNCH"); fi
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT

verifier=$(openssl rand -base64 48 | tr -d '=+/\n' | cut -c1-64)
challenge=$(printf %s "$verifier" | openssl dgst -binary -sha256 | openssl base64 -A | tr '+/' '-_' | tr -d '=')

# 1. authorize: the server sends the browser to its sign-in page (or the app an error)
first=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html' --get \
  --data-urlencode response_type=code --data-urlencode "client_id=$client" \
  --data-urlencode "redirect_uri=$redirect" --data-urlencode "scope=$scope" \
  --data-urlencode state=demo --data-urlencode "aud=$base/fhir" \
  --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256 \
  ${launch_param[@]+"${launch_param[@]}"} "$base/oauth2/authorize")
case "$first" in */login*) ;; *) echo "authorize refused: $first" >&2; exit 1 ;; esac

# 2. sign in (the form carries a CSRF token)
csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
next=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
  --data-urlencode "username=$user" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf" \
  "$base/login")
case "$next" in *login?error*) echo "sign-in refused for $user" >&2; exit 1 ;; esac

# 2b. the second factor: the TOTP code of the user's demo secret (README, "Demo accounts")
if [ "${next%%\?*}" = "$base/login/mfa" ]; then
  totp=$(python3 - "$user" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = hashlib.sha1(("custodian-demo-totp:" + sys.argv[1]).encode()).digest()
digest = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 15
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
)
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/login/mfa" | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
  next=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
    --data-urlencode "code=$totp" --data-urlencode "_csrf=$csrf" "$base/login/mfa")
  case "$next" in *error*) echo "second factor refused for $user" >&2; exit 1 ;; esac
fi

# 3. back to authorize, which redirects to the app with a code
back=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html' "$next")

# 3b. staff asking for launch/patient: the patient picker lists the patients they treat; answer
#     its form (state, scopes, CSRF token) with $PATIENT
if [ "${back%%\?*}" = "$base/launch/patient" ]; then
  if [ -z "${PATIENT:-}" ]; then echo "the patient picker asks whom: set PATIENT (see $back)" >&2; exit 1; fi
  form=$(curl -s -c "$jar" -b "$jar" -H 'Accept: text/html' "$back" | python3 -c '
import html, re, sys, urllib.parse
page = sys.stdin.read()
first = page.split("</form>")[0]
fields = [(html.unescape(n), html.unescape(v)) for n, v in re.findall(r"<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">", first)]
print(urllib.parse.urlencode(fields + [("patient", sys.argv[1])]))' "$PATIENT")
  back=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' --data "$form" "$base/oauth2/authorize")
fi
code=$(printf %s "$back" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
if [ -z "$code" ]; then echo "no code: $back" >&2; exit 1; fi

# 4. exchange the code (with the PKCE verifier) for tokens
auth=()
if [ -n "$secret" ]; then auth=(-u "$client:$secret"); fi
response=$(curl -s ${auth[@]+"${auth[@]}"} --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "redirect_uri=$redirect" --data-urlencode "client_id=$client" \
  --data-urlencode "code_verifier=$verifier" "$base/oauth2/token")
token=$(printf %s "$response" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then echo "token request refused: $response" >&2; exit 1; fi
if [ -n "${TOKEN_RESPONSE:-}" ]; then printf '%s\n' "$response"; else printf '%s\n' "$token"; fi
