// The headers of every kind of reply (docs/api.md, "Headers on every reply", "Errors"): the
// security headers on all of them, Cache-Control: no-store on every /api/ reply, and every error
// in the shape {"error":{"code","message","field"}} — API answers, refusals before any handler
// (401, 403, 404, 405, 413, 415), the web UI's files, index.html and the health check.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, USERS, ANY_FIELD,
} from './lib/server.mjs';
import { dfxml, postXml, expectSecurityHeaders } from './lib/access.mjs';

const MiB = 1 << 20;

const kind = (name, path, send, status, code = null, field = null) => ({ name, path, send, status, code, field });

// Each kind of reply: the path asked (for the /api/ rule), how to ask, the status, and for an
// error its code and field. `x` holds the clients (ivy, ian, tok: ivy's token) and objects.
const KINDS = [
	kind('API 200', '/api/cases', (x) => x.ivy.get('/api/cases'), 200),
	kind('API 200 search', '/api/search', (x) => x.ivy.get('/api/search?q=portal'), 200),
	kind('API 200 log-in', '/api/session',
		(x) => x.srv.raw('POST', '/api/session', { json: { username: 'pat', password: USERS.pat.password } }), 200),
	kind('API 200 session', '/api/session', (x) => x.ivy.get('/api/session'), 200),
	kind('API 200 case', '/api/cases/{ref}', (x) => x.tok.get(`/api/cases/${x.ref}`), 200),
	kind('API 200 incident', '/api/incidents/{id}', (x) => x.tok.get(`/api/incidents/${x.incident}`), 200),
	kind('API 201', '/api/incidents', (x) => x.tok.post('/api/incidents', aiIncident()), 201),
	kind('API 204', '/api/session', async (x) => (await x.srv.login('ian')).delete('/api/session'), 204),
	kind('API 200 manifest original (XML)', '/api/manifests/{id}/original',
		(x) => x.ivy.get(`/api/manifests/${x.manifest}/original`), 200),
	kind('400 malformed_json', '/api/incidents', (x) => x.tok.request('POST', '/api/incidents',
		{ body: '{"kind":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json'),
	kind('400 invalid_field', '/api/cases', (x) => x.ivy.get('/api/cases?limit=0'), 400, 'invalid_field', 'limit'),
	kind('400 missing_field', '/api/search', (x) => x.ivy.get('/api/search'), 400, 'missing_field', 'q'),
	kind('400 malformed_xml', '/api/cases/{ref}/manifests',
		(x) => postXml(x.ivy, `/api/cases/${x.ref}/manifests`, '<dfxml><fileobject>'), 400, 'malformed_xml', ANY_FIELD),
	kind('401 unauthorized', '/api/cases', (x) => x.srv.raw('GET', '/api/cases'), 401, 'unauthorized'),
	kind('401 unknown /api/ path without a session', '/api/nothing-here',
		(x) => x.srv.raw('GET', '/api/nothing-here'), 401, 'unauthorized'),
	kind('401 bad_credentials', '/api/session', (x) => x.srv.raw('POST', '/api/session',
		{ json: { username: 'ivy', password: 'not-her-password-1' } }), 401, 'bad_credentials', ANY_FIELD),
	kind('403 forbidden', '/api/users', (x) => x.ivy.get('/api/users'), 403, 'forbidden'),
	kind('403 csrf_failed', '/api/incidents', (x) => x.ivy.post('/api/incidents', aiIncident(), { csrf: false }),
		403, 'csrf_failed'),
	kind('404 unknown /api/ path', '/api/nothing-here', (x) => x.ivy.get('/api/nothing-here'), 404, 'not_found'),
	kind('404 a case you may not see', '/api/cases/{ref}', (x) => x.ian.get(`/api/cases/${x.ref}`), 404, 'not_found'),
	kind('404 static file', '/no-such-file.js', (x) => x.srv.raw('GET', '/no-such-file.js'), 404, 'not_found'),
	kind('404 path traversal', '/../secret', (x) => x.srv.rawHttp('GET', '/%2e%2e/secret'), 404, 'not_found'),
	kind('405 API', '/api/cases', (x) => x.ivy.request('PUT', '/api/cases', { json: {} }), 405, 'method_not_allowed'),
	kind('405 static', '/', (x) => x.srv.raw('POST', '/', { json: {} }), 405, 'method_not_allowed'),
	kind('409 conflict', '/api/incidents', (x) => x.tok.post('/api/incidents', tdIncident({ case_ref: x.ref })),
		409, 'conflict', ANY_FIELD),
	kind('413 JSON body over 1 MiB (read and dropped)', '/api/incidents',
		(x) => x.tok.post('/api/incidents', aiIncident({ narrative: 'x'.repeat(1.5 * MiB) })), 413, 'too_large'),
	kind('413 Content-Length over 16 MiB (refused unread)', '/api/incidents',
		(x) => x.srv.rawHttp('POST', '/api/incidents', {
			headers: { authorization: `Bearer ${x.tok.token}`, 'content-type': 'application/json', 'content-length': String(17 * MiB) },
		}), 413, 'too_large'),
	kind('415', '/api/incidents', (x) => x.tok.request('POST', '/api/incidents',
		{ body: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'),
	kind('index.html at /', '/', (x) => x.srv.raw('GET', '/'), 200),
	kind('/index.html', '/index.html', (x) => x.srv.raw('GET', '/index.html'), 200),
	kind('static CSS', '/app.css', (x) => x.srv.raw('GET', '/app.css'), 200),
	kind('static JS module', '/js/app.js', (x) => x.srv.raw('GET', '/js/app.js'), 200),
	kind('static SVG', '/favicon.svg', (x) => x.srv.raw('GET', '/favicon.svg'), 200),
	kind('HEAD /', '/', (x) => x.srv.raw('HEAD', '/'), 200),
	kind('healthz', '/healthz', (x) => x.srv.raw('GET', '/healthz'), 200),
	kind('healthz with a session', '/healthz', (x) => x.ivy.get('/healthz'), 200),
];

describe('headers on every kind of reply', { timeout: 60000 }, () => {
	const x = {};
	before(async () => {
		x.srv = await startServer();
		x.ivy = await x.srv.login('ivy');
		x.ian = await x.srv.login('ian');
		x.tok = x.srv.bearer('ivy');
		const filed = expectJson(await x.ivy.post('/api/incidents', aiIncident()), 201);
		x.ref = filed.case.ref;
		x.incident = filed.id;
		const m = await postXml(x.ivy, `/api/cases/${x.ref}/manifests`,
			dfxml([['Users/jdoe/Documents/portal-export.csv', 'ab'.repeat(32)]]));
		x.manifest = expectJson(m, 201).manifest.id;
	});
	after(async () => { if (x.srv) await x.srv.stop(); });

	for (const k of KINDS) {
		it(`${k.name}: ${k.status}${k.code ? ` ${k.code}` : ''}`, async () => {
			const res = await k.send(x);
			assert.equal(res.status, k.status, `${k.name}: ${res.status} ${String(res.text).slice(0, 300)}`);
			expectSecurityHeaders(res, k.name);
			if (k.path.startsWith('/api/')) {
				assert.equal(res.header('cache-control'), 'no-store', `${k.name}: Cache-Control ${res.header('cache-control')}`);
			}
			if (k.code) expectError(res, k.status, k.code, k.field);
			else if (k.path.startsWith('/api/') && k.status !== 204 && !k.path.endsWith('/original')) {
				assert.match(res.contentType, /^application\/json; ?charset=utf-8$/i, `${k.name}: ${res.contentType}`);
			}
		});
	}
});
