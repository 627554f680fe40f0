// Shared helpers of the hostile-input suite (tests/hostile/, issue 7).
//
// Every case of the suite checks three things: the answer (status and error code of docs/api.md, or
// the exit status of the CLI), that NOTHING was stored (stored(): row counts read with the sqlite3
// shell from the server's database, plus the originals directory DB.objects), and that the server
// still serves (expectServing(): /healthz and an authenticated GET). The harness of tests/api/ starts
// the servers; its `stop()` asserts that `aimcase serve` exits 0 on SIGTERM.
//
// exchange() speaks raw bytes over one TCP connection, for requests that node:http refuses to send
// (two Content-Length headers, bad chunk sizes, NUL bytes, missing Host…), and returns a Reply that
// expectError() accepts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { authHeaders } from '../api/lib/manifests.mjs';

export {
	startServer, expectError, expectJson, aiIncident, tdIncident, rawHttp, ANY_FIELD, REPO, BIN,
} from '../api/lib/server.mjs';
export { authHeaders };

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** JSON.parse, or undefined when the text is not JSON. */
export function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

// The tables that hold what users file, import or configure. Sessions, the audit log and the search
// index (filled by a background pass after an import) are left out on purpose.
const TABLES = ['users', 'api_tokens', 'cases', 'incidents', 'removal_requests', 'notes', 'manifests',
	'evidence_items', 'custody_events', 'flags', 'indicators', 'indicator_mentions', 'hashsets',
	'hashset_items', 'idempotency'];

/** Row counts of the content tables of a database file (sqlite3 shell; works beside a running server). */
export function storedRows(db) {
	const sql = `select ${TABLES.map((t) => `(select count(*) from ${t})`).join(', ')};`;
	const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8', timeout: 10000 });
	assert.equal(r.status, 0, `sqlite3 ${db}: ${r.stderr}`);
	const n = r.stdout.trim().split('|').map(Number);
	return Object.fromEntries(TABLES.map((t, i) => [t, n[i]]));
}

/** What a server has stored: row counts and the file names in DB.objects. */
export function stored(server) {
	let objects = [];
	try {
		objects = fs.readdirSync(server.objectsDir).sort();
	} catch (err) {
		if (err.code !== 'ENOENT') throw err;
	}
	return { ...storedRows(server.db), objects };
}

/**
 * Asserts that nothing was stored since `before` (a stored() snapshot). A refused upload may still be
 * removing its temporary file in DB.objects just after the reply: the comparison is retried for 1 s.
 */
export async function expectNothingStored(server, before, what = 'the refused request') {
	let now = stored(server);
	for (let i = 0; i < 20 && JSON.stringify(now) !== JSON.stringify(before); i++) {
		await sleep(50);
		now = stored(server);
	}
	assert.deepEqual(now, before, `${what} stored something`);
}

/** /healthz answers "ok" and `client` (any Client of the harness) still gets its case list. */
export async function expectServing(server, client) {
	const h = await server.raw('GET', '/healthz');
	assert.equal(h.status, 200, `/healthz: ${h.status} ${h.text.slice(0, 200)}`);
	assert.equal(h.text.trim(), 'ok');
	const c = await client.get('/api/cases?limit=1');
	assert.equal(c.status, 200, `authenticated GET /api/cases: ${c.status} ${c.text.slice(0, 200)}`);
	assert.equal(typeof c.json?.total, 'number');
}

/**
 * Runs one hostile request: snapshot, send(), check(reply), nothing stored, server still serving.
 * `settleMs` waits before comparing (for requests whose connection is dropped without an answer).
 */
export async function refused(server, client, send, check, { settleMs = 0 } = {}) {
	const before = stored(server);
	const res = await send();
	check(res);
	if (settleMs) await sleep(settleMs);
	await expectNothingStored(server, before);
	await expectServing(server, client);
	return res;
}

/** The same headers as lines of a raw request ("Name: value\r\n"…). */
export function authLines(client) {
	return Object.entries(authHeaders(client)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
}

/** Bytes from strings (latin1, so that "\x00" or "\xff" is that byte) and Buffers. */
export function bytes(...parts) {
	return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'latin1'))));
}

/*
 * Parses the first HTTP response of `buf`: {status, headers (lower-cased names; repeated ones
 * joined with ", "), body (Buffer, by Content-Length), rest (the bytes after it)} or null.
 */
function parseResponse(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) return null;
	const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
	if (!m) return null;
	const headers = {};
	for (const l of lines.slice(1)) {
		const i = l.indexOf(':');
		if (i < 0) continue;
		const k = l.slice(0, i).trim().toLowerCase();
		const v = l.slice(i + 1).trim();
		headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
	}
	const len = Number(headers['content-length'] ?? 0);
	if (buf.length < end + 4 + len) return null;
	return {
		status: Number(m[1]), headers, body: buf.subarray(end + 4, end + 4 + len),
		rest: buf.subarray(end + 4 + len),
	};
}

/**
 * Sends raw bytes over a new connection to 127.0.0.1:port and collects what comes back.
 * opts.until: 'response' (default) resolves once one whole response is in; 'close' waits for the
 * server to close the connection. opts.timeoutMs bounds the wait (then `closed` is false).
 * opts.halfClose ends the writing side after the bytes. opts.pieces: an array of Buffers written
 * one after the other instead of `data`.
 * Resolves to a Reply {status, headers, text, json, contentType, raw (all bytes received), closed,
 * statusLines (number of "HTTP/1.x NNN" status lines received), error (socket error code)}; status
 * is 0 when nothing parseable came back.
 */
export function exchange(port, data, { until = 'response', timeoutMs = 3000, halfClose = false } = {}) {
	return new Promise((resolve) => {
		const sock = net.connect(port, '127.0.0.1');
		let raw = Buffer.alloc(0);
		let done = false;
		let closed = false;
		let error = null;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			const r = parseResponse(raw);
			const text = r ? r.body.toString('utf8') : '';
			const json = parseJson(text);
			const statusLines = (raw.toString('latin1').match(/HTTP\/1\.[01] \d{3} /g) ?? []).length;
			resolve({
				status: r?.status ?? 0, headers: r?.headers ?? {}, text, json,
				contentType: r?.headers['content-type'] ?? '', raw, closed, statusLines, error,
				rest: r?.rest ?? Buffer.alloc(0),
			});
		};
		const timer = setTimeout(finish, timeoutMs);
		sock.on('data', (d) => {
			raw = Buffer.concat([raw, d]);
			if (until === 'response' && parseResponse(raw)) finish();
		});
		sock.on('end', () => {
			closed = true;
			finish();
		});
		sock.on('close', () => {
			closed = true;
			finish();
		});
		sock.on('error', (e) => {
			error = e.code;
		});
		sock.on('connect', () => {
			sock.write(data);
			if (halfClose) sock.end();
		});
	});
}

/** A GET request line and headers as bytes (path given as bytes or a latin1 string). */
export function rawGet(pathBytes, headerLines = '') {
	return bytes('GET ', pathBytes, ' HTTP/1.1\r\nHost: 127.0.0.1\r\n', headerLines, '\r\n');
}

/**
 * A TCP listener on 127.0.0.1 that counts connections: proof that a parser fetched nothing
 * (XXE, external DTD, stylesheet). `url` is an http URL pointing at it.
 */
export async function tripwire() {
	let hits = 0;
	const srv = net.createServer((s) => {
		hits++;
		s.destroy();
	});
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	const { port } = srv.address();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		get hits() { return hits; },
		close: () => new Promise((r) => srv.close(r)),
	};
}

/** A new temporary directory (removed by the caller). */
export function tempDir(prefix = 'aimcase-hostile-') {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
