import { readFileSync } from 'node:fs';
import { loadSnapshot, SnapshotIamReader } from '../src/adapters/snapshot/iam-snapshot.js';
import { diagnoseRecord } from '../src/usecases/diagnose-record.js';

const doc = JSON.parse(readFileSync('.bench/records-1x.json', 'utf8')) as { Records: any[] };
const recs = doc.Records.slice(0, 20000).map((r, i) => {
  const c = structuredClone(r);
  const sub = c.userIdentity.userName.replace('service-', `svc${i}-`);
  c.userIdentity.principalId = c.userIdentity.principalId.replace(c.userIdentity.userName, sub);
  c.userIdentity.userName = sub;
  return c;
});
for (let k = 0; k < 3; k++) {
  const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
  const t = performance.now();
  for (const r of recs) await diagnoseRecord(r, reader);
  const b = performance.now() - t;
  console.log('miss diagnose', ((b / recs.length) * 1000).toFixed(2), 'us');
}
