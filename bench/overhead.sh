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
# CPU-bound server would show), and how much of the whole machine's CPU time stayed idle in each mode
# (/proc/stat): a throughput ratio below the CPU ratio is that idle time, e.g. requests that wait for
# the audit trail's commit while PostgreSQL waits for the disk.
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
# CONNECTIONS (default "8 16 32") lists the load levels: the rounds run at each level in turn, after
# one warm-up, and the summary gives a row per path and level, then each path's capacity: each mode's
# highest mean throughput over the levels, and their ratio. That ratio is the figure the targets
# mean (the README reports it): the throughput a server sustains is what it delivers under enough
# load to keep it busy. With the audit trail on, a request waits for its record's commit; at a level
# too low to cover those waits (8 connections on 2 cores: the CPU idles about a tenth of the time,
# session 15) the closed loop of clients measures latency more than throughput, while without the
# audit trail the same level already saturates the server. The group commit carries more events
# per commit the more requests are under way, so the cost per request also falls with the load
# (session 15, read: 0.81 at 8 connections, 0.87 at 16, 0.90 at 32). The rows per level stay, latency
# included, for what a light load sees. CONNECTIONS=8 runs one level (and prints no capacity).
# DURATION, ROUNDS,
# PORT (default 8181), BENCH_JAVA_OPTS (extra JVM options, e.g. a flight recording) tune it;
# RUN=<dir> runs the extracted server layout in <dir> (a copy of server/target/run, say, to compare
# an older build) instead of building through custodian.sh.
# BASELINE=<dir> compares two builds: it starts a second server from the extracted layout in <dir>
# (on PORT+1, its own data) beside the first, and measures both in every round, in turn (the first
# before the baseline in odd rounds, after it in even ones); the summary gives the baseline's rows
# marked "(baseline)". Two builds measured one after the other differ by the machine's drift as much
# as by their code (session 11: one build gave 0.79 and 0.82 an hour apart); measured interleaved,
# the audit store's reused deflaters showed as 0.78 -> 0.80 and 0.82 in two runs of 24 pairs. The
# two slots can differ too (session 11: 7 % apart on the endpoint without the audit trail), so check
# with the same build in both before reading a difference of a few hundredths as the change's.
set -euo pipefail
cd "$(dirname "$0")/.."
safeguard=${1:-}
case "$safeguard" in
  audit|policy) ;;
  *) echo "usage: bench/overhead.sh audit|policy" >&2; exit 2 ;;
esac
duration=${DURATION:-2}
warmup=${WARMUP:-240}
levels=(${CONNECTIONS:-8 16 32})
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
declare -A prefix=([on]=/fhir [off]=/fhir/_bench-off)
# the servers measured: "main", and "baseline" with BASELINE; per server its pid, PostgreSQL, URL, token
servers=(main)
if [ -n "${BASELINE:-}" ]; then
  [ -f "$BASELINE/custodian-server.jar" ] || { echo "BASELINE: no custodian-server.jar in '$BASELINE'" >&2; exit 2; }
  servers+=(baseline)
fi
work=$(mktemp -d)
declare -A pids=() postmasters=() bases=() tokens=()
stop_servers() {
  local name
  for name in "${!pids[@]}"; do kill "${pids[$name]}" 2>/dev/null || true; done
  for name in "${!pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "${pids[$name]}" 2>/dev/null || break; sleep 1; done
  done
}
trap 'stop_servers; rm -rf "$work"' EXIT

# the JVM options custodian.sh starts the server with by default, plus BENCH_JAVA_OPTS
jvm_options="-Xss1m -Xms2g -Xmx2g ${BENCH_JAVA_OPTS:-}"
start_server() { # $1 = name, $2 = port, then the command that launches it
  local name=$1 server_port=$2 dir="$work/$1"
  shift 2
  mkdir -p "$dir"
  bases[$name]="http://localhost:$server_port"
  JAVA_OPTS="$jvm_options" "$@" --demo --server.port="$server_port" --server.address=127.0.0.1 \
    --custodian.bench.compare="$safeguard" \
    --custodian.auth.issuer="${bases[$name]}" --custodian.db.embedded.data-dir="$dir/pg" \
    --custodian.auth.signing-keystore="$dir/keys.p12" \
    --custodian.audit.checkpoint-keystore="$dir/audit.p12" \
    --custodian.storage.blob-dir="$dir/blobs" --custodian.storage.keystore="$dir/blob-kek.p12" \
    > "$dir/server.log" 2>&1 &
  pids[$name]=$!
  for _ in $(seq 1 900); do
    grep -q "Custodian ready" "$dir/server.log" && break
    kill -0 "${pids[$name]}" 2>/dev/null || break
    sleep 1
  done
  grep -q "Custodian ready" "$dir/server.log" || { echo "$name server did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
  postmasters[$name]=$(head -1 "$dir/pg/postmaster.pid")
}
launch=(./custodian.sh)
if [ -n "${RUN:-}" ]; then launch=("$(scripts/server-java.sh)" $jvm_options -jar "$RUN/custodian-server.jar"); fi
start_server main "$port" "${launch[@]}"
if [ -n "${BASELINE:-}" ]; then
  start_server baseline $((port + 1)) "$(scripts/server-java.sh)" $jvm_options -jar "$BASELINE/custodian-server.jar"
fi
new_tokens() {
  local name
  for name in "${servers[@]}"; do
    tokens[$name]=$(CUSTODIAN_URL="${bases[$name]}" scripts/demo-token.sh dr.chen "user/*.rs")
  done
}
new_tokens

status() { # $1 = server, $2 = path under it; prints the HTTP status dr.chen gets
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${tokens[$1]}" -H "Accept: application/fhir+json" "${bases[$1]}$2"
}
# the twin must lack the safeguard and /fhir must keep it, or the figures below mean nothing
if [ "$safeguard" = policy ]; then
  for server in "${servers[@]}"; do
    # dr.chen does not treat bruno: hidden on /fhir, served by the twin without the policy
    on_status=$(status "$server" /fhir/ImagingStudy/bruno-ct-chest); off_status=$(status "$server" /fhir/_bench-off/ImagingStudy/bruno-ct-chest)
    if [ "$on_status" != 404 ] || [ "$off_status" != 200 ]; then
      echo "$server: bruno's study: /fhir answered $on_status (want 404), the twin $off_status (want 200)" >&2; exit 1
    fi
  done
fi

measure() { # $1 = server, $2 = on|off, $3 = path, [$4 = seconds]; prints "requests/second CPU-ms/request (JVM) (PostgreSQL) latency-ms idle-%"
  local out requests java pg latency idle before after server=$1
  bench/cpu_ticks.py snapshot "${pids[$server]}" "${postmasters[$server]}" > "$work/ticks"
  before=$(head -1 /proc/stat)
  out=$(wrk -t2 -c"$connections" -d"${4:-$duration}s" -H "Authorization: Bearer ${tokens[$server]}" \
    -H "Accept: application/fhir+json" "${bases[$server]}${prefix[$2]}/$3")
  after=$(head -1 /proc/stat)
  read -r java pg <<< "$(bench/cpu_ticks.py delta "$work/ticks" "${pids[$server]}" "${postmasters[$server]}")"
  # the share of the machine's CPU time that was idle (idle and iowait over all of /proc/stat's first line)
  idle=$(awk -v a="$before" -v b="$after" 'BEGIN { n = split(a, x); split(b, y); for (i = 2; i <= n; i++) { d = y[i] - x[i];
    all += d; if (i == 5 || i == 6) free += d } printf "%.1f", (all > 0 ? 100 * free / all : 0) }')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $3 ($2, $server):" >&2; echo "$out" >&2; exit 1; fi
  # wrk's mean latency (Thread Stats), in ms whatever unit wrk chose
  latency=$(echo "$out" | awk '$1 == "Latency" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "scale=3; ($java + $pg) * 10 / $requests" | bc -l)" \
    "$(echo "scale=3; $java * 10 / $requests" | bc -l)" "$(echo "scale=3; $pg * 10 / $requests" | bc -l)" "$latency" "$idle"
}

paths=([0]="ImagingStudy/alice-ct-chest" [1]="ImagingStudy?patient=alice")
kinds=([0]=read [1]=search)
# warm-up: WARMUP seconds in all, in 20 s slices over every path, on and off (per server)
slices=$(( (warmup + 19) / 20 ))
# a fresh token before one can expire: every 20 slices or 10 rounds of one server, half as many of two
refresh_slices=$(( 20 / ${#servers[@]} )); refresh_rounds=$(( 10 / ${#servers[@]} ))
for slice in $(seq 1 "$slices"); do
  [ $(( (slice - 1) % refresh_slices )) = 0 ] && new_tokens
  states=(on off); i=$(( (slice / 2) % 2 )); state=${states[$((slice % 2))]}
  for server in "${servers[@]}"; do measure "$server" "$state" "${paths[$i]}" 20 >/dev/null; done
done
rows="$work/rows"
if [ -n "${VERBOSE:-}" ]; then
  printf '%-6s %-16s %-4s %12s %14s %8s %10s %12s %7s\n' round kind mode "requests/s" "CPU-ms/request" "(JVM" "PostgreSQL)" "latency-ms" "idle-%"
fi
echo "$rounds rounds of ${duration} s per path and mode, at ${levels[*]} connections$([ ${#servers[@]} -gt 1 ] && echo ", this build and the baseline in turn") (VERBOSE=1 prints each)"
for connections in "${levels[@]}"; do
for round in $(seq 1 "$rounds"); do
  [ $(( (round - 1) % refresh_rounds )) = 0 ] && new_tokens
  order=(on off); [ $((round % 2)) = 0 ] && order=(off on) # on-off, then off-on: a drift falls on both
  turn=("${servers[@]}")
  [ $((round % 2)) = 0 ] && [ ${#servers[@]} -gt 1 ] && turn=(baseline main) # likewise between the builds
  for server in "${turn[@]}"; do
    label=""; [ "$server" = baseline ] && label="/baseline"
    for i in 0 1; do
      for state in "${order[@]}"; do
        read -r rate cpu jvm db latency idle <<< "$(measure "$server" "$state" "${paths[$i]}")"
        # measure's own exit ends only the command substitution it runs in; a failed round stops the run here
        [ -n "$rate" ] || exit 1
        if [ -n "${VERBOSE:-}" ]; then
          printf '%-6s %-16s %-4s %12s %14s %8s %10s %12s %7s\n' "$round" "${kinds[$i]}@$connections$label" "$state" "$rate" "$cpu" "$jvm" "$db" "$latency" "$idle"
        fi
        echo "$round ${kinds[$i]}@$connections$label $state $rate $cpu $latency $idle" >> "$rows"
      done
    done
  done
done
done

echo
python3 - "$rows" "$safeguard" <<'SUMMARY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"{'':19} {'off r/s':>9} {'on r/s':>9} {'on/off':>7} {'median':>7} {'range':>11}"
      f" {'off CPU-ms':>11} {'on CPU-ms':>10} {'off/on':>7} {'off lat-ms':>11} {'on lat-ms':>10} {'off idle%':>10} {'on idle%':>9}")
# one row per path and number of connections ("read@8"), by number of connections; a baseline's rows
# ("read@8/baseline") after this build's
def key(kind):
    path, rest = kind.split("@")
    level, _, server = rest.partition("/")
    return (int(level), server, path != "read")
kinds = sorted({r[1] for r in rows}, key=key)
several = len({k.split("@")[1].split("/")[0] for k in kinds}) > 1
for kind in kinds:
    runs = {(r[0], r[2]): (float(r[3]), float(r[4]), float(r[5]), float(r[6])) for r in rows if r[1] == kind}
    rounds = sorted({r for r, _ in runs}, key=int)
    ratios = [runs[(r, "on")][0] / runs[(r, "off")][0] for r in rounds]
    mean = lambda state, k: statistics.mean(runs[(r, state)][k] for r in rounds)
    path, rest = kind.split("@")
    level, _, server = rest.partition("/")
    label = (kind.split("/")[0] if several else path) + (" (baseline)" if server else "")
    print(f"{label:19} {mean('off', 0):9.1f} {mean('on', 0):9.1f} {mean('on', 0) / mean('off', 0):7.2f}"
          f" {statistics.median(ratios):7.2f} {min(ratios):5.2f}-{max(ratios):<5.2f}"
          f" {mean('off', 1):11.2f} {mean('on', 1):10.2f} {mean('off', 1) / mean('on', 1):7.2f}"
          f" {mean('off', 2):11.2f} {mean('on', 2):10.2f} {mean('off', 3):10.1f} {mean('on', 3):9.1f}")
print(f"on/off: mean throughput with the {sys.argv[2]} on over off; median and range: of the rounds' ratios;"
      " off/on: of the mean CPU time per request; idle%: of the whole machine's CPU time while measuring")
# capacity: what each mode delivers at its best level, the throughput a server can sustain (a closed
# loop of too few clients leaves the slower mode idle while requests wait, and measures its latency)
if several:
    print()
    print(f"capacity: each mode's highest mean throughput over {', '.join(sorted({k.split('@')[1].split('/')[0] for k in kinds}, key=int))} connections")
    print(f"{'':19} {'off r/s':>9} {'at':>4} {'on r/s':>9} {'at':>4} {'on/off':>7}")
    for name in sorted({(k.split("@")[0], k.partition("/")[2]) for k in kinds}, key=lambda n: (n[1], n[0] != "read")):
        best = {}
        for state in ("off", "on"):
            means = []
            for kind in kinds:
                path, rest = kind.split("@")
                level, _, server = rest.partition("/")
                if (path, server) == name:
                    means.append((statistics.mean(float(r[3]) for r in rows if r[1] == kind and r[2] == state), level))
            best[state] = max(means)
        label = name[0] + (" (baseline)" if name[1] else "")
        print(f"{label:19} {best['off'][0]:9.1f} {best['off'][1]:>4} {best['on'][0]:9.1f} {best['on'][1]:>4}"
              f" {best['on'][0] / best['off'][0]:7.2f}")
SUMMARY
