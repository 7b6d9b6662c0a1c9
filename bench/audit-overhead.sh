#!/usr/bin/env bash
# What auditing costs: read and search throughput with the audit trail on versus off, on the demo
# data, as dr.chen (who treats alice). Prints requests/second for each and the ratio on/off
# (target: >= 0.85). Starts its own servers on a temporary data directory, loopback only.
#   bench/audit-overhead.sh            (needs wrk: apt-get install wrk; and the demo-token needs)
# DURATION (seconds per run, default 20), CONNECTIONS (default 8) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
connections=${CONNECTIONS:-8}
port=${PORT:-8181}
base="http://localhost:$port"
work=$(mktemp -d)
trap 'pkill -f "custodian.bench.port=$port" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [ ! -f server/target/run/custodian-server.jar ]; then
  mvn -B -q -DskipTests install
  java -Djarmode=tools -jar server/target/custodian-server.jar extract --destination server/target/run >/dev/null
fi

start() { # $1 = audit on/off
  java -Xmx2g -jar server/target/run/custodian-server.jar --demo --server.port="$port" \
    --custodian.auth.issuer="$base" --custodian.db.embedded.data-dir="$work/pg" \
    --custodian.auth.signing-keystore="$work/keys.p12" --custodian.audit.enabled="$1" \
    --custodian.bench.port="$port" > "$work/server-$1.log" 2>&1 &
  for _ in $(seq 1 180); do
    grep -q "Custodian ready" "$work/server-$1.log" && return 0
    sleep 1
  done
  echo "server did not start; see $work/server-$1.log" >&2; exit 1
}
stop() { pkill -f "custodian.bench.port=$port" || true; sleep 3; }

measure() { # $1 = label, $2 = path; prints requests/second
  local rps
  rps=$(wrk -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer $token" \
    -H "Accept: application/fhir+json" "$base/fhir/$2" | awk '/Requests\/sec/ {print $2}')
  echo "$rps"
}

declare -A result
for audit in false true; do
  start "$audit"
  token=$(CUSTODIAN_URL="$base" scripts/demo-token.sh dr.chen "user/*.rs")
  measure warmup "ImagingStudy/alice-ct-chest" >/dev/null
  result[read-$audit]=$(measure read "ImagingStudy/alice-ct-chest")
  result[search-$audit]=$(measure search "ImagingStudy?patient=alice")
  stop
done

printf '%-8s %14s %14s %8s\n' "" "audit off r/s" "audit on r/s" "on/off"
for kind in read search; do
  off=${result[$kind-false]}; on=${result[$kind-true]}
  printf '%-8s %14s %14s %8.2f\n' "$kind" "$off" "$on" "$(echo "$on / $off" | bc -l)"
done
