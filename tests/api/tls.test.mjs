// TLS (`serve --tls-cert F --tls-key F`, docs/api.md "Authentication" and "Headers on every
// reply"): the session cookie is `__Host-aimcase_session` with Secure, every reply carries
// Strict-Transport-Security, the port speaks no plain HTTP. Without TLS: no HSTS, no Secure.
// The certificate is made by openssl (Debian package openssl) for IP 127.0.0.1; a missing
// openssl fails the test with a message, it does not skip.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
	startServer, cli, expectError, expectJson, sessionCookie, sessionSetCookie, aiIncident, USERS, BIN, WEB, REPO,
} from './lib/server.mjs';
import { expectSecurityHeaders } from './lib/access.mjs';

const YEAR = 365 * 24 * 3600;

/** A self-signed certificate for 127.0.0.1 in dir: {cert, key} paths. */
function makeCert(dir) {
	const cert = path.join(dir, 'cert.pem');
	const key = path.join(dir, 'key.pem');
	const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
		'-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
	{ encoding: 'utf8', timeout: 60000 });
	if (r.error?.code === 'ENOENT') {
		throw new Error('openssl not found: the TLS tests need it to make a certificate (apt-get install openssl)');
	}
	if (r.error || r.status !== 0) throw new Error(`openssl req failed (${r.status}): ${r.error?.message ?? r.stderr}`);
	return { cert, key };
}

/**
 * `aimcase serve` over TLS, as startServer() does it for HTTP (which reads only an http:// line):
 * a database with the users of USERS in dir, port 0, the "listening on https://" line read.
 */
async function startTls(dir, cert, key) {
	const db = path.join(dir, 'aimcase.db');
	const run = (args, input) => {
		const r = cli(args, input);
		assert.equal(r.status, 0, `aimcase ${args.join(' ')}: ${r.stderr}`);
	};
	run(['init', '--db', db]);
	for (const [name, u] of Object.entries(USERS)) {
		run(['user', 'add', name, '--role', u.role, '--password-stdin', '--db', db], `${u.password}\n`);
	}
	const proc = spawn(BIN, ['serve', '--db', db, '--bind', '127.0.0.1', '--port', '0', '--web', WEB,
		'--rules', path.join(REPO, 'rules', 'packs'), '--tls-cert', cert, '--tls-key', key],
	{ stdio: ['ignore', 'ignore', 'pipe'] });
	const srv = { proc, db, stderr: '', exit: null, ca: fs.readFileSync(cert) };
	proc.stderr.on('data', (d) => { srv.stderr += d; });
	proc.on('exit', (code, signal) => { srv.exit = { code, signal }; });
	srv.port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no "listening on https://" line in 10 s:\n${srv.stderr}`)), 10000);
		const look = () => {
			const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(srv.stderr);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		proc.stderr.on('data', look);
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`aimcase serve exited ${code} before listening:\n${srv.stderr}`));
		});
	});
	srv.stop = async () => {
		if (srv.exit === null) {
			proc.kill('SIGTERM');
			await new Promise((resolve) => proc.once('exit', resolve));
		}
		assert.deepEqual(srv.exit, { code: 0, signal: null }, `aimcase serve after SIGTERM:\n${srv.stderr.slice(-2000)}`);
	};
	return srv;
}

/** One HTTPS request, the server's certificate checked against ca; resolves to a Reply-like object. */
function request(srv, method, p, { headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = https.request({
			host: '127.0.0.1', port: srv.port, method, path: p, ca: srv.ca, agent: false,
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try { json = JSON.parse(text); } catch { json = undefined; }
				const setCookies = res.headers['set-cookie'] ?? [];
				resolve({
					status: res.statusCode, text, json, contentType: res.headers['content-type'] ?? '',
					header: (n) => res.headers[n.toLowerCase()],
					headers: { ...res.headers, getSetCookie: () => setCookies },
				});
			});
		});
		req.setTimeout(20000, () => req.destroy(new Error(`timeout on ${method} ${p}`)));
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

/** Asserts HSTS with max-age of a year or more. */
function expectHsts(res, ctx) {
	const v = res.header('strict-transport-security');
	assert.ok(v, `${ctx}: no Strict-Transport-Security`);
	const m = /(?:^|;)\s*max-age=(\d+)\s*(?:;|$)/i.exec(v);
	assert.ok(m && Number(m[1]) >= YEAR, `${ctx}: Strict-Transport-Security: ${v}`);
}

/** The attributes of a Set-Cookie line, lower-cased, without the name=value. */
const attrsOf = (line) => line.split(';').slice(1).map((a) => a.trim().toLowerCase());

/** Sends raw bytes to 127.0.0.1:port and collects what comes back until the peer closes (or 3 s). */
function rawExchange(port, bytes) {
	return new Promise((resolve) => {
		const chunks = [];
		const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
		const done = (how) => {
			s.destroy();
			resolve({ how, data: Buffer.concat(chunks) });
		};
		s.on('data', (d) => chunks.push(d));
		s.on('end', () => done('closed'));
		s.on('error', (e) => done(e.code));
		s.setTimeout(3000, () => done('timeout'));
	});
}

describe('TLS', { timeout: 120000 }, () => {
	let dir;
	let srv;
	let ivyCookie; // "__Host-aimcase_session=…"
	let ivyCsrf;

	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-tls-'));
		const { cert, key } = makeCert(dir);
		srv = await startTls(dir, cert, key);
	});
	after(async () => {
		try {
			if (srv) await srv.stop();
		} finally {
			if (dir && !process.env.AIMCASE_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('log-in sets __Host-aimcase_session with Path=/, Secure, HttpOnly, SameSite=Strict and no Domain', async () => {
		const res = await request(srv, 'POST', '/api/session', { body: { username: 'ivy', password: USERS.ivy.password } });
		const body = expectJson(res, 200);
		assert.deepEqual(body.user, { username: 'ivy', role: 'investigator' });
		const line = sessionSetCookie(res);
		assert.ok(line, `no session cookie: ${JSON.stringify(res.headers.getSetCookie())}`);
		assert.match(line, /^__Host-aimcase_session=[^;\s]{16,};/, `cookie name and value: ${line}`);
		const attrs = attrsOf(line);
		for (const a of ['path=/', 'secure', 'httponly', 'samesite=strict']) assert.ok(attrs.includes(a), `no ${a}: ${line}`);
		assert.ok(!attrs.some((a) => a.startsWith('domain')), `a __Host- cookie has no Domain: ${line}`);
		ivyCookie = sessionCookie(res);
		ivyCsrf = body.csrf_token;
	});

	it('the cookie authenticates over HTTPS: reading, and a state change with the CSRF token', async () => {
		const s = expectJson(await request(srv, 'GET', '/api/session', { headers: { cookie: ivyCookie } }), 200);
		assert.deepEqual(s.user, { username: 'ivy', role: 'investigator' });
		const filed = expectJson(await request(srv, 'POST', '/api/incidents', {
			headers: { cookie: ivyCookie, 'x-csrf-token': ivyCsrf }, body: aiIncident(),
		}), 201);
		expectJson(await request(srv, 'GET', `/api/cases/${filed.case.ref}`, { headers: { cookie: ivyCookie } }), 200);
		expectError(await request(srv, 'POST', '/api/incidents', { headers: { cookie: ivyCookie }, body: aiIncident() }),
			403, 'csrf_failed');
	});

	it('the same session value under the plain name aimcase_session is not accepted under TLS', async () => {
		const value = ivyCookie.split('=').slice(1).join('=');
		expectError(await request(srv, 'GET', '/api/session', { headers: { cookie: `aimcase_session=${value}` } }),
			401, 'unauthorized');
	});

	it('every reply carries Strict-Transport-Security (max-age ≥ 1 year) and the security headers', async () => {
		const auth = { cookie: ivyCookie, 'x-csrf-token': ivyCsrf };
		const replies = {
			'API 200': await request(srv, 'GET', '/api/cases', { headers: auth }),
			'API 201': await request(srv, 'POST', '/api/incidents', { headers: auth, body: aiIncident() }),
			'API 400': await request(srv, 'GET', '/api/cases?limit=0', { headers: auth }),
			'API 401': await request(srv, 'GET', '/api/cases'),
			'bad log-in 401': await request(srv, 'POST', '/api/session', { body: { username: 'ivy', password: 'wrong-password-1' } }),
			'API 403': await request(srv, 'GET', '/api/users', { headers: auth }),
			'API 404': await request(srv, 'GET', '/api/nothing-here', { headers: auth }),
			'API 405': await request(srv, 'PUT', '/api/cases', { headers: auth, body: {} }),
			'static index.html': await request(srv, 'GET', '/'),
			'static file': await request(srv, 'GET', '/app.css'),
			'static 404': await request(srv, 'GET', '/no-such-file.js'),
			'static HEAD': await request(srv, 'HEAD', '/'),
			'healthz': await request(srv, 'GET', '/healthz'),
		};
		const login = await request(srv, 'POST', '/api/session', { body: { username: 'ian', password: USERS.ian.password } });
		replies['log-in'] = login;
		replies['log-out 204'] = await request(srv, 'DELETE', '/api/session', {
			headers: { cookie: sessionCookie(login), 'x-csrf-token': login.json.csrf_token },
		});
		const statuses = Object.fromEntries(Object.entries(replies).map(([k, r]) => [k, r.status]));
		assert.deepEqual(statuses, {
			'API 200': 200, 'API 201': 201, 'API 400': 400, 'API 401': 401, 'bad log-in 401': 401, 'API 403': 403,
			'API 404': 404, 'API 405': 405, 'static index.html': 200, 'static file': 200, 'static 404': 404,
			'static HEAD': 200, healthz: 200, 'log-in': 200, 'log-out 204': 204,
		});
		for (const [name, r] of Object.entries(replies)) {
			expectHsts(r, name);
			expectSecurityHeaders(r, name);
		}
	});

	it('the TLS port serves no plain HTTP', async () => {
		const { how, data } = await rawExchange(srv.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
		const text = data.toString('latin1');
		assert.ok(!/^HTTP\/1\.[01] [23]\d\d/.test(text), `a plain-HTTP request was answered (${how}): ${text.slice(0, 200)}`);
		assert.ok(!/\r\n\r\nok\b/.test(text), `the health check answered over plain HTTP: ${text.slice(0, 200)}`);
		const login = await rawExchange(srv.port, 'POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
			'Content-Type: application/json\r\nContent-Length: 48\r\nConnection: close\r\n\r\n' +
			JSON.stringify({ username: 'ivy', password: USERS.ivy.password }).padEnd(48));
		assert.ok(!/aimcase_session|csrf_token/.test(login.data.toString('latin1')), 'a plain-HTTP log-in was answered');
		// and the server lives on
		assert.equal((await request(srv, 'GET', '/healthz')).status, 200);
	});
});

describe('without TLS', { timeout: 60000 }, () => {
	let srv;
	before(async () => { srv = await startServer(); });
	after(async () => { if (srv) await srv.stop(); });

	it('the cookie is aimcase_session without Secure, and no reply carries Strict-Transport-Security', async () => {
		const res = await srv.raw('POST', '/api/session', { json: { username: 'paula', password: USERS.paula.password } });
		expectJson(res, 200);
		const line = sessionSetCookie(res);
		assert.match(line, /^aimcase_session=/, `cookie: ${line}`);
		assert.ok(!attrsOf(line).includes('secure'), `Secure without TLS: ${line}`);
		const cookie = sessionCookie(res);
		const replies = {
			'log-in': res,
			'API 200': await srv.raw('GET', '/api/cases', { headers: { cookie } }),
			'API 401': await srv.raw('GET', '/api/cases'),
			'API 404': await srv.raw('GET', '/api/nothing-here', { headers: { cookie } }),
			'static index.html': await srv.raw('GET', '/'),
			'static 404': await srv.raw('GET', '/no-such-file.js'),
			'healthz': await srv.raw('GET', '/healthz'),
		};
		for (const [name, r] of Object.entries(replies)) {
			assert.equal(r.header('strict-transport-security'), null, `${name}: HSTS over plain HTTP`);
		}
	});

	it('a __Host- cookie is not accepted without TLS', async () => {
		const cookie = (await srv.login('pat')).cookie;
		expectError(await srv.raw('GET', '/api/session', { headers: { cookie: `__Host-${cookie}` } }), 401, 'unauthorized');
	});
});
