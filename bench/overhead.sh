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
# The server is first warmed up for WARMUP seconds (default 240) over every path, on and off: the JIT
# keeps improving a server this size for minutes on 2 cores. Then come ROUNDS rounds (default 40) of
# DURATION seconds (default 2) per path and mode, on before off in odd rounds and off before on in
# even ones. Short rounds, many of them: on the shared hosts this runs on, the speed of the whole
# machine drifts by ±15 % and more over tens of seconds, so 10-second rounds (the default until
# session 9) put much of that drift into single rounds' ratios; 2-second rounds alternate faster than
# it changes, and the mean over 40 of them repeats within about ±0.02 (three runs of 40 pairs of
# 2-second read rounds in a row, session 9: 0.80, 0.78, 0.79). The summary gives the ratio of the
# means, the median and the range of the rounds' ratios; VERBOSE=1 prints every round.
# CONNECTIONS (default 8) may list several levels ("8 16 32"): the rounds then run at each level in
# turn, after one warm-up, and the summary gives a row per path and level. The audit trail's group
# commit carries more events per commit the more requests are under way, so its cost per request
# falls with the load (session 10, read: 0.78 at 8 connections, 0.82 at 16, 0.85 at 32, in one run);
# 8 stays the default and the figure the README reports.
# DURATION, ROUNDS,
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
duration=${DURATION:-2}
warmup=${WARMUP:-240}
levels=(${CONNECTIONS:-8})
for level in "${levels[@]}"; do
  [[ "$level" =~ ^[0-9]+$ ]] && [ "$level" -ge 2 ] || { echo "CONNECTIONS: numbers of connections (at least 2, one per wrk thread), not '$level'" >&2; exit 2; }
done
# each level once: the summary keys its rows by path and level, so a repeated level would silently
# keep only its last rounds
if [ "$(printf '%s\n' "${levels[@]}" | sort -u | wc -l)" -ne "${#levels[@]}" ]; then
  echo "CONNECTIONS: each level once, not '${levels[*]}'" >&2; exit 2
fi
connections=${levels[0]}
rounds=${ROUNDS:-40}
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
# the JVM options custodian.sh starts the server with by default, plus BENCH_JAVA_OPTS
jvm_options="-Xss1m -Xms2g -Xmx2g ${BENCH_JAVA_OPTS:-}"
if [ -n "${RUN:-}" ]; then launch=("$(scripts/server-java.sh)" $jvm_options -jar "$RUN/custodian-server.jar"); fi
JAVA_OPTS="$jvm_options" "${launch[@]}" --demo --server.port="$port" --server.address=127.0.0.1 \
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

paths=([0]="ImagingStudy/alice-ct-chest" [1]="ImagingStudy?patient=alice")
kinds=([0]=read [1]=search)
# warm-up: WARMUP seconds in all, in 20 s slices over every path, on and off
slices=$(( (warmup + 19) / 20 ))
for slice in $(seq 1 "$slices"); do
  [ $((slice % 20)) = 1 ] && new_token
  states=(on off); i=$(( (slice / 2) % 2 )); state=${states[$((slice % 2))]}
  measure "$state" "${paths[$i]}" 20 >/dev/null
done
rows="$work/rows"
if [ -n "${VERBOSE:-}" ]; then
  printf '%-6s %-6s %-4s %12s %14s %8s %10s %12s\n' round kind mode "requests/s" "CPU-ms/request" "(JVM" "PostgreSQL)" "latency-ms"
fi
echo "$rounds rounds of ${duration} s per path and mode, at ${levels[*]} connections (VERBOSE=1 prints each)"
for connections in "${levels[@]}"; do
for round in $(seq 1 "$rounds"); do
  [ $((round % 10)) = 1 ] && new_token # a fresh token every 10 rounds: a run outlasts none
  order=(on off); [ $((round % 2)) = 0 ] && order=(off on) # on-off, then off-on: a drift falls on both
  for i in 0 1; do
    for state in "${order[@]}"; do
      read -r rate cpu jvm db latency <<< "$(measure "$state" "${paths[$i]}")"
      if [ -n "${VERBOSE:-}" ]; then
        printf '%-6s %-6s %-4s %12s %14s %8s %10s %12s\n' "$round" "${kinds[$i]}@$connections" "$state" "$rate" "$cpu" "$jvm" "$db" "$latency"
      fi
      echo "$round ${kinds[$i]}@$connections $state $rate $cpu $latency" >> "$rows"
    done
  done
done
done

echo
python3 - "$rows" "$safeguard" <<'SUMMARY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"{'':8} {'off r/s':>9} {'on r/s':>9} {'on/off':>7} {'median':>7} {'range':>11}"
      f" {'off CPU-ms':>11} {'on CPU-ms':>10} {'off/on':>7} {'off lat-ms':>11} {'on lat-ms':>10}")
# one row per path and number of connections ("read@8"), by number of connections
kinds = sorted({r[1] for r in rows}, key=lambda k: (int(k.split("@")[1]), k.split("@")[0] != "read"))
several = len({k.split("@")[1] for k in kinds}) > 1
for kind in kinds:
    runs = {(r[0], r[2]): (float(r[3]), float(r[4]), float(r[5])) for r in rows if r[1] == kind}
    rounds = sorted({r for r, _ in runs}, key=int)
    ratios = [runs[(r, "on")][0] / runs[(r, "off")][0] for r in rounds]
    mean = lambda state, k: statistics.mean(runs[(r, state)][k] for r in rounds)
    label = kind if several else kind.split("@")[0]
    print(f"{label:8} {mean('off', 0):9.1f} {mean('on', 0):9.1f} {mean('on', 0) / mean('off', 0):7.2f}"
          f" {statistics.median(ratios):7.2f} {min(ratios):5.2f}-{max(ratios):<5.2f}"
          f" {mean('off', 1):11.2f} {mean('on', 1):10.2f} {mean('off', 1) / mean('on', 1):7.2f}"
          f" {mean('off', 2):11.2f} {mean('on', 2):10.2f}")
print(f"on/off: mean throughput with the {sys.argv[2]} on over off; median and range: of the rounds' ratios;"
      " off/on: of the mean CPU time per request")
SUMMARY
