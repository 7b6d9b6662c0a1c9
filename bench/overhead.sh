#!/usr/bin/env bash
# What a safeguard costs: read and search throughput with it off versus on, on the demo data, as
# dr.chen (who treats alice), on the same server build and data. Prints requests/second for each
# and the ratio on/off.
#   bench/overhead.sh audit     the audit trail        (custodian.audit.enabled; target >= 0.85)
#   bench/overhead.sh policy    the access policy      (custodian.bench.policy-off; target >= 0.8)
# Needs wrk (apt-get install wrk) and what scripts/demo-token.sh needs. Starts its own servers (via
# custodian.sh, which builds when sources changed) on a temporary data directory, loopback only.
# DURATION (seconds per run, default 20), CONNECTIONS (default 8), PORT (default 8181) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
safeguard=${1:-}
case "$safeguard" in
  audit)  off="--custodian.audit.enabled=false"; on="--custodian.audit.enabled=true" ;;
  policy) off="--custodian.bench.policy-off=true"; on="--custodian.bench.policy-off=false" ;;
  *) echo "usage: bench/overhead.sh audit|policy" >&2; exit 2 ;;
esac
duration=${DURATION:-20}
connections=${CONNECTIONS:-8}
port=${PORT:-8181}
base="http://localhost:$port"
work=$(mktemp -d)
trap 'pkill -f "custodian.bench.port=$port" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

start() { # $1 = label, $2 = the switch
  JAVA_OPTS=-Xmx2g ./custodian.sh --demo --server.port="$port" \
    --custodian.auth.issuer="$base" --custodian.db.embedded.data-dir="$work/pg-$1" \
    --custodian.auth.signing-keystore="$work/keys.p12" \
    --custodian.audit.checkpoint-keystore="$work/audit.p12" \
    --custodian.storage.blob-dir="$work/blobs-$1" --custodian.storage.keystore="$work/blob-kek-$1.p12" \
    "$2" --custodian.bench.port="$port" > "$work/server-$1.log" 2>&1 &
  for _ in $(seq 1 240); do
    grep -q "Custodian ready" "$work/server-$1.log" && return 0
    sleep 1
  done
  echo "server did not start; see $work/server-$1.log" >&2; exit 1
}
stop() { pkill -f "custodian.bench.port=$port" || true; sleep 3; }

measure() { # $1 = path; prints requests/second
  wrk -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer $token" \
    -H "Accept: application/fhir+json" "$base/fhir/$1" | awk '/Requests\/sec/ {print $2}'
}

declare -A result
for state in off on; do
  if [ "$state" = off ]; then start off "$off"; else start on "$on"; fi
  token=$(CUSTODIAN_URL="$base" scripts/demo-token.sh dr.chen "user/*.rs")
  measure "ImagingStudy/alice-ct-chest" >/dev/null # warm-up
  result[read-$state]=$(measure "ImagingStudy/alice-ct-chest")
  result[search-$state]=$(measure "ImagingStudy?patient=alice")
  stop
done

printf '%-8s %14s %14s %8s\n' "" "$safeguard off r/s" "$safeguard on r/s" "on/off"
for kind in read search; do
  printf '%-8s %14s %14s %8.2f\n' "$kind" "${result[$kind-off]}" "${result[$kind-on]}" \
    "$(echo "${result[$kind-on]} / ${result[$kind-off]}" | bc -l)"
done
