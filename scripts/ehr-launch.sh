#!/usr/bin/env bash
# Creates an EHR launch context on a running Custodian (started with --demo) as the demo EHR
# (client demo-ehr, its DEMO-ONLY secret, HTTP Basic) and prints the launch value; the app passes
# it as `launch` (with scope `launch`) on its authorize request within 5 minutes, once.
#   LAUNCH=$(scripts/ehr-launch.sh alice alice-encounter-1)
#   LAUNCH=$(scripts/ehr-launch.sh alice "" patient-app)   # for another registered app
# Needs curl and python3. CUSTODIAN_URL overrides http://localhost:8080.
set -euo pipefail
patient=${1:?usage: scripts/ehr-launch.sh PATIENT [ENCOUNTER] [APP_CLIENT_ID]}
encounter=${2:-}
app=${3:-}
base=${CUSTODIAN_URL:-http://localhost:8080}
secret=${DEMO_EHR_SECRET:-demo-ehr-secret-DEMO-ONLY}
body=$(python3 -c '
import json, sys
doc = {"patient": sys.argv[1]}
if sys.argv[2]: doc["encounter"] = sys.argv[2]
if sys.argv[3]: doc["client_id"] = sys.argv[3]
print(json.dumps(doc))' "$patient" "$encounter" "$app")
response=$(curl -s -u "demo-ehr:$secret" -H 'Content-Type: application/json' --data "$body" "$base/auth/launch")
launch=$(printf %s "$response" | sed -n 's/.*"launch":"\([^"]*\)".*/\1/p')
if [ -z "$launch" ]; then echo "launch refused: $response" >&2; exit 1; fi
printf '%s\n' "$launch"
