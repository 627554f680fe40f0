// file_concurrent PORT TOKENS REFS SEED CLIENTS SECONDS — CLIENTS concurrent keep-alive clients
// (client i uses line i of TOKENS) file incidents into the existing cases listed in REFS
// ("ref|kind" lines), bodies from SEED (NDJSON), for SECONDS seconds after a short warm-up.
// Each 201 is an incident the server has committed (synchronous=FULL) before answering.
// Prints JSON: acknowledged filings, rate, client-side p50/p99, other statuses, errors, and how many
// TCP connections were opened and how many the server closed (keep-alive should hold: CLIENTS, 0).
import fs from 'node:fs';
import http from 'node:http';

const [port, tokensFile, refsFile, seedFile, clientsArg, secondsArg] = process.argv.slice(2);
const tokens = fs.readFileSync(tokensFile, 'utf8').trim().split('\n');
const refs = fs.readFileSync(refsFile, 'utf8').trim().split('\n').map((l) => l.split('|'));
const lines = fs.readFileSync(seedFile, 'utf8').split('\n', 400).filter(Boolean).map((l) => JSON.parse(l));
const byKind = { ai_intrusion: lines.filter((d) => d.kind === 'ai_intrusion'), take_it_down: lines.filter((d) => d.kind === 'take_it_down') };
const clients = Number(clientsArg), seconds = Number(secondsArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
const sockets = new Set();
let closedByServer = 0, connectionClose = 0;

const post = (token, body) => new Promise((resolve) => {
	const data = Buffer.from(JSON.stringify(body));
	const req = http.request({
		host: '127.0.0.1', port, path: '/api/incidents', method: 'POST', agent,
		headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, Authorization: `Bearer ${token}` },
	}, (res) => {
		if (/close/i.test(res.headers.connection ?? '')) connectionClose++;
		const chunks = [];
		res.on('data', (c) => chunks.push(c));
		res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
		res.on('error', (e) => resolve({ status: 0, body: String(e) }));
	});
	req.on('socket', (s) => {
		if (sockets.has(s)) return;
		sockets.add(s);
		s.on('end', () => { closedByServer++; });
	});
	req.on('error', (e) => resolve({ status: 0, body: String(e) }));
	req.end(data);
});

let n = 0;
const next = () => {
	const i = n++;
	const [ref, kind] = refs[i % refs.length];
	return { ...byKind[kind][i % byKind[kind].length], case_ref: ref };
};
// warm-up: the rule packs' JIT, the page cache, every connection opened
const warm = await Promise.all(Array.from({ length: clients }, (_, c) => post(tokens[c % tokens.length], next())));

const times = [], statuses = {};
let errors = 0, firstError = '';
const t0 = performance.now(), end = t0 + seconds * 1000;
await Promise.all(Array.from({ length: clients }, async (_, c) => {
	const token = tokens[c % tokens.length];
	while (performance.now() < end) {
		const s = performance.now();
		const r = await post(token, next());
		const ms = performance.now() - s;
		if (r.status === 201) times.push(ms);
		else {
			statuses[r.status] = (statuses[r.status] ?? 0) + 1;
			errors++;
			if (!firstError) firstError = `${r.status} ${r.body.slice(0, 200)}`;
		}
	}
}));
const elapsed = (performance.now() - t0) / 1000;
agent.destroy();
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0; };
console.log(JSON.stringify({
	acknowledged: times.length, warm_up: warm.filter((r) => r.status === 201).length, seconds: elapsed, rate: times.length / elapsed,
	p50: pct(times, 0.5), p99: pct(times, 0.99), max: pct(times, 1),
	errors, statuses, first_error: firstError,
	connections: sockets.size, closed_by_server: closedByServer, connection_close: connectionClose,
}));
