#!/usr/bin/env bash
# What a safeguard costs: read and search throughput, and server CPU time per request, with it off
# versus on, on the demo data, as dr.chen (who treats alice), on the same server build and data.
#   bench/overhead.sh audit     the audit trail        (custodian.audit.enabled; target >= 0.85)
#   bench/overhead.sh policy    the access policy      (custodian.bench.policy-off; target >= 0.8)
# Starts two servers (via custodian.sh, which builds when sources changed) on a temporary data
# directory, loopback only: the safeguard on (PORT) and off (PORT+1). It then measures them in turn,
# on, off, on, off, ... (ROUNDS rounds), so that whatever else the machine does falls on both alike.
# For each run it prints requests/second (wrk) and the CPU time the server spent per request: the
# JVM (without its JIT compiler threads) and its PostgreSQL (postmaster and backends), from /proc
# (bench/cpu_ticks.py), so the figure does not depend on how
# busy the rest of the machine is. The summary gives the mean throughput ratio on/off and the CPU
# ratio off/on (the throughput ratio a CPU-bound server would show).
# Needs wrk (apt-get install wrk) and what scripts/demo-token.sh needs.
# DURATION (seconds per run, default 15), CONNECTIONS (default 8), ROUNDS (default 2),
# PORT (default 8181), BENCH_JAVA_OPTS (extra JVM options, e.g. a flight recording) tune it;
# RUN=<dir> runs the extracted server layout in <dir> (a copy of server/target/run, say, to compare
# an older build) instead of building through custodian.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
safeguard=${1:-}
case "$safeguard" in
  audit)  off="--custodian.audit.enabled=false"; on="--custodian.audit.enabled=true" ;;
  policy) off="--custodian.bench.policy-off=true"; on="--custodian.bench.policy-off=false" ;;
  *) echo "usage: bench/overhead.sh audit|policy" >&2; exit 2 ;;
esac
duration=${DURATION:-15}
connections=${CONNECTIONS:-8}
rounds=${ROUNDS:-2}
declare -A port=([on]=${PORT:-8181} [off]=$((${PORT:-8181} + 1)))
declare -A pid
work=$(mktemp -d)
stop_all() {
  for state in "${!pid[@]}"; do kill "${pid[$state]}" 2>/dev/null || true; done
  for state in "${!pid[@]}"; do
    for _ in $(seq 1 30); do kill -0 "${pid[$state]}" 2>/dev/null || break; sleep 1; done
  done
}
trap 'stop_all; rm -rf "$work"' EXIT

start() { # $1 = on|off, $2 = the switch
  local base="http://localhost:${port[$1]}"
  local launch=(./custodian.sh)
  if [ -n "${RUN:-}" ]; then launch=("$(scripts/server-java.sh)" -Xmx2g ${BENCH_JAVA_OPTS:-} -jar "$RUN/custodian-server.jar"); fi
  JAVA_OPTS="-Xmx2g ${BENCH_JAVA_OPTS:-}" "${launch[@]}" --demo --server.port="${port[$1]}" \
    --custodian.auth.issuer="$base" --custodian.db.embedded.data-dir="$work/pg-$1" \
    --custodian.auth.signing-keystore="$work/keys-$1.p12" \
    --custodian.audit.checkpoint-keystore="$work/audit-$1.p12" \
    --custodian.storage.blob-dir="$work/blobs-$1" --custodian.storage.keystore="$work/blob-kek-$1.p12" \
    "$2" > "$work/server-$1.log" 2>&1 &
  pid[$1]=$!
  for _ in $(seq 1 900); do
    grep -q "Custodian ready" "$work/server-$1.log" && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || break
    sleep 1
  done
  echo "server ($1) did not start:" >&2; tail -20 "$work/server-$1.log" >&2; exit 1
}

measure() { # $1 = on|off, $2 = path; prints "requests/second CPU-ms/request (JVM) (PostgreSQL) latency-ms"
  local out requests java pg postmaster latency
  postmaster=$(head -1 "$work/pg-$1/postmaster.pid")
  bench/cpu_ticks.py snapshot "${pid[$1]}" "$postmaster" > "$work/ticks"
  out=$(wrk -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer ${token[$1]}" \
    -H "Accept: application/fhir+json" "http://localhost:${port[$1]}/fhir/$2")
  read -r java pg <<< "$(bench/cpu_ticks.py delta "$work/ticks" "${pid[$1]}" "$postmaster")"
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $2 ($1):" >&2; echo "$out" >&2; exit 1; fi
  # wrk's mean latency (Thread Stats), in ms whatever unit wrk chose
  latency=$(echo "$out" | awk '$1 == "Latency" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "scale=3; ($java + $pg) * 10 / $requests" | bc -l)" \
    "$(echo "scale=3; $java * 10 / $requests" | bc -l)" "$(echo "scale=3; $pg * 10 / $requests" | bc -l)" "$latency"
}

start on "$on"
start off "$off"
declare -A token sum_rate sum_cpu sum_latency
paths=([0]="ImagingStudy/alice-ct-chest" [1]="ImagingStudy?patient=alice")
kinds=([0]=read [1]=search)
printf '%-6s %-6s %-4s %12s %14s %8s %10s %12s\n' round kind mode "requests/s" "CPU-ms/request" "(JVM" "PostgreSQL)" "latency-ms"
for round in $(seq 1 "$rounds"); do
  for state in on off; do
    token[$state]=$(CUSTODIAN_URL="http://localhost:${port[$state]}" scripts/demo-token.sh dr.chen "user/*.rs")
    if [ "$round" = 1 ]; then # warm-up
      for i in 0 1; do measure "$state" "${paths[$i]}" >/dev/null; done
    fi
    for i in 0 1; do
      read -r rate cpu jvm db latency <<< "$(measure "$state" "${paths[$i]}")"
      printf '%-6s %-6s %-4s %12s %14s %8s %10s %12s\n' "$round" "${kinds[$i]}" "$state" "$rate" "$cpu" "$jvm" "$db" "$latency"
      key="${kinds[$i]}-$state"
      sum_rate[$key]=$(echo "${sum_rate[$key]:-0} + $rate" | bc -l)
      sum_cpu[$key]=$(echo "${sum_cpu[$key]:-0} + $cpu" | bc -l)
      sum_latency[$key]=$(echo "${sum_latency[$key]:-0} + $latency" | bc -l)
    done
  done
done

echo
printf '%-8s %12s %12s %8s %14s %14s %8s %12s %12s\n' "" "off r/s" "on r/s" "on/off" "off CPU-ms/req" "on CPU-ms/req" \
  "off/on" "off lat-ms" "on lat-ms"
for kind in read search; do
  printf '%-8s %12.1f %12.1f %8.2f %14.2f %14.2f %8.2f %12.2f %12.2f\n' "$kind" \
    "$(echo "${sum_rate[$kind-off]} / $rounds" | bc -l)" "$(echo "${sum_rate[$kind-on]} / $rounds" | bc -l)" \
    "$(echo "${sum_rate[$kind-on]} / ${sum_rate[$kind-off]}" | bc -l)" \
    "$(echo "${sum_cpu[$kind-off]} / $rounds" | bc -l)" "$(echo "${sum_cpu[$kind-on]} / $rounds" | bc -l)" \
    "$(echo "${sum_cpu[$kind-off]} / ${sum_cpu[$kind-on]}" | bc -l)" \
    "$(echo "${sum_latency[$kind-off]} / $rounds" | bc -l)" "$(echo "${sum_latency[$kind-on]} / $rounds" | bc -l)"
done
