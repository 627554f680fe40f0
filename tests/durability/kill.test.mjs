// Durability under kill -9: "a 201 means the report is on disk" (README), and an import is all or
// nothing (docs/api.md).
//
// 1. Eight clients (five users, each client its own bearer token) file incidents in a loop, each
//    with an Idempotency-Key, and record every incident they got a 201 for. The server is killed
//    with SIGKILL at a random moment 1-3 s in, restarted on the same database, and then: every
//    acknowledged incident reads back as its filer with its title; each acknowledged title is
//    found by search; the requests that had no answer, retried with their key, give exactly one
//    incident each; the database holds exactly those incidents; PRAGMA integrity_check is ok,
//    foreign_key_check finds nothing, the FTS5 index passes its integrity-check and indexes every
//    incident. Three kills, at three different moments, on the one database.
// 2. A ~75 MB fiwalk-style manifest (build/gen_dfxml 100000): killed while its body streams in,
//    then killed after the upload completed and its original was kept, while the import
//    transaction runs. After each restart nothing of it is stored (no manifest row, no evidence,
//    no custody event), and every manifest the database names has its complete original. The same
//    upload retried with its Idempotency-Key then imports every entry once.
//
// Run: AIMCASE_BIN=$PWD/build/aimcase node --test tests/durability/   (about 30-40 s)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	startServer, Client, expectJson, aiIncident, tdIncident, USERS,
} from '../api/lib/server.mjs';
import { BIN, kill9, serveAgain, sql, sqlNumber, dbProblems, sleep } from './lib.mjs';

const CLIENTS = 8;
const KILLS = 3;
const RUN = crypto.randomBytes(3).toString('hex'); // keeps titles unique to this run
const NAMES = Object.keys(USERS); // ivy, ian, paula, pat, sam

/** Stops the last server (SIGTERM, exit 0 expected), or removes the directory of a dead one. */
async function finish(server) {
	if (server.exit === null) await server.stop();
	else if (!process.env.AIMCASE_KEEP) fs.rmSync(server.dir, { recursive: true, force: true });
}

/** Runs fn over items, `width` at a time; resolves to the results in order. */
async function pool(items, width, fn) {
	const out = new Array(items.length);
	let next = 0;
	await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	}));
	return out;
}

/** The report filed by client c as its n-th of round r: a title with one word found nowhere else. */
function report(r, c, n, caseRef) {
	const word = `dur${RUN}r${r}c${c}n${n}`;
	const ip = `198.51.100.${(c * 31 + n) % 250 + 1}`;
	const title = `Durability probe ${word}: agent replayed session tokens`;
	if (n % 3 === 2) {
		return { word, title, body: tdIncident({ title }) };
	}
	const body = aiIncident({
		title,
		narrative: `Round ${r}, client ${c}, report ${n}: an automation agent replayed stolen session ` +
			`tokens from ${ip} against the staff portal and exported the roster.`,
		ai_intrusion: { ...aiIncident().ai_intrusion, indicators: { ips: [ip] } },
	});
	if (caseRef) body.case_ref = caseRef;
	return { word, title, body };
}

/**
 * One client filing until it is stopped or its connection dies. Every 201 goes to `acked`; a
 * request without an answer (the kill) goes to `unknown` and ends the loop.
 */
async function filer(client, r, c, state) {
	let aiCase = null;
	for (let n = 0; !state.stop; n++) {
		const rep = report(r, c, n, n % 4 === 3 ? aiCase : null);
		const key = `dur-${RUN}-${r}-${c}-${n}`;
		let res;
		try {
			res = await client.post('/api/incidents', rep.body, { headers: { 'idempotency-key': key } });
		} catch {
			state.unknown.push({ client, key, ...rep });
			return;
		}
		if (res.status === 201 && Number.isInteger(res.json?.id)) {
			state.acked.push({ client, key, id: res.json.id, ref: res.json.case.ref, ...rep });
			if (rep.body.kind === 'ai_intrusion' && !aiCase) aiCase = res.json.case.ref;
		} else {
			state.refused.push(`${res.status} ${res.text.slice(0, 200)}`);
			if (res.status < 500) return; // a bug of the test or of the server: reported below
		}
	}
}

/** Search as the filer for the report's own word: exactly one hit, that incident. */
async function findByWord(client, word) {
	const res = await client.get(`/api/search?q=${encodeURIComponent(word)}`);
	const b = expectJson(res, 200);
	return b.hits.filter((h) => h.type === 'incident').map((h) => h.id);
}

test('kill -9 while 8 clients file incidents, three times: every acknowledged incident survives, retries add nothing twice, the database is intact', { timeout: 120000 }, async (t) => {
	let server = await startServer();
	const tokens = Array.from({ length: CLIENTS }, (_, c) => {
		const name = NAMES[c % NAMES.length];
		return { name, token: server.bearer(name).token };
	});
	const clientsOf = (srv) => tokens.map((x) => new Client(srv, x));
	const allAcked = [];
	const allUnknown = [];
	try {
		for (let r = 0; r < KILLS; r++) {
			// a different third of 1-3 s each round, at random inside it
			const at = Math.round(1000 + (r + Math.random()) * (2000 / KILLS));
			const state = { stop: false, acked: [], unknown: [], refused: [] };
			const clients = clientsOf(server);
			const t0 = performance.now();
			const running = clients.map((cl, c) => filer(cl, r, c, state));
			await sleep(at);
			await kill9(server);
			state.stop = true;
			await Promise.all(running);
			const ranMs = Math.round(performance.now() - t0);

			server = await serveAgain(server);
			const again = clientsOf(server);
			const mine = (x) => again[clients.indexOf(x.client)];
			t.diagnostic(`round ${r + 1}: killed at ${at} ms (every client stopped at ${ranMs} ms); ` +
				`${state.acked.length} acknowledged, ${state.unknown.length} without an answer, ` +
				`${state.refused.length} refused${state.refused.length ? `: ${state.refused.slice(0, 3).join(' / ')}` : ''}`);
			assert.deepEqual(state.refused.filter((x) => !x.startsWith('503')), [], 'no filing refused but for 503 busy');
			assert.ok(state.acked.length > 0, 'some filings were acknowledged before the kill');

			// every acknowledged incident, as its filer, with its title
			const lost = [];
			await pool(state.acked, 8, async (a) => {
				const res = await mine(a).get(`/api/incidents/${a.id}`);
				if (res.status !== 200 || res.json?.title !== a.title || res.json?.case_ref !== a.ref) {
					lost.push(`incident ${a.id} (${a.title}, ${a.ref}, filed by ${a.client.name}): ` +
						`${res.status} ${res.text.slice(0, 200)}`);
				}
			});
			assert.deepEqual(lost, [], `acknowledged but lost or changed after kill -9 at ${at} ms`);

			// each acknowledged title found by search, once, as that incident
			const unfound = [];
			await pool(state.acked, 8, async (a) => {
				const ids = await findByWord(mine(a), a.word);
				if (ids.length !== 1 || ids[0] !== a.id) unfound.push(`${a.word} (incident ${a.id}): hits ${JSON.stringify(ids)}`);
			});
			assert.deepEqual(unfound, [], 'search disagrees with the acknowledged incidents');

			// the requests that had no answer, retried with their key: one incident each (the one
			// committed before the kill, if it was)
			const dup = [];
			let committed = 0;
			await pool(state.unknown, 8, async (u) => {
				const before = await findByWord(mine(u), u.word);
				if (before.length) committed++;
				const res = await mine(u).post('/api/incidents', u.body, { headers: { 'idempotency-key': u.key } });
				const b = expectJson(res, 201);
				const ids = await findByWord(mine(u), u.word);
				if (ids.length !== 1 || ids[0] !== b.id || (before.length && before[0] !== b.id)) {
					dup.push(`${u.word}: before ${JSON.stringify(before)}, retry gave ${b.id}, after ${JSON.stringify(ids)}`);
				}
				allAcked.push({ ...u, id: b.id, ref: b.case.ref });
			});
			t.diagnostic(`round ${r + 1}: of the ${state.unknown.length} without an answer, ${committed} had been ` +
				'committed (their retry got the first reply), the others were stored by the retry');
			assert.deepEqual(dup, [], 'a retried filing is stored once');
			allAcked.push(...state.acked);
			allUnknown.push(...state.unknown);

			// the database holds exactly these incidents, all indexed, and is intact
			assert.equal(sqlNumber(server.db, 'SELECT count(*) FROM incidents;'), allAcked.length,
				'incidents in the database = acknowledged + retried');
			assert.equal(new Set(allAcked.map((a) => a.id)).size, allAcked.length, 'no two acknowledgements share an id');
			assert.equal(sqlNumber(server.db, "SELECT count(*) FROM search_docs WHERE doc_type = 'incident';"),
				allAcked.length, 'one search document per incident');
			assert.deepEqual(dbProblems(server.db), [], 'integrity_check, foreign_key_check, FTS5 integrity-check');
		}
		// and the earlier rounds are still there after the later kills
		const lost = [];
		const clients = clientsOf(server);
		await pool(allAcked, 8, async (a) => {
			const res = await clients[tokens.findIndex((x) => x.token === a.client.token)].get(`/api/incidents/${a.id}`);
			if (res.status !== 200 || res.json?.title !== a.title) lost.push(`${a.id} ${a.title}: ${res.status}`);
		});
		assert.deepEqual(lost, [], 'incidents of earlier rounds after the later kills');
		t.diagnostic(`in all: ${allAcked.length - allUnknown.length} acknowledged and ${allUnknown.length} retried, none lost`);
	} finally {
		await finish(server);
	}
});

// ---- 2. a large manifest ---------------------------------------------------------------------

const GEN = path.join(path.dirname(BIN), 'gen_dfxml');
const ENTRIES = 100000;

/** Streams the file to POST /api/cases/{ref}/manifests; resolves to {status, text} or {error}. */
function streamUpload(server, client, ref, file, { headers = {}, pauseAt = Infinity, onPause } = {}) {
	const size = fs.statSync(file).size;
	return new Promise((resolve) => {
		const req = http.request({
			host: '127.0.0.1', port: server.port, method: 'POST', path: `/api/cases/${ref}/manifests`, agent: false,
			headers: {
				authorization: `Bearer ${client.token}`, 'content-type': 'application/xml',
				'content-length': String(size), ...headers,
			},
		});
		req.on('error', (err) => resolve({ error: err.code ?? err.message }));
		req.on('response', (res) => {
			const bufs = [];
			res.on('data', (d) => bufs.push(d));
			res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(bufs).toString('utf8') }));
			res.on('error', (err) => resolve({ error: err.code ?? err.message }));
		});
		const rs = fs.createReadStream(file, { highWaterMark: 1 << 20 });
		let sent = 0;
		rs.on('data', (chunk) => {
			sent += chunk.length;
			if (!req.write(chunk)) {
				rs.pause();
				req.once('drain', () => rs.resume());
			}
			if (sent >= pauseAt) {
				rs.destroy();
				onPause?.(sent);
			}
		});
		rs.on('end', () => req.end());
		req.on('close', () => rs.destroy());
	});
}

/** Everything the database holds of the manifests: rows, and what each case has. */
function manifestState(db) {
	return {
		manifests: sqlNumber(db, 'SELECT count(*) FROM manifests;'),
		unfinished: sqlNumber(db, 'SELECT count(*) FROM manifests WHERE sha256 IS NULL;'),
		evidence: sqlNumber(db, 'SELECT count(*) FROM evidence_items;'),
		custody: sqlNumber(db, 'SELECT count(*) FROM custody_events;'),
		evidenceDocs: sqlNumber(db, "SELECT count(*) FROM search_docs WHERE doc_type = 'evidence';"),
	};
}

/** Every manifest row's original is in DB.objects, whole: its size and SHA-256. */
function originalsProblems(server) {
	const problems = [];
	for (const line of sql(server.db, "SELECT sha256 || '|' || size FROM manifests;")) {
		const [sha, size] = line.split('|');
		const file = path.join(server.objectsDir, sha);
		if (!fs.existsSync(file)) {
			problems.push(`${sha}: missing`);
			continue;
		}
		const data = fs.readFileSync(file);
		if (data.length !== Number(size)) problems.push(`${sha}: ${data.length} bytes, the row says ${size}`);
		if (crypto.createHash('sha256').update(data).digest('hex') !== sha) problems.push(`${sha}: other bytes`);
	}
	return problems;
}

const objects = (server) => (fs.existsSync(server.objectsDir) ? fs.readdirSync(server.objectsDir).sort() : []);

test('kill -9 during a large manifest upload, then during its import: nothing partial is stored; the retry imports it once', { timeout: 120000 }, async (t) => {
	if (!fs.existsSync(GEN)) {
		t.skip(`${GEN} not built (make build)`);
		return;
	}
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-durability-'));
	let server = await startServer();
	try {
		const xml = path.join(tmp, 'laptop.xml');
		const fd = fs.openSync(xml, 'w');
		const g = spawnSync(GEN, [String(ENTRIES)], { stdio: ['ignore', fd, 'pipe'] });
		fs.closeSync(fd);
		assert.equal(g.status, 0, `gen_dfxml: ${g.stderr}`);
		const size = fs.statSync(xml).size;
		const sha = crypto.createHash('sha256').update(fs.readFileSync(xml)).digest('hex');
		t.diagnostic(`manifest: ${ENTRIES} entries, ${(size / 1e6).toFixed(1)} MB`);

		let ivy = server.bearer('ivy');
		const ref = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Laptop image of the operator' })), 201).case.ref;
		const empty = manifestState(server.db);
		assert.deepEqual(empty, { manifests: 0, unfinished: 0, evidence: 0, custody: 0, evidenceDocs: 0 });
		const nothing = async (when) => {
			assert.deepEqual(manifestState(server.db), empty, `nothing of the manifest is stored ${when}`);
			const c = expectJson(await ivy.get(`/api/cases/${ref}`), 200);
			assert.deepEqual([c.evidence_count, c.manifests.length, c.custody.length], [0, 0, 0], `the case view ${when}`);
			assert.deepEqual(originalsProblems(server), []);
			assert.deepEqual(dbProblems(server.db), [], `database checks ${when}`);
		};

		// (a) killed while the body streams in: 40% sent, the server reading it
		let paused;
		const cut = streamUpload(server, ivy, ref, xml, {
			headers: { 'idempotency-key': `laptop-${RUN}` },
			pauseAt: Math.floor(size * 0.4),
			onPause: (n) => { paused = n; },
		});
		while (paused === undefined) await sleep(10);
		await sleep(300);
		const during = objects(server);
		await kill9(server);
		const a = await cut;
		assert.ok(a.error, `no answer to a cut upload: ${JSON.stringify(a).slice(0, 200)}`);
		server = await serveAgain(server);
		ivy = new Client(server, { name: 'ivy', token: ivy.token });
		await nothing('after a kill during the upload');
		t.diagnostic(`(a) killed with ${(paused / 1e6).toFixed(1)} MB of ${(size / 1e6).toFixed(1)} MB sent; ` +
			`DB.objects then: ${JSON.stringify(during)}; after the restart: ${JSON.stringify(objects(server))}`);
		assert.ok(during.some((f) => f.startsWith('.upload-')), 'the upload was being written when killed');
		// the restarted server removes what the cut upload left (obj_sweep)
		assert.deepEqual(objects(server).filter((f) => f.startsWith('.upload-')), [], 'unfinished uploads are swept at start');
		assert.match(server.stderr, /removed 1 unfinished upload from /);
		assert.ok(!objects(server).includes(sha), 'a partial upload is never kept under a hash');

		// (b) the whole body sent; killed once its original is kept (DB.objects/<sha256>): the
		// import transaction has begun and has not answered
		const whole = streamUpload(server, ivy, ref, xml, { headers: { 'idempotency-key': `laptop-${RUN}` } });
		const t0 = performance.now();
		let answered = null;
		whole.then((r) => { answered = r; });
		while (!objects(server).includes(sha) && answered === null && performance.now() - t0 < 60000) await sleep(2);
		const keptMs = performance.now() - t0;
		await sleep(150);
		// the import holds the write lock: another writer is refused at once
		const lock = spawnSync('sqlite3', ['-cmd', '.timeout 0', server.db], { input: 'BEGIN IMMEDIATE; ROLLBACK;', encoding: 'utf8' });
		const early = answered;
		await kill9(server);
		assert.match(lock.stderr, /database is locked/, 'the import transaction was running when killed');
		const b = await whole;
		assert.equal(early, null, `the import answered within 150 ms of keeping the original, before the kill: ${JSON.stringify(early)?.slice(0, 300)}`);
		assert.ok(b.error, `no answer to an import killed half-way: ${JSON.stringify(b).slice(0, 200)}`);
		server = await serveAgain(server);
		ivy = new Client(server, { name: 'ivy', token: ivy.token });
		await nothing('after a kill during the import');
		const referenced = sql(server.db, 'SELECT sha256 FROM manifests;');
		const orphans = objects(server).filter((f) => !referenced.includes(f));
		t.diagnostic(`(b) original kept ${keptMs.toFixed(0)} ms after the upload began, killed 150 ms later; ` +
			`after the restart DB.objects holds, unreferenced: ${JSON.stringify(orphans)} (the server does not remove them)`);

		// (c) the client retries with its key: imported once, every entry; again: the same answer
		const t1 = performance.now();
		const r1 = await streamUpload(server, ivy, ref, xml, { headers: { 'idempotency-key': `laptop-${RUN}` } });
		t.diagnostic(`(c) the retry: upload and import in ${(performance.now() - t1).toFixed(0)} ms`);
		assert.equal(r1.status, 201, JSON.stringify(r1).slice(0, 300));
		const m = JSON.parse(r1.text).manifest;
		assert.deepEqual([m.sha256, m.size, m.items], [sha, size, ENTRIES]);
		const r2 = await streamUpload(server, ivy, ref, xml, { headers: { 'idempotency-key': `laptop-${RUN}` } });
		assert.equal(r2.status, 201);
		assert.equal(r2.text, r1.text, 'the retry gets the first answer');
		const st = manifestState(server.db);
		assert.deepEqual([st.manifests, st.unfinished, st.evidence, st.custody], [1, 0, ENTRIES, 1]);
		assert.deepEqual(originalsProblems(server), []);
		assert.deepEqual(dbProblems(server.db), []);
	} finally {
		await finish(server);
		fs.rmSync(tmp, { recursive: true, force: true });
	}
});
