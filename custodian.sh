#!/usr/bin/env bash
# Builds Custodian when its sources changed, then starts the server on http://localhost:8080/fhir.
#   ./custodian.sh --demo                      demo records on the embedded PostgreSQL under ./data
#   ./custodian.sh --demo --synthetic-patients=1000
#   JAVA_OPTS="-Xss1m -Xms4g -Xmx4g" ./custodian.sh   JVM options (replace the defaults below)
#   any other --name=value is a Spring property
set -euo pipefail
cd "$(dirname "$0")"
jar=server/target/custodian-server.jar
run=server/target/run
if [ ! -f "$jar" ] || [ -n "$(find pom.xml ig server interceptors dicom smart-apps -newer "$jar" -type f \
      -not -path '*/target/*' -not -path '*/node_modules/*' -print -quit)" ]; then
  echo "Building Custodian (mvn -DskipTests install)…" >&2
  mvn -B -q -DskipTests install
fi
# The extracted layout (plain jars, no nested-jar loading) starts several seconds faster.
if [ ! -f "$run/custodian-server.jar" ] || [ "$jar" -nt "$run/custodian-server.jar" ]; then
  rm -rf "$run"
  java -Djarmode=tools -jar "$jar" extract --destination "$run" >/dev/null
fi
# The newest JDK of release 21 or later when there is one (scripts/server-java.sh; CUSTODIAN_JAVA
# chooses another): image decryption costs about half the CPU there that it costs on Java 17.
java=$(scripts/server-java.sh)
# Full JIT by default: image encryption needs C2 (AES-NI intrinsics); C1 alone starts a few seconds
# faster but encrypts at about 20 MiB/s. A fixed 2 GiB heap: about 370 MiB stay live (the FHIR
# definitions), and a heap G1 sizes itself stays so small that it marks concurrently after nearly
# every young collection (a quarter fewer reads per second, README "Configuration").
# JAVA_OPTS replaces these options.
exec "$java" ${JAVA_OPTS:--Xss1m -Xms2g -Xmx2g} -jar "$run/custodian-server.jar" "$@"
