#!/usr/bin/env bash
# What a safeguard costs: read and search throughput, and server CPU time per request, with it on
# versus off, on the demo data, as dr.chen (who treats alice), on one server.
#   bench/overhead.sh audit     the audit trail        (target >= 0.85)
#   bench/overhead.sh policy    the access policy      (target >= 0.8)
# Starts one server (via custodian.sh, which builds when sources changed) on a temporary data
# directory, loopback only, with custodian.bench.compare=<safeguard>: besides /fhir, which keeps every
# safeguard, it then serves a twin endpoint /fhir/_bench-off assembled the same way without that one
# safeguard, in the same JVM over the same database. The benchmark measures the two in turn, on, off,
# on, off, ... (ROUNDS rounds), so that the JIT's state, the caches, the data and whatever else the
# machine does fall on both alike. (Two separate server processes, as an earlier version of this
# script used, differed by up to half their read throughput from run to run whichever had the
# safeguard.)
# For each run it prints requests/second (wrk) and the CPU time the server spent per request: the
# JVM (without its JIT compiler threads) and its PostgreSQL (postmaster and backends), from /proc
# (bench/cpu_ticks.py), so the figure does not depend on how busy the rest of the machine is. The
# summary gives the mean throughput ratio on/off and the CPU ratio off/on (the throughput ratio a
# CPU-bound server would show).
# Needs wrk (apt-get install wrk) and what scripts/demo-token.sh needs.
# Before the first round the server is warmed up on every path, on and off, for WARMUP seconds each
# (default 45): the JIT keeps improving a server this size for minutes.
# DURATION (seconds per run, default 15), CONNECTIONS (default 8), ROUNDS (default 3),
# PORT (default 8181), BENCH_JAVA_OPTS (extra JVM options, e.g. a flight recording) tune it;
# RUN=<dir> runs the extracted server layout in <dir> (a copy of server/target/run, say, to compare
# an older build) instead of building through custodian.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
safeguard=${1:-}
case "$safeguard" in
  audit|policy) ;;
  *) echo "usage: bench/overhead.sh audit|policy" >&2; exit 2 ;;
esac
duration=${DURATION:-15}
warmup=${WARMUP:-45}
connections=${CONNECTIONS:-8}
rounds=${ROUNDS:-3}
port=${PORT:-8181}
base="http://localhost:$port"
declare -A prefix=([on]=/fhir [off]=/fhir/_bench-off)
work=$(mktemp -d)
pid=""
stop_server() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
}
trap 'stop_server; rm -rf "$work"' EXIT

launch=(./custodian.sh)
if [ -n "${RUN:-}" ]; then launch=("$(scripts/server-java.sh)" -Xmx2g ${BENCH_JAVA_OPTS:-} -jar "$RUN/custodian-server.jar"); fi
JAVA_OPTS="-Xmx2g ${BENCH_JAVA_OPTS:-}" "${launch[@]}" --demo --server.port="$port" --server.address=127.0.0.1 \
  --custodian.bench.compare="$safeguard" \
  --custodian.auth.issuer="$base" --custodian.db.embedded.data-dir="$work/pg" \
  --custodian.auth.signing-keystore="$work/keys.p12" \
  --custodian.audit.checkpoint-keystore="$work/audit.p12" \
  --custodian.storage.blob-dir="$work/blobs" --custodian.storage.keystore="$work/blob-kek.p12" \
  > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 900); do
  grep -q "Custodian ready" "$work/server.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
grep -q "Custodian ready" "$work/server.log" || { echo "server did not start:" >&2; tail -20 "$work/server.log" >&2; exit 1; }
postmaster=$(head -1 "$work/pg/postmaster.pid")
new_token() { token=$(CUSTODIAN_URL="$base" scripts/demo-token.sh dr.chen "user/*.rs"); }
new_token

status() { # $1 = path under the server; prints the HTTP status dr.chen gets
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H "Accept: application/fhir+json" "$base$1"
}
# the twin must lack the safeguard and /fhir must keep it, or the figures below mean nothing
if [ "$safeguard" = policy ]; then
  # dr.chen does not treat bruno: hidden on /fhir, served by the twin without the policy
  on_status=$(status /fhir/ImagingStudy/bruno-ct-chest); off_status=$(status /fhir/_bench-off/ImagingStudy/bruno-ct-chest)
  if [ "$on_status" != 404 ] || [ "$off_status" != 200 ]; then
    echo "bruno's study: /fhir answered $on_status (want 404), the twin $off_status (want 200)" >&2; exit 1
  fi
fi

measure() { # $1 = on|off, $2 = path, [$3 = seconds]; prints "requests/second CPU-ms/request (JVM) (PostgreSQL) latency-ms"
  local out requests java pg latency
  bench/cpu_ticks.py snapshot "$pid" "$postmaster" > "$work/ticks"
  out=$(wrk -t2 -c"$connections" -d"${3:-$duration}s" -H "Authorization: Bearer $token" \
    -H "Accept: application/fhir+json" "$base${prefix[$1]}/$2")
  read -r java pg <<< "$(bench/cpu_ticks.py delta "$work/ticks" "$pid" "$postmaster")"
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $2 ($1):" >&2; echo "$out" >&2; exit 1; fi
  # wrk's mean latency (Thread Stats), in ms whatever unit wrk chose
  latency=$(echo "$out" | awk '$1 == "Latency" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "scale=3; ($java + $pg) * 10 / $requests" | bc -l)" \
    "$(echo "scale=3; $java * 10 / $requests" | bc -l)" "$(echo "scale=3; $pg * 10 / $requests" | bc -l)" "$latency"
}

declare -A sum_rate sum_cpu sum_latency
paths=([0]="ImagingStudy/alice-ct-chest" [1]="ImagingStudy?patient=alice")
kinds=([0]=read [1]=search)
for state in on off; do # warm-up
  for i in 0 1; do measure "$state" "${paths[$i]}" "$warmup" >/dev/null; done
done
printf '%-6s %-6s %-4s %12s %14s %8s %10s %12s\n' round kind mode "requests/s" "CPU-ms/request" "(JVM" "PostgreSQL)" "latency-ms"
for round in $(seq 1 "$rounds"); do
  new_token # a fresh token each round: a run outlasts none
  for state in on off; do
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
