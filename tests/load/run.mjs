// Load test: a mixed workload over 64 keep-alive connections against `aimcase serve` on a fresh
// database seeded with ~2,000 incidents. Opt-in (not part of `make test`); see README.md.
//
//   node tests/load/run.mjs [--duration 60] [--connections 64] [--seed 2000] [--threads N] [--json]
//
// Each connection is one worker with its own http.Agent (keepAlive, one socket) sending request
// after request as one of the five users: search 40% (the 20-query mix of the search benchmark),
// case view 40% (a case that user may see), filing 20% (investigators, a new case or one of their
// own). Prints throughput, p50/p99 per kind, errors and 5xx; exits 1 on any error or 5xx.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { startServer, cli, REPO, USERS } from '../api/lib/server.mjs';
import { QUERIES } from '../bench/search_load.mjs';

const { values: opt } = parseArgs({
	options: {
		duration: { type: 'string', default: '60' },
		connections: { type: 'string', default: '64' },
		seed: { type: 'string', default: '2000' },
		threads: { type: 'string' },
		json: { type: 'boolean', default: false },
	},
});
const DURATION_S = Number(opt.duration);
const CONNECTIONS = Number(opt.connections);
const SEED = Number(opt.seed);
for (const [k, v] of [['duration', DURATION_S], ['connections', CONNECTIONS], ['seed', SEED]]) {
	if (!Number.isInteger(v) || v < 1) {
		console.error(`run.mjs: --${k} takes a whole number from 1`);
		process.exit(2);
	}
}

const KINDS = ['search', 'case', 'file'];
const MIX = [['search', 0.4], ['case', 0.4], ['file', 0.2]];
const INVESTIGATORS = Object.keys(USERS).filter((n) => USERS[n].role === 'investigator');

// deterministic choices (xorshift), so that two runs send the same mix
let seed = 0x2545f491;
const rnd = () => {
	seed ^= seed << 13; seed >>>= 0;
	seed ^= seed >>> 17;
	seed ^= seed << 5; seed >>>= 0;
	return seed / 4294967296;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];

/** One request on a worker's agent: {status, body, ms} or {error, ms}. */
function request(agent, port, token, method, p, json) {
	const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
	const headers = { authorization: `Bearer ${token}` };
	if (body) {
		headers['content-type'] = 'application/json';
		headers['content-length'] = String(body.length);
	}
	const t0 = performance.now();
	return new Promise((resolve) => {
		const req = http.request({ host: '127.0.0.1', port, method, path: p, agent, headers });
		req.setTimeout(30000, () => req.destroy(new Error('timeout after 30 s')));
		req.on('error', (err) => resolve({ error: err.message, ms: performance.now() - t0 }));
		req.on('response', (res) => {
			const bufs = [];
			res.on('data', (d) => bufs.push(d));
			res.on('end', () => resolve({
				status: res.statusCode, body: Buffer.concat(bufs).toString('utf8'), ms: performance.now() - t0,
			}));
			res.on('error', (err) => resolve({ error: err.message, ms: performance.now() - t0 }));
		});
		req.end(body);
	});
}

function pct(sorted, p) {
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : null;
}

async function main() {
	const server = await startServer({ args: opt.threads ? ['--threads', opt.threads] : [] });
	let failed = false;
	try {
		// seed: the filing benchmark's generated reports, half filed by each investigator
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-load-'));
		const gen = spawnSync('node', [path.join(REPO, 'tests', 'bench', 'gen_incidents.mjs'), String(SEED)],
			{ encoding: 'utf8', maxBuffer: 1 << 30 });
		if (gen.status !== 0) throw new Error(`gen_incidents: ${gen.stderr}`);
		const lines = gen.stdout.trim().split('\n');
		const reports = lines.map((l) => JSON.parse(l));
		const t0 = performance.now();
		INVESTIGATORS.forEach((name, i) => {
			const file = path.join(tmp, `${name}.ndjson`);
			fs.writeFileSync(file, lines.filter((_, k) => k % INVESTIGATORS.length === i).join('\n') + '\n');
			const r = cli(['import-incidents', '--as', name, '--db', server.db, file]);
			if (r.status !== 0) throw new Error(`import-incidents --as ${name}: ${r.status} ${r.stderr}`);
		});
		fs.rmSync(tmp, { recursive: true, force: true });
		const seedS = (performance.now() - t0) / 1000;

		// who sees what: each user's visible cases (and the investigators' own ai_intrusion cases)
		const users = {};
		for (const name of Object.keys(USERS)) {
			const token = server.bearer(name).token;
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			const refs = [];
			const own = [];
			for (let offset = 0; ; offset += 200) {
				const r = await request(agent, server.port, token, 'GET', `/api/cases?limit=200&offset=${offset}&mine=true`);
				if (r.status !== 200) throw new Error(`GET /api/cases as ${name}: ${r.status} ${r.body}`);
				const b = JSON.parse(r.body);
				for (const c of b.cases) own.push(c);
				if (b.cases.length < 200) break;
			}
			for (let offset = 0; ; offset += 200) {
				const r = await request(agent, server.port, token, 'GET', `/api/cases?limit=200&offset=${offset}`);
				const b = JSON.parse(r.body);
				for (const c of b.cases) refs.push(c.ref);
				if (b.cases.length < 200) break;
			}
			agent.destroy();
			users[name] = {
				token, refs, aiOwn: own.filter((c) => c.kind === 'ai_intrusion').map((c) => c.ref),
			};
		}
		const counts = Object.fromEntries(Object.entries(users).map(([n, u]) => [n, u.refs.length]));

		// the run
		const stats = Object.fromEntries(KINDS.map((k) => [k, { ms: [], errors: 0, e5xx: 0, other: 0, samples: [] }]));
		const stopAt = performance.now() + DURATION_S * 1000;
		const names = Object.keys(USERS);
		const started = performance.now();
		const agents = [];
		let filed = 0;
		await Promise.all(Array.from({ length: CONNECTIONS }, async (_, w) => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			agents.push(agent);
			while (performance.now() < stopAt) {
				const x = rnd();
				const kind = x < MIX[0][1] ? 'search' : x < MIX[0][1] + MIX[1][1] ? 'case' : 'file';
				let r;
				if (kind === 'search') {
					const u = users[names[w % names.length]];
					r = await request(agent, server.port, u.token, 'GET', `/api/search?q=${encodeURIComponent(pick(QUERIES))}`);
				} else if (kind === 'case') {
					const u = users[names[w % names.length]];
					r = await request(agent, server.port, u.token, 'GET', `/api/cases/${pick(u.refs)}`);
				} else {
					const name = INVESTIGATORS[w % INVESTIGATORS.length];
					const u = users[name];
					const body = structuredClone(pick(reports));
					body.title = `${body.title.slice(0, 240)} (load ${w}/${filed++})`;
					if (body.kind === 'ai_intrusion' && u.aiOwn.length && rnd() < 0.3) body.case_ref = pick(u.aiOwn);
					r = await request(agent, server.port, u.token, 'POST', '/api/incidents', body);
				}
				const s = stats[kind];
				const want = kind === 'file' ? 201 : 200;
				if (r.error) {
					s.errors++;
					if (s.samples.length < 5) s.samples.push(r.error);
				} else if (r.status >= 500) {
					s.e5xx++;
					if (s.samples.length < 5) s.samples.push(`${r.status} ${r.body.slice(0, 200)}`);
				} else if (r.status !== want) {
					s.other++;
					if (s.samples.length < 5) s.samples.push(`${r.status} ${r.body.slice(0, 200)}`);
				} else {
					s.ms.push(r.ms);
				}
			}
		}));
		const elapsed = (performance.now() - started) / 1000;
		for (const a of agents) a.destroy();

		const report = {
			duration_s: Number(elapsed.toFixed(1)), connections: CONNECTIONS, seeded: reports.length,
			seed_s: Number(seedS.toFixed(1)), visible_cases: counts, threads: opt.threads ?? 'default',
			total: 0, throughput_rps: 0, errors: 0, e5xx: 0, other_status: 0, kinds: {},
		};
		for (const k of KINDS) {
			const s = stats[k];
			const sorted = s.ms.sort((a, b) => a - b);
			const n = sorted.length + s.errors + s.e5xx + s.other;
			report.kinds[k] = {
				requests: n, rps: Number((n / elapsed).toFixed(1)),
				p50_ms: sorted.length ? Number(pct(sorted, 0.5).toFixed(1)) : null,
				p99_ms: sorted.length ? Number(pct(sorted, 0.99).toFixed(1)) : null,
				max_ms: sorted.length ? Number(sorted[sorted.length - 1].toFixed(1)) : null,
				errors: s.errors, e5xx: s.e5xx, other_status: s.other, samples: s.samples,
			};
			report.total += n;
			report.errors += s.errors;
			report.e5xx += s.e5xx;
			report.other_status += s.other;
		}
		report.throughput_rps = Number((report.total / elapsed).toFixed(1));
		failed = report.errors + report.e5xx + report.other_status > 0;

		if (opt.json) {
			console.log(JSON.stringify(report, null, 2));
		} else {
			console.log(`aimcase load: ${CONNECTIONS} keep-alive connections for ${report.duration_s} s, ` +
				`${report.seeded} incidents seeded in ${report.seed_s} s, server threads ${report.threads}`);
			console.log(`visible cases: ${Object.entries(counts).map(([n, c]) => `${n} ${c}`).join(', ')}`);
			console.log('| kind | requests | req/s | p50 ms | p99 ms | max ms | errors | 5xx | other status |');
			console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
			for (const k of KINDS) {
				const x = report.kinds[k];
				console.log(`| ${k} | ${x.requests} | ${x.rps} | ${x.p50_ms} | ${x.p99_ms} | ${x.max_ms} | ${x.errors} | ${x.e5xx} | ${x.other_status} |`);
			}
			console.log(`| all | ${report.total} | ${report.throughput_rps} | | | | ${report.errors} | ${report.e5xx} | ${report.other_status} |`);
			for (const k of KINDS) {
				for (const smp of report.kinds[k].samples) console.log(`${k}: ${smp}`);
			}
		}
	} catch (err) {
		console.error(err.stack ?? String(err));
		failed = true;
	} finally {
		try {
			await server.stop();
		} catch (err) {
			console.error(err.message);
			failed = true;
		}
	}
	process.exitCode = failed ? 1 : 0;
}

await main();
