// Test harness for the aimcase HTTP API (docs/api.md).
//
// startServer() makes a temporary directory, creates a database with five users, starts
// `aimcase serve` on 127.0.0.1 with a free port and returns a Server:
//   server.base                      "http://127.0.0.1:PORT"
//   server.raw(method, path, opts)   a request without authentication
//   await server.login(name)         a cookie client (Cookie and X-CSRF-Token set automatically)
//   server.bearer(name)              a bearer-token client (`aimcase token create`)
//   await server.stop()              SIGTERM, asserts exit status 0, removes the temporary directory
// Every request helper resolves to a Reply: {status, headers, text, json, contentType}.
// opts: {json, body, headers, csrf}; `json` is serialized and sent as application/json, a string
// `body` is sent as bytes without any Content-Type unless `headers` names one; a header whose
// value is null is not sent. csrf: true (default) sends the session's token, false sends none,
// a string sends that string.
//
// The binary is $AIMCASE_BIN, else build/aimcase at the repository root; the web directory is
// $AIMCASE_WEB, else web/ at the repository root (or startServer({web})).

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..', '..');
export const BIN = process.env.AIMCASE_BIN
	? path.resolve(process.env.AIMCASE_BIN)
	: path.join(REPO, 'build', 'aimcase');
export const WEB = process.env.AIMCASE_WEB
	? path.resolve(process.env.AIMCASE_WEB)
	: path.join(REPO, 'web');

export const USERS = {
	ivy: { role: 'investigator', password: 'ivy-Passw0rd-1' },
	ian: { role: 'investigator', password: 'ian-Passw0rd-1' },
	paula: { role: 'prosecutor', password: 'paula-Passw0rd-1' },
	pat: { role: 'prosecutor', password: 'pat-Passw0rd-1' },
	sam: { role: 'supervisor', password: 'sam-Passw0rd-1' },
};

/** Matches the reference format AIM-YYYY-NNNNN. */
export const REF_RE = /^AIM-\d{4}-\d{5}$/;
/** Matches the time format of every reply: YYYY-MM-DDTHH:MM:SSZ. */
export const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Passed as `field` to expectError when the field of an error is not fixed by the contract. */
export const ANY_FIELD = Symbol('any field');

/** `aimcase user mfa NAME`: enrolls a second factor and returns its base32 secret. */
export function enrollTotp(db, name) {
	const r = cliOk(['user', 'mfa', name, '--db', db]);
	const m = /^secret: ([A-Z2-7]+)$/m.exec(r.stdout);
	assert.ok(m, `aimcase user mfa printed no secret: ${r.stdout}`);
	return m[1];
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of a base32 secret at time t (seconds). */
export function totp(secretB32, t = Date.now() / 1000) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of secretB32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
	const mac = crypto.createHmac('sha1', key).update(counter).digest();
	const off = mac[mac.length - 1] & 0xf;
	const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
	return String(n % 1000000).padStart(6, '0');
}

/** Runs `aimcase ARGS...`; returns {status, stdout, stderr}. */
export function cli(args, input) {
	const r = spawnSync(BIN, args, {
		input: input ?? '',
		encoding: 'utf8',
		timeout: 20000,
	});
	// EPIPE: the command exited before reading its input (a refused argument
	// needs no password); its exit status is still the answer.
	const unreadInput = r.error?.code === 'EPIPE' && r.status !== null;
	if (r.error && !unreadInput) throw new Error(`aimcase ${args.join(' ')}: ${r.error.message}`);
	return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function cliOk(args, input) {
	const r = cli(args, input);
	if (r.status !== 0) {
		throw new Error(`aimcase ${args.join(' ')} exited ${r.status ?? r.signal}\n` +
			`stdout: ${r.stdout}\nstderr: ${r.stderr}`);
	}
	return r;
}

function makeReply(status, headers, text) {
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const get = (n) => (typeof headers.get === 'function' ? headers.get(n) : headers[n.toLowerCase()]);
	return { status, headers, text, json, contentType: get('content-type') ?? '', header: get };
}

/** One request with fetch; see the header comment for opts. */
export async function send(url, method, opts = {}) {
	const headers = {};
	for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		if (!('content-type' in headers)) headers['content-type'] = 'application/json';
	}
	if (typeof body === 'string') body = Buffer.from(body, 'utf8');
	for (const k of Object.keys(headers)) if (headers[k] === null || headers[k] === undefined) delete headers[k];
	const init = { method, headers, redirect: 'manual' };
	if (body !== undefined) init.body = body;
	const res = await fetch(url, init);
	const text = await res.text();
	return makeReply(res.status, res.headers, text);
}

/**
 * A request with node:http, so that the path is sent exactly as given (no normalization), and a
 * reply sent before the whole body was read is still returned. Resolves to a Reply whose headers
 * are a plain lower-cased object, plus `socket` (the socket used).
 */
export function rawHttp(port, method, rawPath, { headers = {}, body, agent } = {}) {
	return new Promise((resolve, reject) => {
		let answered = false;
		const req = http.request({
			host: '127.0.0.1', port, method, path: rawPath, headers, agent: agent ?? false,
		});
		req.setTimeout(20000, () => req.destroy(new Error(`timeout on ${method} ${rawPath}`)));
		req.on('error', (err) => {
			if (!answered) reject(err);
		});
		req.on('response', (res) => {
			answered = true;
			const chunks = [];
			const socket = res.socket;
			const localPort = socket?.localPort;
			const done = () => {
				const r = makeReply(res.statusCode, res.headers, Buffer.concat(chunks).toString('utf8'));
				r.socket = socket;
				r.localPort = localPort;
				resolve(r);
			};
			res.on('data', (c) => chunks.push(c));
			res.on('end', done);
			res.on('aborted', done);
			res.on('error', done);
		});
		if (body !== undefined) req.end(body);
		else req.end();
	});
}

/**
 * Asserts that a Reply is an error of the contract: the status, an application/json content type
 * and exactly {"error":{"code","message","field"}} with a non-empty message. `field` is the
 * expected field path, or null (the default) for none, or ANY_FIELD to accept any string or null.
 */
export function expectError(res, status, code, field = null) {
	const ctx = `${res.status} ${res.contentType} ${String(res.text).slice(0, 500)}`;
	assert.equal(res.status, status, `expected status ${status} (${code}), got ${ctx}`);
	assert.match(res.contentType, /^application\/json\b/i, `content type of the error: ${ctx}`);
	assert.ok(res.json !== null && typeof res.json === 'object' && !Array.isArray(res.json),
		`error body is not a JSON object: ${ctx}`);
	assert.deepEqual(Object.keys(res.json), ['error'], `top-level keys of the error: ${ctx}`);
	const e = res.json.error;
	assert.ok(e !== null && typeof e === 'object', `"error" is not an object: ${ctx}`);
	assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message'], `keys of "error": ${ctx}`);
	assert.equal(e.code, code, `error code: ${ctx}`);
	assert.equal(typeof e.message, 'string', `error message type: ${ctx}`);
	assert.ok(e.message.length > 0, `empty error message: ${ctx}`);
	if (field === ANY_FIELD) {
		assert.ok(e.field === null || typeof e.field === 'string', `error field: ${ctx}`);
	} else {
		assert.equal(e.field, field, `error field: ${ctx}`);
	}
	return e;
}

/** Asserts a 2xx-style success with a JSON body and returns the parsed body. */
export function expectJson(res, status) {
	const ctx = `${res.status} ${res.contentType} ${String(res.text).slice(0, 800)}`;
	assert.equal(res.status, status, `expected status ${status}, got ${ctx}`);
	assert.match(res.contentType, /^application\/json\b/i, `content type: ${ctx}`);
	assert.ok(res.json !== undefined, `body is not JSON: ${ctx}`);
	return res.json;
}

/** The name of a user or author field, whether written as "ivy" or {"username":"ivy",…}. */
export function userName(v) {
	return v !== null && typeof v === 'object' ? v.username : v;
}

export class Client {
	constructor(server, { name, cookie, csrf, token }) {
		this.server = server;
		this.name = name;
		this.cookie = cookie;
		this.csrf = csrf;
		this.token = token;
	}

	request(method, p, opts = {}) {
		const headers = {};
		for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
		if (this.cookie && !('cookie' in headers)) headers.cookie = this.cookie;
		if (this.token && !('authorization' in headers)) headers.authorization = `Bearer ${this.token}`;
		const csrf = opts.csrf ?? true;
		if (this.csrf && csrf !== false && !('x-csrf-token' in headers)) {
			headers['x-csrf-token'] = typeof csrf === 'string' ? csrf : this.csrf;
		} else if (typeof csrf === 'string' && !('x-csrf-token' in headers)) {
			headers['x-csrf-token'] = csrf;
		}
		return send(this.server.base + p, method, { ...opts, headers });
	}

	get(p, opts) { return this.request('GET', p, opts); }
	post(p, json, opts = {}) { return this.request('POST', p, { ...opts, json }); }
	patch(p, json, opts = {}) { return this.request('PATCH', p, { ...opts, json }); }
	delete(p, opts) { return this.request('DELETE', p, opts); }
}

export class Server {
	constructor({ dir, db, proc, port }) {
		this.dir = dir;
		this.db = db;
		this.proc = proc;
		this.port = port;
		this.base = `http://127.0.0.1:${port}`;
		this.stderrText = '';
		this.exit = null;
	}

	get stderr() { return this.stderrText; }

	/** Where originals of imported manifests are kept: DB.objects/<sha256>. */
	get objectsDir() { return `${this.db}.objects`; }

	raw(method, p, opts = {}) { return send(this.base + p, method, opts); }

	rawHttp(method, rawPath, opts) { return rawHttp(this.port, method, rawPath, opts); }

	/**
	 * POST /api/session for a user of USERS; asserts 200 and returns a cookie Client. A user
	 * with a second factor sends the current TOTP code; as a code is good once, that user's
	 * client is kept and handed out again while its session lives (else the next time step is
	 * awaited).
	 */
	async login(name, password) {
		const pw = password ?? USERS[name]?.password;
		const secret = this.totpSecrets?.[name];
		if (secret && !password) {
			const kept = this.kept?.[name];
			if (kept && (await kept.get('/api/session')).status === 200) return kept;
		}
		let res = await this.raw('POST', '/api/session', { json: { username: name, password: pw, ...(secret ? { totp: totp(secret) } : {}) } });
		if (secret && res.status === 401 && res.json?.error?.code === 'mfa_required') {
			// this step's code was used already: wait for the next one
			await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 200));
			res = await this.raw('POST', '/api/session', { json: { username: name, password: pw, totp: totp(secret) } });
		}
		const body = expectJson(res, 200);
		const cookie = sessionCookie(res);
		assert.ok(cookie, `no session cookie in the log-in reply: ${JSON.stringify(res.headers.getSetCookie())}`);
		assert.equal(typeof body.csrf_token, 'string');
		const client = new Client(this, { name, cookie, csrf: body.csrf_token });
		if (secret && !password) (this.kept ??= {})[name] = client;
		return client;
	}

	/** A Client authenticated by a fresh `aimcase token create NAME` token. */
	bearer(name) {
		const r = cliOk(['token', 'create', name, '--db', this.db]);
		const token = r.stdout.trim().split('\n').pop().trim();
		assert.ok(token.length > 0, `aimcase token create printed nothing: ${r.stderr}`);
		return new Client(this, { name, token });
	}

	/** SIGTERM, assert a clean exit (status 0), remove the temporary directory. */
	async stop() {
		if (this.exit === null) {
			this.proc.kill('SIGTERM');
			await waitExit(this, 10000);
		}
		const { code, signal } = this.exit;
		try {
			assert.equal(signal, null, `aimcase serve died of ${signal}\nstderr:\n${tail(this.stderrText)}`);
			assert.equal(code, 0, `aimcase serve exited ${code} after SIGTERM\nstderr:\n${tail(this.stderrText)}`);
		} finally {
			if (!process.env.AIMCASE_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
		}
	}
}

function waitExit(server, ms) {
	return new Promise((resolve, reject) => {
		if (server.exit !== null) return resolve();
		const t = setTimeout(() => {
			server.proc.kill('SIGKILL');
			reject(new Error(`aimcase serve did not stop within ${ms} ms of SIGTERM\nstderr:\n${tail(server.stderrText)}`));
		}, ms);
		server.proc.once('exit', () => {
			clearTimeout(t);
			resolve();
		});
	});
}

function tail(s, n = 4000) {
	return s.length > n ? '…' + s.slice(-n) : s;
}

/** "name=value" of the session cookie set by a reply, or null. */
export function sessionCookie(res) {
	const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
	for (const c of all) {
		const nv = c.split(';')[0].trim();
		if (/^(__Host-)?aimcase_session=/.test(nv)) return nv;
	}
	return null;
}

/** The full Set-Cookie line of the session cookie, or null. */
export function sessionSetCookie(res) {
	const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
	return all.find((c) => /^\s*(__Host-)?aimcase_session=/.test(c)) ?? null;
}

/**
 * Creates a database in a new temporary directory, adds the users of USERS, starts
 * `aimcase serve --port 0` and waits (10 s at most) for its "listening on" line.
 * opts.web: the web directory (default WEB).
 * opts.args: more `serve` arguments, e.g. ['--max-manifest-bytes', '65536'].
 * opts.rules: the rule pack directory (default: the shipped rules/packs).
 */
export async function startServer(opts = {}) {
	if (!fs.existsSync(BIN)) {
		throw new Error(`aimcase binary not found at ${BIN} (build it, or set AIMCASE_BIN)`);
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-api-'));
	const db = path.join(dir, 'aimcase.db');
	cliOk(['init', '--db', db]);
	const totpSecrets = {};
	for (const [name, u] of Object.entries(USERS)) {
		cliOk(['user', 'add', name, '--role', u.role, '--password-stdin', '--db', db], `${u.password}\n`);
		// supervisors must have a second factor (docs/api.md): enrolled here, codes by totp()
		if (u.role === 'supervisor') totpSecrets[name] = enrollTotp(db, name);
	}
	const server = await serveDb(dir, db, opts);
	server.totpSecrets = totpSecrets;
	return server;
}

/**
 * `aimcase serve` on an existing database db (in dir) on a free port of 127.0.0.1; waits
 * (10 s at most) for its "listening on" line. opts as for startServer. Used by startServer, and
 * to start a server again on the same database (tests/durability/).
 */
export async function serveDb(dir, db, opts = {}) {
	const web = opts.web ?? WEB;
	const rules = opts.rules ?? path.join(REPO, 'rules', 'packs');
	const args = ['serve', '--db', db, '--bind', '127.0.0.1', '--port', '0', '--web', web, '--rules', rules,
		...(opts.args ?? [])];
	const proc = spawn(BIN, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	let stdout = '';
	let server = null;
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`aimcase serve printed no "listening on http://127.0.0.1:PORT" line within 10 s\n` +
				`stderr:\n${tail(stderr)}\nstdout:\n${tail(stdout)}`));
		}, 10000);
		proc.stdout.on('data', (d) => { stdout += d; });
		proc.stderr.on('data', (d) => {
			stderr += d;
			if (server) {
				server.stderrText = stderr;
				return;
			}
			const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		proc.on('error', (err) => {
			clearTimeout(timer);
			reject(new Error(`cannot start ${BIN}: ${err.message}`));
		});
		proc.on('exit', (code, signal) => {
			if (server) return;
			clearTimeout(timer);
			reject(new Error(`aimcase serve exited (${code ?? signal}) before listening\nstderr:\n${tail(stderr)}`));
		});
	});
	server = new Server({ dir, db, proc, port });
	server.stderrText = stderr;
	proc.on('exit', (code, signal) => { server.exit = { code, signal }; });
	return server;
}

// ---------------------------------------------------------------------------------------------
// Realistic incident bodies shared by the test files. Each call returns a fresh object.

export function aiIncident(over = {}) {
	return {
		kind: 'ai_intrusion',
		title: 'Agent scraped patient portal after credential stuffing',
		narrative:
			'Between 03:05 and 03:40 UTC the clinic\'s WAF logged 14,212 log-in attempts against the patient\n' +
			'portal from 203.0.113.7 and 2001:db8::1, using a HeadlessChrome user agent. After 37 accounts were\n' +
			'taken over, an automation agent paged through the appointment and lab-result views and exported\n' +
			'about 2,300 patient records. The clinic blocked the addresses at 03:41; access resumed from\n' +
			'198.51.100.23 at 04:10 with the same account list.',
		occurred_at: '2026-10-28T03:12:00Z',
		ai_intrusion: {
			target_system: 'portal.example-clinic.org',
			target_owner: 'Example Clinic',
			access_vector: 'credential_stuffing',
			agent: 'browser automation (HeadlessChrome)',
			model: 'unknown',
			loss_usd: 1200.5,
			data_accessed: 'patient records: names, dates of birth, lab results',
			indicators: {
				ips: ['203.0.113.7', '2001:DB8:0:0::1', '198.51.100.23', '203.0.113.7'],
				user_agents: ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36'],
				accounts: ['jdoe@example-clinic.org'],
				domains: ['Portal.Example-Clinic.ORG.'],
			},
		},
		...over,
	};
}

export function tdIncident(over = {}) {
	return {
		kind: 'take_it_down',
		title: 'Forged intimate images of a teacher posted on two forums',
		narrative:
			'The victim, an adult teacher, reported on 2026-10-29 that sexually explicit images showing her\n' +
			'face were posted on two forums with her name and school. She never took or shared such images;\n' +
			'the posts call them "AI edits". A former acquaintance had threatened by text message to "make\n' +
			'pictures" of her. Removal requests were sent to both platforms on 2026-10-30.',
		occurred_at: '2026-10-29T18:30:00Z',
		take_it_down: {
			victim_minor: false,
			depiction: 'digital_forgery',
			threat_only: false,
			platforms: [
				{
					name: 'ImageBoard Example',
					url: 'https://board.example.net/t/88123',
					removal_requested_at: '2026-10-30T09:00:00Z',
					removed_at: '2026-10-31T08:00:00Z',
				},
				{ name: 'Forum Example', url: 'https://forum.example.com/post/5521' },
			],
			content_hashes: ['9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08'],
		},
		...over,
	};
}
