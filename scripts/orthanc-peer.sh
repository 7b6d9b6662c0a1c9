#!/usr/bin/env bash
# Orthanc as a real DICOMweb peer of Custodian: starts Orthanc (Debian's orthanc + orthanc-dicomweb,
# installed with apt-get if missing) on spare loopback ports, with Custodian configured as a remote
# DICOMweb server that it calls with dr.chen's bearer token. Orthanc then stores a CT instance to
# Custodian (STOW-RS), finds it there (QIDO-RS), forgets its own copy and retrieves it back (WADO-RS),
# and the script checks that UIDs and bytes are what was sent. Orthanc is stopped and its data and
# configuration (a temporary directory under $TMPDIR) deleted at the end.
#   scripts/orthanc-peer.sh                 starts its own Custodian from server/target/custodian-server.jar
#                                           (mvn -B -DskipTests package builds it) on a temporary data directory
#   CUSTODIAN_URL=http://localhost:8080 scripts/orthanc-peer.sh    uses a running one (started with --demo)
# START_TIMEOUT (seconds, default 600) bounds the wait for our own Custodian to be ready; CUSTODIAN_JAR
# names another server jar.
# Needs curl, openssl and python3 (scripts/demo-token.sh), dcmtk's dcmodify and the pydicom test corpus
# (apt-get install dcmtk python3-pydicom) for the CT instance. Prints PASS at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm

need=()
command -v Orthanc >/dev/null 2>&1 || need+=(orthanc)
[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || need+=(orthanc-dicomweb)
command -v dcmodify >/dev/null 2>&1 || need+=(dcmtk)
[ -f "$corpus" ] || need+=(python3-pydicom)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/custodian-orthanc-peer.XXXXXX")
orthanc_pid=""
custodian_pid=""
cleanup() {
  [ -n "$orthanc_pid" ] && kill "$orthanc_pid" 2>/dev/null && wait "$orthanc_pid" 2>/dev/null || true
  [ -n "$custodian_pid" ] && kill "$custodian_pid" 2>/dev/null && wait "$custodian_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # $1 = url, $2 = seconds, $3 = log
  for _ in $(seq 1 "$2"); do
    curl -s -o /dev/null "$1" && return 0
    sleep 1
  done
  echo "not ready: $1" >&2; [ -n "${3:-}" ] && tail -40 "$3" >&2; return 1
}

# Custodian: a running one, or our own on a temporary data directory
if [ -n "${CUSTODIAN_URL:-}" ]; then
  base=${CUSTODIAN_URL%/}
else
  jar=${CUSTODIAN_JAR:-server/target/custodian-server.jar}
  [ -f "$jar" ] || fail "$jar is missing: build it with mvn -B -DskipTests package (or set CUSTODIAN_URL)"
  port=$(free_port)
  base="http://localhost:$port"
  echo "Starting Custodian on $base…" >&2
  "$(scripts/server-java.sh)" ${JAVA_OPTS:--Xmx1g} -jar "$jar" --demo --server.port="$port" --custodian.auth.issuer="$base" \
    --custodian.db.embedded.data-dir="$work/custodian/postgres" \
    --custodian.auth.signing-keystore="$work/custodian/token-signing.p12" \
    --custodian.audit.checkpoint-keystore="$work/custodian/audit.p12" \
    --custodian.storage.blob-dir="$work/custodian/blobs" \
    --custodian.storage.keystore="$work/custodian/blob-kek.p12" > "$work/custodian.log" 2>&1 &
  custodian_pid=$!
  for _ in $(seq 1 "${START_TIMEOUT:-600}"); do
    grep -qs "Custodian ready" "$work/custodian.log" && break
    kill -0 "$custodian_pid" 2>/dev/null || { tail -40 "$work/custodian.log" >&2; fail "Custodian exited"; }
    sleep 1
  done
  grep -q "Custodian ready" "$work/custodian.log" || { tail -40 "$work/custodian.log" >&2; fail "Custodian did not start"; }
fi
token=$(CUSTODIAN_URL="$base" scripts/demo-token.sh dr.chen "openid fhirUser user/*.cruds")

# A CT instance of alice's (dr.chen treats her, so he may store it): CT_small.dcm with her MRN and new UIDs
cp "$corpus" "$work/ct.dcm"
dcmodify -q -nb -i "(0010,0020)=MRN-100001" -i "(0010,0021)=https://custodian.dev/fhir/sid/mrn" \
  -i "(0010,0010)=Martin^Alice" -gst -gse -gin "$work/ct.dcm"
study=$(dcmdump -q +P 0020,000d "$work/ct.dcm" | sed -E 's/.*\[([^]]*)\].*/\1/')
sop=$(dcmdump -q +P 0008,0018 "$work/ct.dcm" | sed -E 's/.*\[([^]]*)\].*/\1/')
sent_sha=$(sha256sum "$work/ct.dcm" | cut -d' ' -f1)

# Orthanc, loopback only, Custodian as its remote DICOMweb server "custodian"
http_port=$(free_port)
dicom_port=$(free_port)
orthanc="http://127.0.0.1:$http_port"
mkdir -p "$work/orthanc/db"
cat > "$work/orthanc/orthanc.json" <<JSON
{
  "Name": "custodian-peer",
  "StorageDirectory": "$work/orthanc/db",
  "IndexDirectory": "$work/orthanc/db",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "DicomServerEnabled": false,
  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
  "DicomWeb": {
    "Enable": true,
    "Root": "/dicom-web/",
    "Servers": {
      "custodian": { "Url": "$base/dicomweb/", "HttpHeaders": { "Authorization": "Bearer $token" } },
      "custodian-no-token": { "Url": "$base/dicomweb/" }
    }
  }
}
JSON
chmod 600 "$work/orthanc/orthanc.json" # it holds the token
Orthanc "$work/orthanc/orthanc.json" > "$work/orthanc.log" 2>&1 &
orthanc_pid=$!
wait_for "$orthanc/system" 60 "$work/orthanc.log"

# 1. the instance into Orthanc, then Orthanc STOWs its study to Custodian
upload=$(curl -sf -X POST "$orthanc/instances" --data-binary @"$work/ct.dcm")
orthanc_study=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ParentStudy"])' <<<"$upload")
orthanc_instance=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ID"])' <<<"$upload")
stow=$(curl -s -w '\n%{http_code}' -X POST "$orthanc/dicom-web/servers/custodian/stow" \
  -d "{\"Resources\": [\"$orthanc_study\"]}")
[ "$(tail -1 <<<"$stow")" = 200 ] || fail "Orthanc's STOW-RS to Custodian: $stow $(tail -5 "$work/orthanc.log")"
echo "STOW-RS: Orthanc stored study $study to Custodian" >&2

# 2. QIDO-RS through Orthanc: Custodian lists the study and its instance
found=$(curl -sf -X POST "$orthanc/dicom-web/servers/custodian/qido" \
  -d "{\"Uri\": \"/studies/$study/instances\"}")
grep -q "$sop" <<<"$found" || fail "QIDO-RS through Orthanc does not list instance $sop: $found"
echo "QIDO-RS: Custodian lists the instance" >&2

# 3. Orthanc forgets its copy, retrieves the study back with WADO-RS, and the bytes are the same
curl -sf -X DELETE "$orthanc/studies/$orthanc_study" >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' "$orthanc/instances/$orthanc_instance")" = 404 ] || fail "Orthanc kept its copy"
curl -sf -X POST "$orthanc/dicom-web/servers/custodian/retrieve" \
  -d "{\"Resources\": [{\"Study\": \"$study\"}]}" >/dev/null || fail "WADO-RS retrieve through Orthanc failed"
got_sha=$(curl -sf "$orthanc/instances/$orthanc_instance/file" | sha256sum | cut -d' ' -f1)
[ "$got_sha" = "$sent_sha" ] || fail "the instance retrieved back differs from the one sent ($got_sha != $sent_sha)"
echo "WADO-RS: Orthanc retrieved the instance back, byte for byte (sha256 $got_sha)" >&2

# 4. Without the token, Custodian lists nothing to Orthanc
anonymous=$(curl -s -w '\n%{http_code}' -X POST "$orthanc/dicom-web/servers/custodian-no-token/qido" \
  -d "{\"Uri\": \"/studies/$study/instances\"}")
[ "$(tail -1 <<<"$anonymous")" != 200 ] && ! grep -q "$sop" <<<"$anonymous" \
  || fail "Custodian answered a request without a token: $anonymous"
echo "Without a token: refused" >&2
echo "PASS: Orthanc stored to, found in and retrieved from Custodian over DICOMweb"
