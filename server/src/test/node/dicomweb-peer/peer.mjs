// Drives Custodian's DICOMweb with the npm dicomweb-client (a client we did not write), as a viewer
// would: STOW-RS the given Part 10 files, find them with QIDO-RS, retrieve them with WADO-RS
// (study, instance, metadata) and compare bytes and UIDs; then, as a caller who may not see the
// study, check that QIDO-RS lists nothing and WADO-RS answers 404. Prints PASS at the end; exits
// non-zero on the first failure.
//   STAFF_TOKEN=… OTHER_TOKEN=… node peer.mjs http://localhost:8080 STUDY_UID file1.dcm file2.dcm …
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
globalThis.XMLHttpRequest = require('xhr2'); // dicomweb-client speaks XMLHttpRequest; Node.js has none
const { api } = require('dicomweb-client');

const [base, studyUid, ...files] = process.argv.slice(2);
assert.ok(base && studyUid && files.length > 0, 'usage: node peer.mjs BASE STUDY_UID FILE...');
const url = `${base}/dicomweb`;
const staff = new api.DICOMwebClient({ url, headers: { Authorization: `Bearer ${process.env.STAFF_TOKEN}` } });
const other = new api.DICOMwebClient({ url, headers: { Authorization: `Bearer ${process.env.OTHER_TOKEN}` } });

const sent = files.map((file) => {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
});
const hex = (buffer) => Buffer.from(buffer).toString('hex');
const value = (dataset, tag) => dataset[tag] && dataset[tag].Value && dataset[tag].Value[0];

// STOW-RS
const stored = await staff.storeInstances({ datasets: sent });
const stowResponse = JSON.parse(typeof stored === 'string' ? stored : Buffer.from(stored).toString('utf8'));
assert.ok(!Array.isArray(stowResponse), 'the STOW-RS response is one data set');
const referenced = stowResponse['00081199'].Value;
assert.equal(referenced.length, files.length, 'every instance is in ReferencedSOPSequence');
assert.equal(stowResponse['00081198'], undefined, 'no FailedSOPSequence');
console.log(`STOW-RS: ${referenced.length} instances stored`);

// QIDO-RS
const studies = await staff.searchForStudies({ queryParams: { StudyInstanceUID: studyUid } });
assert.equal(studies.length, 1, 'QIDO-RS finds the study');
assert.equal(value(studies[0], '0020000D'), studyUid);
const instances = await staff.searchForInstances({ studyInstanceUID: studyUid });
assert.equal(instances.length, files.length, 'QIDO-RS lists every instance');
const sopUids = instances.map((i) => value(i, '00080018')).sort();
assert.deepEqual(sopUids, referenced.map((r) => value(r, '00081155')).sort());
console.log(`QIDO-RS: the study and its ${instances.length} instances`);

// WADO-RS: the study, byte for byte
const study = await staff.retrieveStudy({ studyInstanceUID: studyUid });
assert.equal(study.length, files.length, 'WADO-RS returns every instance');
assert.deepEqual(study.map(hex).sort(), sent.map(hex).sort(), 'WADO-RS returns the bytes stored');
// one instance
const first = instances[0];
const one = await staff.retrieveInstance({
  studyInstanceUID: studyUid,
  seriesInstanceUID: value(first, '0020000E'),
  sopInstanceUID: value(first, '00080018'),
});
assert.ok(sent.map(hex).includes(hex(one[0] ?? one)), 'a single instance comes back byte for byte');
// metadata
const metadata = await staff.retrieveStudyMetadata({ studyInstanceUID: studyUid });
assert.deepEqual(metadata.map((m) => value(m, '00080018')).sort(), sopUids, 'metadata of every instance');
console.log('WADO-RS: study, instance and metadata as stored');

// Someone who may not see the study: nothing listed, 404 like a study that does not exist
const hidden = await other.searchForStudies({ queryParams: { StudyInstanceUID: studyUid } });
assert.equal(hidden.length, 0, 'QIDO-RS lists nothing to a caller who may not see the study');
for (const attempt of [
  () => other.retrieveStudy({ studyInstanceUID: studyUid }),
  () => other.retrieveStudyMetadata({ studyInstanceUID: studyUid }),
]) {
  await assert.rejects(attempt, (error) => error.status === 404, 'WADO-RS answers 404');
}
const absent = await other.retrieveStudy({ studyInstanceUID: '2.25.1' }).catch((error) => error.status);
assert.equal(absent, 404, 'an absent study answers 404 too');
console.log('Hidden from another caller: QIDO-RS empty, WADO-RS 404');
console.log('PASS: dicomweb-client stored, found and retrieved the study');
