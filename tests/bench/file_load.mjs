// file_load PORT TOKEN REFS SEED N — files N incidents one after another into the existing
// cases listed in REFS ("ref|kind" lines), with bodies taken from SEED (NDJSON).
import fs from 'node:fs';

const [port, token, refsFile, seedFile, nArg] = process.argv.slice(2);
const refs = fs.readFileSync(refsFile, 'utf8').trim().split('\n').map((l) => l.split('|'));
const lines = fs.readFileSync(seedFile, 'utf8').split('\n', 400).filter(Boolean).map((l) => JSON.parse(l));
const byKind = { ai_intrusion: lines.filter((d) => d.kind === 'ai_intrusion'), take_it_down: lines.filter((d) => d.kind === 'take_it_down') };
const n = Number(nArg);
for (let i = 0; i < n; i++) {
	const [ref, kind] = refs[i % refs.length];
	const body = { ...byKind[kind][i % byKind[kind].length], case_ref: ref };
	const r = await fetch(`http://127.0.0.1:${port}/api/incidents`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
		body: JSON.stringify(body),
	});
	if (r.status !== 201) { console.error(r.status, await r.text()); process.exit(1); }
}
