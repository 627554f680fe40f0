// HTTP-level behaviour: health check, routing errors, headers, static files, keep-alive.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, expectError, aiIncident, rawHttp, WEB } from './lib/server.mjs';

const SECRET = 'top-secret-outside-the-web-dir';

/**
 * A web directory for this file: a copy of web/ (or a minimal index.html), plus an empty-ish
 * sub-directory `testdir/` and, next to the web directory, a file that must never be served.
 */
function makeWebDir() {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-web-'));
	const web = path.join(root, 'web');
	if (fs.existsSync(path.join(WEB, 'index.html'))) {
		fs.cpSync(WEB, web, { recursive: true });
	} else {
		fs.mkdirSync(web);
		fs.writeFileSync(path.join(web, 'index.html'),
			'<!doctype html><html><head><meta charset="utf-8"><title>aimcase</title></head><body>aimcase</body></html>\n');
	}
	fs.mkdirSync(path.join(web, 'testdir'), { recursive: true });
	fs.writeFileSync(path.join(web, 'testdir', 'a.txt'), 'plain file in a sub-directory\n');
	fs.writeFileSync(path.join(root, 'secret.txt'), SECRET + '\n');
	return { root, web };
}

/** Two requests, one after the other, over one keep-alive agent with a single socket. */
async function twoOverOneSocket(port, reqs) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const out = [];
		for (const r of reqs) out.push(await rawHttp(port, r.method, r.path, { ...r, agent }));
		return out;
	} finally {
		agent.destroy();
	}
}

describe('http', { timeout: 60000 }, () => {
	let srv;
	let webDir;
	let ivy;
	let tok;
	before(async () => {
		webDir = makeWebDir();
		srv = await startServer({ web: webDir.web });
		ivy = await srv.login('ivy');
		tok = srv.bearer('ivy');
	});
	after(async () => {
		try {
			if (srv) await srv.stop();
		} finally {
			if (webDir) fs.rmSync(webDir.root, { recursive: true, force: true });
		}
	});

	it('GET /healthz answers 200 "ok" without a session', async () => {
		const res = await srv.raw('GET', '/healthz');
		assert.equal(res.status, 200);
		assert.equal(res.text.trim(), 'ok');
		assert.match(res.contentType, /^text\/plain\b/);
	});

	it('an unknown /api/ path answers 401 without a session, 404 with one', async () => {
		expectError(await srv.raw('GET', '/api/x'), 401, 'unauthorized');
		expectError(await srv.raw('POST', '/api/x', { json: {} }), 401, 'unauthorized');
		expectError(await ivy.get('/api/x'), 404, 'not_found');
		expectError(await tok.get('/api/x'), 404, 'not_found');
		expectError(await ivy.get('/api/cases/AIM-2026-00001/nothing-here'), 404, 'not_found');
	});

	it('a known path with a wrong method answers 405 method_not_allowed with an Allow header', async () => {
		const res = await ivy.request('PUT', '/api/cases', { json: {} });
		expectError(res, 405, 'method_not_allowed');
		const allow = res.header('allow');
		assert.ok(allow, 'no Allow header');
		const methods = allow.split(',').map((m) => m.trim().toUpperCase());
		assert.ok(methods.includes('GET'), `Allow: ${allow}`);
		assert.ok(!methods.includes('PUT'), `Allow: ${allow}`);

		const res2 = await tok.request('DELETE', '/api/incidents');
		expectError(res2, 405, 'method_not_allowed');
		assert.ok(res2.header('allow').split(',').map((m) => m.trim()).includes('POST'), `Allow: ${res2.header('allow')}`);

		const res3 = await tok.request('PATCH', '/api/incidents/1', { json: {} });
		expectError(res3, 405, 'method_not_allowed');
		assert.ok(res3.header('allow').split(',').map((m) => m.trim()).includes('GET'), `Allow: ${res3.header('allow')}`);
	});

	it('authentication is checked before the method (401 before 405)', async () => {
		expectError(await srv.raw('PUT', '/api/cases', { json: {} }), 401, 'unauthorized');
	});

	it('POST /api/session is the only /api/ route open without a session', async () => {
		for (const [m, p] of [['GET', '/api/cases'], ['GET', '/api/cases/AIM-2026-00001'], ['GET', '/api/incidents/1'],
			['POST', '/api/incidents'], ['PATCH', '/api/cases/AIM-2026-00001'], ['POST', '/api/cases/AIM-2026-00001/notes']]) {
			const res = await srv.raw(m, p, m === 'GET' ? {} : { json: {} });
			expectError(res, 401, 'unauthorized');
		}
	});

	// the headers of these replies (and of every other kind): headers.test.mjs
	it('GET / serves index.html as text/html', async () => {
		const res = await srv.raw('GET', '/');
		assert.equal(res.status, 200);
		assert.match(res.contentType, /^text\/html\b/);
		assert.equal(res.text, fs.readFileSync(path.join(webDir.web, 'index.html'), 'utf8'));
	});

	it('GET /index.html and a file in a sub-directory are served; a missing file is 404', async () => {
		const idx = await srv.raw('GET', '/index.html');
		assert.equal(idx.status, 200);
		assert.match(idx.contentType, /^text\/html\b/);
		const a = await srv.raw('GET', '/testdir/a.txt');
		assert.equal(a.status, 200);
		assert.equal(a.text, 'plain file in a sub-directory\n');
		const missing = await srv.raw('GET', '/no-such-file.js');
		assert.equal(missing.status, 404);
	});

	for (const p of [
		'/../../etc/passwd',
		'/%2e%2e/%2e%2e/etc/passwd',
		'/../secret.txt',
		'/%2e%2e/secret.txt',
		'/%2E%2E%2Fsecret.txt',
		'/..%2fsecret.txt',
		'/testdir/../../secret.txt',
		'/testdir/%2e%2e/%2e%2e/secret.txt',
		'/testdir/..%2f..%2fsecret.txt',
		'/..%5csecret.txt',
		'//etc/passwd',
		'/%2fetc%2fpasswd',
	]) {
		it(`path traversal ${p} answers 404`, async () => {
			const res = await srv.rawHttp('GET', p);
			assert.equal(res.status, 404, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
			assert.ok(!res.text.includes(SECRET), 'the secret file leaked');
			assert.ok(!/root:.*:0:0:/.test(res.text), '/etc/passwd leaked');
		});
	}

	it('a directory path answers 404 (no listing)', async () => {
		for (const p of ['/testdir', '/testdir/']) {
			const res = await srv.rawHttp('GET', p);
			assert.equal(res.status, 404, `${p}: ${res.status}`);
			assert.ok(!res.text.includes('a.txt'), `${p} lists the directory`);
		}
	});

	describe('keep-alive', () => {
		for (const [name, reqs] of [
			['GET /healthz twice', () => [{ method: 'GET', path: '/healthz' }, { method: 'GET', path: '/healthz' }]],
			['GET /api/session twice (bearer)', () => [
				{ method: 'GET', path: '/api/session', headers: { authorization: `Bearer ${tok.token}` } },
				{ method: 'GET', path: '/api/session', headers: { authorization: `Bearer ${tok.token}` } },
			]],
			['POST /api/incidents with a body, then GET', () => [
				{
					method: 'POST', path: '/api/incidents',
					headers: { authorization: `Bearer ${tok.token}`, 'content-type': 'application/json' },
					body: JSON.stringify(aiIncident()),
				},
				{ method: 'GET', path: '/api/cases', headers: { authorization: `Bearer ${tok.token}` } },
			]],
			['a 400 error reply, then GET', () => [
				{
					method: 'POST', path: '/api/incidents',
					headers: { authorization: `Bearer ${tok.token}`, 'content-type': 'application/json' },
					body: '{"kind":',
				},
				{ method: 'GET', path: '/healthz' },
			]],
			['GET / then GET /healthz', () => [{ method: 'GET', path: '/' }, { method: 'GET', path: '/healthz' }]],
		]) {
			it(`${name}: the second request reuses the connection`, async () => {
				const [r1, r2] = await twoOverOneSocket(srv.port, reqs());
				assert.ok(r1.status < 500 && r2.status < 500, `${r1.status} ${r2.status}`);
				assert.notEqual(String(r1.headers.connection).toLowerCase(), 'close', 'first reply has Connection: close');
				assert.notEqual(String(r2.headers.connection).toLowerCase(), 'close', 'second reply has Connection: close');
				assert.equal(r2.localPort, r1.localPort, 'a new connection was opened');
				assert.equal(r2.socket, r1.socket, 'a new socket was used');
			});
		}
	});

	it('the server logs one access line per request to stderr', async () => {
		// a path of its own: an earlier test's /healthz line may still be on its way (ASan build)
		const probe = `/api/access-log-probe-${Date.now()}`;
		await srv.raw('GET', probe);
		await new Promise((r) => setTimeout(r, 200));
		const lines = srv.stderr.split('\n').filter((l) => l.includes(probe));
		assert.equal(lines.length, 1, `access log lines: ${JSON.stringify(lines)}`);
		assert.match(lines[0], /^GET \/api\/access-log-probe-\d+ 40[14] \d+ [\d.]+ms user=-$/);
	});
});
