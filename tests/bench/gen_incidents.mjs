// gen_incidents N — N incident reports (NDJSON) built from the fixtures with varied
// indicators, deterministic (fixed seed), for the filing benchmark's store.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = path.join(here, '..', '..', 'fixtures', 'incidents');
const src = ['ivy', 'ian'].flatMap((f) =>
	fs.readFileSync(path.join(fx, `${f}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
const CODES = ['opal', 'quartz', 'basalt', 'cobalt', 'garnet', 'jasper', 'onyx', 'pyrite'].flatMap(
	(a) => ['north', 'south', 'east', 'west', 'delta', 'omega', 'sigma', 'kappa', 'lambda', 'zeta',
		'theta', 'iota', 'gamma', 'beta', 'alpha', 'rho', 'tau', 'phi', 'chi', 'psi', 'nu', 'xi', 'mu',
		'eta', 'upsilon', 'epsilon', 'pi', 'omicron', 'sierra', 'tango', 'victor', 'whiskey', 'yankee',
		'zulu', 'lima', 'kilo', 'juliet', 'india', 'hotel', 'golf', 'foxtrot'].map((b) => `${a}${b}`));
let seed = 7;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[rnd(16)]).join('');
const n = Number(process.argv[2] ?? 1000);
const out = [];
for (let i = 0; i < n; i++) {
	const d = structuredClone(src[rnd(src.length)]);
	d.title = `${d.title.slice(0, 200)} #${i}`;
	// controlled vocabulary for the search benchmark: each code word is in about 1 report in 333
	d.narrative += ` Operation ${CODES[(i * 7) % CODES.length]}.`;
	if (d.kind === 'ai_intrusion') {
		const ind = (d.ai_intrusion.indicators ??= {});
		ind.ips = [`198.51.${rnd(256)}.${rnd(256)}`, `203.0.${rnd(256)}.${rnd(256)}`];
		ind.domains = [`host${rnd(200000)}.example.net`];
	} else {
		d.take_it_down.content_hashes = [hex(64)];
	}
	out.push(JSON.stringify(d));
	if (out.length === 1000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
