#!/usr/bin/env bash
# Builds Custodian when its sources changed, then starts the server on http://localhost:8080/fhir.
#   ./custodian.sh --demo                      demo records on the embedded PostgreSQL under ./data
#   ./custodian.sh --demo --synthetic-patients=1000
#   JAVA_OPTS=-Xmx2g ./custodian.sh            any other --name=value is a Spring property
set -euo pipefail
cd "$(dirname "$0")"
jar=server/target/custodian-server.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml ig server interceptors dicom -newer "$jar" -type f \
      -not -path '*/target/*' -print -quit)" ]; then
  echo "Building Custodian (mvn -DskipTests install)…" >&2
  mvn -B -q -DskipTests install
fi
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
