#!/usr/bin/env bash
# DICOMweb throughput and memory: STOW-RS ingest (instances/s), WADO-RS retrieval of one study of
# over 1 GiB encrypted at rest versus a plaintext baseline on the same build, path and data
# (ratio; target >= 0.8), the server's CPU time per GiB retrieved (from /proc, without the JIT
# compiler threads: the figure to trust on a busy machine), and the server's heap growth while it
# streams that study (target < 64 MiB). Starts its own two servers (from the build's classes,
# loopback only, demo data) on a temporary data directory that it deletes at the end, and retrieves
# from them in turn; the plaintext baseline is the benchmark-only switch
# custodian.bench.plaintext-blobs. Needs what the build needs, Linux /proc and a JDK's jcmd; about
# 3 GB of disk under $TMPDIR.
#   bench/dicomweb.sh
#   BENCH_INSTANCES=1024 BENCH_INSTANCE_KIB=1024 BENCH_BATCH=64 BENCH_RUNS=3 BENCH_XMX=768m bench/dicomweb.sh
# MAVEN_ARGS passes options to Maven (e.g. MAVEN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/custodian-dicomweb-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2086
mvn -B -q ${MAVEN_ARGS:-} -pl server -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" -Dnpm.skip="${NPM_SKIP:-false}"
classpath="server/target/test-classes:server/target/classes:$(cat "$work/classpath")"

# The benchmark and the servers it starts run on the JDK the server would (scripts/server-java.sh).
BENCH_WORK="$work" "$(scripts/server-java.sh)" -cp "$classpath" dev.custodian.server.dicomweb.DicomwebBenchmark
