// Sessions, CSRF and bearer tokens (docs/api.md, "Authentication").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, sessionCookie, sessionSetCookie, aiIncident, USERS, ANY_FIELD, totp,
} from './lib/server.mjs';

describe('sessions', { timeout: 60000 }, () => {
	let srv;
	before(async () => { srv = await startServer(); });
	after(async () => { if (srv) await srv.stop(); });

	it('log-in answers 200 with the user, a CSRF token and a HttpOnly SameSite=Strict cookie', async () => {
		const res = await srv.raw('POST', '/api/session', { json: { username: 'ivy', password: USERS.ivy.password } });
		const body = expectJson(res, 200);
				assert.deepEqual(body.user, { username: 'ivy', role: 'investigator' });
		assert.equal(typeof body.csrf_token, 'string');
		assert.ok(body.csrf_token.length >= 16, `csrf_token too short: ${body.csrf_token}`);
		const line = sessionSetCookie(res);
		assert.ok(line, `no aimcase_session cookie: ${JSON.stringify(res.headers.getSetCookie())}`);
		const attrs = line.split(';').slice(1).map((a) => a.trim().toLowerCase());
		assert.ok(attrs.includes('httponly'), `no HttpOnly: ${line}`);
		assert.ok(attrs.includes('samesite=strict'), `no SameSite=Strict: ${line}`);
		assert.ok(attrs.includes('path=/'), `no Path=/: ${line}`);
		const value = sessionCookie(res).split('=').slice(1).join('=');
		assert.ok(value.length >= 16, `session id too short: ${value}`);
		assert.equal(res.header('cache-control'), 'no-store');
	});

	it('each role logs in with its role', async () => {
		for (const [name, u] of Object.entries(USERS)) {
			const code = srv.totpSecrets[name] ? { totp: totp(srv.totpSecrets[name]) } : {};
			const res = await srv.raw('POST', '/api/session', { json: { username: name, password: u.password, ...code } });
			assert.deepEqual(expectJson(res, 200).user, { username: name, role: u.role });
		}
	});

	it('wrong password and unknown user both answer 401 bad_credentials with the same message', async () => {
		const wrong = await srv.raw('POST', '/api/session', { json: { username: 'ivy', password: 'ivy-Passw0rd-2' } });
		const e1 = expectError(wrong, 401, 'bad_credentials', ANY_FIELD);
		assert.equal(sessionCookie(wrong), null, 'a failed log-in must not set a session cookie');
		const unknown = await srv.raw('POST', '/api/session', { json: { username: 'nobody', password: 'ivy-Passw0rd-1' } });
		const e2 = expectError(unknown, 401, 'bad_credentials', ANY_FIELD);
		assert.equal(sessionCookie(unknown), null);
		assert.equal(e1.message, e2.message);
		assert.equal(e1.field, e2.field);
		assert.equal(wrong.text, unknown.text, 'the two replies must be indistinguishable');
	});

	it('GET /api/session returns the same object as the log-in', async () => {
		const login = await srv.raw('POST', '/api/session', { json: { username: 'paula', password: USERS.paula.password } });
		const first = expectJson(login, 200);
		const cookie = sessionCookie(login);
		const res = await srv.raw('GET', '/api/session', { headers: { cookie } });
		assert.deepEqual(expectJson(res, 200), first);
	});

	it('GET /api/session without a session answers 401 unauthorized', async () => {
		expectError(await srv.raw('GET', '/api/session'), 401, 'unauthorized');
		expectError(await srv.raw('GET', '/api/session', { headers: { cookie: 'aimcase_session=bogus0123456789abcdef' } }),
			401, 'unauthorized');
	});

	it('DELETE /api/session answers 204 and the cookie is refused at once; other sessions live on', async () => {
		const a = await srv.login('ivy');
		const b = await srv.login('ivy');
		assert.notEqual(a.cookie, b.cookie, 'two log-ins must give two sessions');
		assert.equal((await a.get('/api/session')).status, 200);
		const del = await a.delete('/api/session');
		assert.equal(del.status, 204, `DELETE /api/session: ${del.status} ${del.text}`);
		assert.equal(del.text, '');
		expectError(await a.get('/api/session'), 401, 'unauthorized');
		expectError(await a.get('/api/cases'), 401, 'unauthorized');
		expectError(await a.post('/api/incidents', aiIncident()), 401, 'unauthorized');
		assert.equal((await b.get('/api/session')).status, 200, 'the other session must stay valid');
	});

	it('a cookie state change without X-CSRF-Token answers 403 csrf_failed and stores nothing', async () => {
		const ivy = await srv.login('ivy');
		const before = expectJson(await ivy.get('/api/cases'), 200).total;
		expectError(await ivy.post('/api/incidents', aiIncident(), { csrf: false }), 403, 'csrf_failed');
		const after = expectJson(await ivy.get('/api/cases'), 200).total;
		assert.equal(after, before);
	});

	it('a cookie state change with a wrong X-CSRF-Token answers 403 csrf_failed', async () => {
		const ivy = await srv.login('ivy');
		const other = await srv.login('ivy');
		expectError(await ivy.post('/api/incidents', aiIncident(), { csrf: 'wrong-token' }), 403, 'csrf_failed');
		expectError(await ivy.post('/api/incidents', aiIncident(), { csrf: '' }), 403, 'csrf_failed');
		// the token of another session of the same user is not this session's token
		expectError(await ivy.post('/api/incidents', aiIncident(), { csrf: other.csrf }), 403, 'csrf_failed');
		expectError(await ivy.delete('/api/session', { csrf: false }), 403, 'csrf_failed');
		assert.equal((await ivy.get('/api/session')).status, 200, 'a refused DELETE must not log out');
	});

	it('the same state change with the right X-CSRF-Token succeeds', async () => {
		const ivy = await srv.login('ivy');
		const res = await ivy.post('/api/incidents', aiIncident());
		expectJson(res, 201);
	});

	it('a bearer token authenticates without a CSRF token', async () => {
		const ivy = srv.bearer('ivy');
		const s = expectJson(await ivy.get('/api/session'), 200);
		assert.deepEqual(s.user, { username: 'ivy', role: 'investigator' });
		const res = await ivy.post('/api/incidents', aiIncident());
		const body = expectJson(res, 201);
		assert.ok(Number.isInteger(body.id));
		const sam = srv.bearer('sam');
		assert.deepEqual(expectJson(await sam.get('/api/session'), 200).user, { username: 'sam', role: 'supervisor' });
	});

	it('a bogus or malformed bearer token answers 401 unauthorized', async () => {
		for (const auth of ['Bearer bogus-token-0123456789', 'Bearer ', 'Bearer', 'Basic aXZ5Oml2eQ==']) {
			const res = await srv.raw('GET', '/api/session', { headers: { authorization: auth } });
			expectError(res, 401, 'unauthorized');
		}
		const res = await srv.raw('POST', '/api/incidents', {
			json: aiIncident(), headers: { authorization: 'Bearer bogus-token-0123456789' },
		});
		expectError(res, 401, 'unauthorized');
	});

	it('a malformed log-in body answers 400', async () => {
		const bad = await srv.raw('POST', '/api/session', {
			body: '{"username": "ivy", "password": ', headers: { 'content-type': 'application/json' },
		});
		expectError(bad, 400, 'malformed_json');
		const arr = await srv.raw('POST', '/api/session', { json: ['ivy', USERS.ivy.password] });
		expectError(arr, 400, 'malformed_json');
		const missing = await srv.raw('POST', '/api/session', { json: { username: 'ivy' } });
		expectError(missing, 400, 'missing_field', 'password');
		const wrongType = await srv.raw('POST', '/api/session', { json: { username: 'ivy', password: 12345 } });
		expectError(wrongType, 400, 'invalid_field', 'password');
		const extra = await srv.raw('POST', '/api/session', {
			json: { username: 'ivy', password: USERS.ivy.password, remember: true },
		});
		expectError(extra, 400, 'unknown_field', 'remember');
	});

	it('a log-in without Content-Type: application/json answers 415', async () => {
		const res = await srv.raw('POST', '/api/session', {
			body: JSON.stringify({ username: 'ivy', password: USERS.ivy.password }),
			headers: { 'content-type': 'text/plain' },
		});
		expectError(res, 415, 'unsupported_media_type');
	});
});
