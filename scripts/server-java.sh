#!/usr/bin/env bash
# Prints the java command the server runs on. Custodian builds for Java 17, but runs best on 21 or
# later: their AES-GCM uses this CPU class's vector AES and carry-less multiply (VAES, VPCLMULQDQ),
# which decrypts stored images in about half the CPU time of Java 17 (bench/dicomweb.sh).
# Order: $CUSTODIAN_JAVA if set; else the newest JDK of release 21 or later among $JAVA_HOME and
# /usr/lib/jvm/*; else the java on the PATH (whatever its release).
#   java=$(scripts/server-java.sh); "$java" -version
set -euo pipefail
if [ -n "${CUSTODIAN_JAVA:-}" ]; then echo "$CUSTODIAN_JAVA"; exit 0; fi
best="" best_major=20
for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  if [ -n "$version" ] && [ "$version" -gt "$best_major" ]; then best="$home/bin/java" best_major=$version; fi
done
echo "${best:-java}"
