#!/usr/bin/env bash
# Prints an access token for the demo SMART Backend Services client partner-hospital of a running
# Custodian (started with --demo): builds a client assertion (a JWT: iss = sub = the client id,
# aud = the token endpoint, exp in 4 minutes, a fresh jti), signs it RS384 with the committed
# DEMO-ONLY key, and exchanges it at the token endpoint (client_credentials).
#   TOKEN=$(scripts/backend-token.sh)
#   TOKEN=$(scripts/backend-token.sh "system/ImagingStudy.rs")
# Needs curl, openssl and python3. CUSTODIAN_URL overrides http://localhost:8080; BACKEND_CLIENT
# and BACKEND_KEY name another client and its PEM private key (PKCS#8 or PKCS#1, RSA).
set -euo pipefail
scope=${1:-"system/ImagingStudy.rs system/DiagnosticReport.rs system/Patient.rs"}
base=${CUSTODIAN_URL:-http://localhost:8080}
client=${BACKEND_CLIENT:-partner-hospital}
key=${BACKEND_KEY:-$(dirname "$0")/demo-keys/partner-hospital.DEMO-ONLY.private.pem}
token_url="$base/oauth2/token"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# 1. the client assertion: header and claims (python3 only writes the JSON)
read -r header claims < <(python3 - "$client" "$token_url" <<'PY'
import json, sys, time, uuid
client, aud = sys.argv[1], sys.argv[2]
now = int(time.time())
header = {"alg": "RS384", "typ": "JWT"}
claims = {"iss": client, "sub": client, "aud": aud, "iat": now, "exp": now + 240, "jti": str(uuid.uuid4())}
print(json.dumps(header, separators=(",", ":")), json.dumps(claims, separators=(",", ":")))
PY
)
signing_input="$(printf %s "$header" | b64url).$(printf %s "$claims" | b64url)"

# 2. RS384 = RSASSA-PKCS1-v1_5 with SHA-384
signature=$(printf %s "$signing_input" | openssl dgst -sha384 -sign "$key" -binary | b64url)
assertion="$signing_input.$signature"

# 3. the token request: no client_id, no secret; the assertion is the credential
response=$(curl -s -w '\n%{http_code}' "$token_url" \
  --data-urlencode grant_type=client_credentials \
  --data-urlencode "scope=$scope" \
  --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  --data-urlencode "client_assertion=$assertion")
status=${response##*$'\n'}
body=${response%$'\n'*}
if [ "$status" != 200 ]; then
  echo "token request refused ($status): $body" >&2
  exit 1
fi
printf %s "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
