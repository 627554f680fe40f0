// POST /api/incidents and GET /api/incidents/{id} (docs/api.md, "Incidents").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, userName, ANY_FIELD, REF_RE, TIME_RE,
} from './lib/server.mjs';

const clone = (o) => JSON.parse(JSON.stringify(o));

/** A valid body changed by f (which mutates its argument). */
function ai(f) {
	const b = aiIncident();
	f(b);
	return b;
}
function td(f) {
	const b = tdIncident();
	f(b);
	return b;
}

/** A valid body whose title holds the invalid UTF-8 sequence C3 28. */
function badUtf8() {
	const s = JSON.stringify(aiIncident());
	const i = s.indexOf('Agent scraped');
	return Buffer.concat([Buffer.from(s.slice(0, i)), Buffer.from([0xc3, 0x28]), Buffer.from(s.slice(i))]);
}

// Every entry is one body with exactly one thing wrong. `raw` entries are sent as text.
const INVALID = [
	{ name: 'missing kind', body: ai((b) => { delete b.kind; }), status: 400, code: 'missing_field', field: 'kind' },
	{ name: 'missing title', body: ai((b) => { delete b.title; }), status: 400, code: 'missing_field', field: 'title' },
	{ name: 'missing narrative', body: ai((b) => { delete b.narrative; }), status: 400, code: 'missing_field', field: 'narrative' },
	{ name: 'unknown kind', body: ai((b) => { b.kind = 'ransomware'; }), status: 400, code: 'invalid_field', field: 'kind' },
	{ name: 'kind of the wrong type', body: ai((b) => { b.kind = 1; }), status: 400, code: 'invalid_field', field: 'kind' },
	{ name: 'title only blanks', body: ai((b) => { b.title = '   \t '; }), status: 400, code: 'invalid_field', field: 'title' },
	{ name: 'title of 301 characters', body: ai((b) => { b.title = 'x'.repeat(301); }), status: 400, code: 'invalid_field', field: 'title' },
	{ name: 'title with a control character', body: ai((b) => { b.title = 'bell\u0007 in title'; }), status: 400, code: 'invalid_field', field: 'title' },
	{ name: 'title a number', body: ai((b) => { b.title = 42; }), status: 400, code: 'invalid_field', field: 'title' },
	{ name: 'narrative empty', body: ai((b) => { b.narrative = ''; }), status: 400, code: 'invalid_field', field: 'narrative' },
	{ name: 'narrative with an escape character', body: ai((b) => { b.narrative = 'text \u001b[31m red'; }), status: 400, code: 'invalid_field', field: 'narrative' },
	{ name: 'narrative an object', body: ai((b) => { b.narrative = { text: 'x' }; }), status: 400, code: 'invalid_field', field: 'narrative' },
	{ name: 'month 13', body: ai((b) => { b.occurred_at = '2026-13-01T00:00:00Z'; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'occurred_at "yesterday"', body: ai((b) => { b.occurred_at = 'yesterday'; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'occurred_at 30 February', body: ai((b) => { b.occurred_at = '2026-02-30T10:00:00Z'; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'occurred_at without a zone', body: ai((b) => { b.occurred_at = '2026-10-28T03:12:00'; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'occurred_at years in the future', body: ai((b) => { b.occurred_at = '2031-01-01T00:00:00Z'; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'occurred_at a number', body: ai((b) => { b.occurred_at = 1761621120; }), status: 400, code: 'invalid_field', field: 'occurred_at' },
	{ name: 'access_vector not in the list', body: ai((b) => { b.ai_intrusion.access_vector = 'telepathy'; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.access_vector' },
	{ name: 'depiction not in the list', body: td((b) => { b.take_it_down.depiction = 'fake'; }), status: 400, code: 'invalid_field', field: 'take_it_down.depiction' },
	{ name: 'missing target_system', body: ai((b) => { delete b.ai_intrusion.target_system; }), status: 400, code: 'missing_field', field: 'ai_intrusion.target_system' },
	{ name: 'missing access_vector', body: ai((b) => { delete b.ai_intrusion.access_vector; }), status: 400, code: 'missing_field', field: 'ai_intrusion.access_vector' },
	{ name: 'missing victim_minor', body: td((b) => { delete b.take_it_down.victim_minor; }), status: 400, code: 'missing_field', field: 'take_it_down.victim_minor' },
	{ name: 'victim_minor a string', body: td((b) => { b.take_it_down.victim_minor = 'yes'; }), status: 400, code: 'invalid_field', field: 'take_it_down.victim_minor' },
	{ name: 'threat_only a number', body: td((b) => { b.take_it_down.threat_only = 0; }), status: 400, code: 'invalid_field', field: 'take_it_down.threat_only' },
	{ name: 'bad IPv4 at index 1', body: ai((b) => { b.ai_intrusion.indicators.ips = ['203.0.113.7', '203.0.113.300']; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.ips[1]' },
	{ name: 'bad IPv6 at index 2', body: ai((b) => { b.ai_intrusion.indicators.ips = ['203.0.113.7', '2001:db8::1', '2001:db8:::1']; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.ips[2]' },
	{ name: 'IP a number', body: ai((b) => { b.ai_intrusion.indicators.ips = [3405803783]; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.ips[0]' },
	{ name: 'bad domain', body: ai((b) => { b.ai_intrusion.indicators.domains = ['exa mple..com']; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.domains[0]' },
	{ name: 'domain with a scheme', body: ai((b) => { b.ai_intrusion.indicators.domains = ['example.org', 'https://example.com/']; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.domains[1]' },
	{ name: 'empty user agent', body: ai((b) => { b.ai_intrusion.indicators.user_agents = ['']; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.user_agents[0]' },
	{ name: 'ips a string instead of a list', body: ai((b) => { b.ai_intrusion.indicators.ips = '203.0.113.7'; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.indicators.ips' },
	{ name: 'bad hash (not hex)', body: td((b) => { b.take_it_down.content_hashes = ['xyz']; }), status: 400, code: 'invalid_field', field: 'take_it_down.content_hashes[0]' },
	{ name: 'hash of 63 hex digits', body: td((b) => { b.take_it_down.content_hashes.push('a'.repeat(63)); }), status: 400, code: 'invalid_field', field: 'take_it_down.content_hashes[1]' },
	{ name: 'MD5 instead of SHA-256', body: td((b) => { b.take_it_down.content_hashes = ['d41d8cd98f00b204e9800998ecf8427e']; }), status: 400, code: 'invalid_field', field: 'take_it_down.content_hashes[0]' },
	{ name: 'negative loss', body: ai((b) => { b.ai_intrusion.loss_usd = -1; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.loss_usd' },
	{ name: 'loss with 3 decimals', body: ai((b) => { b.ai_intrusion.loss_usd = 10.125; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.loss_usd' },
	{ name: 'loss over 10^12', body: ai((b) => { b.ai_intrusion.loss_usd = 1000000000001; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.loss_usd' },
	{ name: 'loss a string', body: ai((b) => { b.ai_intrusion.loss_usd = '12000'; }), status: 400, code: 'invalid_field', field: 'ai_intrusion.loss_usd' },
	{ name: 'platform without a name', body: td((b) => { delete b.take_it_down.platforms[1].name; }), status: 400, code: 'missing_field', field: 'take_it_down.platforms[1].name' },
	{ name: 'platform url ftp:', body: td((b) => { b.take_it_down.platforms[0].url = 'ftp://board.example.net/t/1'; }), status: 400, code: 'invalid_field', field: 'take_it_down.platforms[0].url' },
	{ name: 'platform removal_requested_at "soon"', body: td((b) => { b.take_it_down.platforms[0].removal_requested_at = 'soon'; }), status: 400, code: 'invalid_field', field: 'take_it_down.platforms[0].removal_requested_at' },
	{ name: 'platforms an object', body: td((b) => { b.take_it_down.platforms = { name: 'x' }; }), status: 400, code: 'invalid_field', field: 'take_it_down.platforms' },
	{ name: 'take_it_down block on an ai_intrusion incident', body: ai((b) => { b.take_it_down = tdIncident().take_it_down; }), status: 400, code: 'invalid_field', field: 'take_it_down' },
	{ name: 'ai_intrusion block on a take_it_down incident', body: td((b) => { b.ai_intrusion = aiIncident().ai_intrusion; }), status: 400, code: 'invalid_field', field: 'ai_intrusion' },
	{ name: 'missing ai_intrusion block', body: ai((b) => { delete b.ai_intrusion; }), status: 400, code: 'missing_field', field: 'ai_intrusion' },
	{ name: 'missing take_it_down block', body: td((b) => { delete b.take_it_down; }), status: 400, code: 'missing_field', field: 'take_it_down' },
	{ name: 'unknown top-level field', body: ai((b) => { b.priority = 'high'; }), status: 400, code: 'unknown_field', field: 'priority' },
	{ name: 'unknown field in ai_intrusion', body: ai((b) => { b.ai_intrusion.colour = 'red'; }), status: 400, code: 'unknown_field', field: 'ai_intrusion.colour' },
	{ name: 'unknown field in indicators', body: ai((b) => { b.ai_intrusion.indicators.api_keys = ['sk-test']; }), status: 400, code: 'unknown_field', field: 'ai_intrusion.indicators.api_keys' },
	{ name: 'unknown field in a platform', body: td((b) => { b.take_it_down.platforms[0].views = 100; }), status: 400, code: 'unknown_field', field: 'take_it_down.platforms[0].views' },
	{ name: 'ai_intrusion a list instead of an object', body: ai((b) => { b.ai_intrusion = [b.ai_intrusion]; }), status: 400, code: 'invalid_field', field: 'ai_intrusion' },
	{ name: 'body a list instead of an object', body: [aiIncident()], status: 400, code: 'malformed_json', field: null },
	{ name: 'body a string', raw: '"ai_intrusion"', status: 400, code: 'malformed_json', field: null },
	{ name: 'duplicate keys {"kind":"a","kind":"b"}', raw: '{"kind":"a","kind":"b"}', status: 400, code: 'malformed_json', field: null },
	{ name: 'duplicate kind in a valid body', raw: '{"kind":"take_it_down",' + JSON.stringify(aiIncident()).slice(1), status: 400, code: 'malformed_json', field: null },
	{ name: 'duplicate key in a nested object', raw: JSON.stringify(aiIncident()).replace('"target_system":', '"target_system":"a","target_system":'), status: 400, code: 'malformed_json', field: null },
	{ name: 'truncated JSON', raw: JSON.stringify(aiIncident()).slice(0, 120), status: 400, code: 'malformed_json', field: null },
	{ name: 'trailing comma', raw: '{"kind":"ai_intrusion","title":"t","narrative":"n",}', status: 400, code: 'malformed_json', field: null },
	{ name: 'two JSON objects', raw: JSON.stringify(aiIncident()) + JSON.stringify(aiIncident()), status: 400, code: 'malformed_json', field: null },
	{ name: 'single quotes', raw: "{'kind':'ai_intrusion'}", status: 400, code: 'malformed_json', field: null },
	{ name: 'empty body', raw: '', status: 400, code: 'malformed_json', field: null },
	{ name: '\\u0000 in a string', raw: JSON.stringify(aiIncident()).replace('"narrative":"', '"narrative":"nul \\u0000 '), status: 400, code: 'malformed_json', field: null },
	{ name: 'invalid UTF-8 in the title', raw: badUtf8(), status: 400, code: 'malformed_json', field: null },
	{ name: 'number out of range 1e999999', raw: JSON.stringify(aiIncident()).replace('"loss_usd":1200.5', '"loss_usd":1e999999'), status: 400, code: 'malformed_json', field: null },
	{ name: 'nesting 5000 deep', raw: '{"kind":"ai_intrusion","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}', status: 400, code: 'malformed_json', field: null },
];

function dedupSorted(a) {
	return [...new Set(a)].sort();
}

describe('incidents', { timeout: 120000 }, () => {
	let srv;
	let ivy; // cookie session
	let ivyTok; // bearer
	before(async () => {
		srv = await startServer();
		ivy = await srv.login('ivy');
		ivyTok = srv.bearer('ivy');
	});
	after(async () => { if (srv) await srv.stop(); });

	let aiReply;
	let tdReply;

	it('files a valid ai_intrusion incident: 201 with id, case, flags, indicators, links', async () => {
		const res = await ivy.post('/api/incidents', aiIncident());
		const body = expectJson(res, 201);
		aiReply = body;
		assert.ok(Number.isInteger(body.id) && body.id > 0, `id: ${body.id}`);
		assert.equal(typeof body.case, 'object');
		assert.match(body.case.ref, REF_RE);
		assert.ok(Number.isInteger(body.case.id));
		assert.equal(body.case.ref.slice(4, 8), String(new Date().getUTCFullYear()), 'ref year is the year the case was opened');
		assert.ok(Array.isArray(body.flags));
		assert.ok(Array.isArray(body.indicators));
		assert.ok(Array.isArray(body.links));
		for (const ind of body.indicators) {
			assert.equal(typeof ind.type, 'string');
			assert.equal(typeof ind.value, 'string');
		}
		const has = (type, value) => body.indicators.some((i) => i.type === type && i.value === value);
		assert.ok(has('ip', '2001:db8::1'), `normalized IPv6 missing: ${JSON.stringify(body.indicators)}`);
		assert.ok(has('ip', '203.0.113.7'), `IPv4 missing: ${JSON.stringify(body.indicators)}`);
		assert.ok(has('ip', '198.51.100.23'));
		assert.ok(body.indicators.some((i) => /^domain/.test(i.type) && i.value === 'portal.example-clinic.org'),
			`lower-cased domain missing: ${JSON.stringify(body.indicators)}`);
		assert.ok(!body.indicators.some((i) => i.value === '2001:DB8:0:0::1' || i.value === 'Portal.Example-Clinic.ORG.'),
			'raw, unnormalized values must not appear');
		assert.equal(body.indicators.filter((i) => i.type === 'ip' && i.value === '203.0.113.7').length, 1,
			'duplicates are collapsed');
	});

	it('files a valid take_it_down incident: 201', async () => {
		const res = await ivy.post('/api/incidents', tdIncident());
		const body = expectJson(res, 201);
		tdReply = body;
		assert.match(body.case.ref, REF_RE);
		assert.notEqual(body.case.ref, aiReply.case.ref, 'a new case is opened without case_ref');
		assert.ok(Array.isArray(body.flags) && Array.isArray(body.indicators) && Array.isArray(body.links));
	});

	it('GET /api/incidents/{id} returns the ai_intrusion incident as filed, normalized', async () => {
		const res = await ivy.get(`/api/incidents/${aiReply.id}`);
		const inc = expectJson(res, 200);
		const sent = aiIncident();
		assert.equal(inc.id, aiReply.id);
		assert.equal(inc.case_ref, aiReply.case.ref);
		assert.equal(userName(inc.filed_by), 'ivy');
		assert.match(inc.filed_at, TIME_RE);
		assert.equal(inc.kind, 'ai_intrusion');
		assert.equal(inc.title, sent.title);
		assert.equal(inc.narrative, sent.narrative);
		assert.equal(inc.occurred_at, '2026-10-28T03:12:00Z');
		assert.ok(Array.isArray(inc.flags));
		assert.ok(Array.isArray(inc.indicators));
		assert.ok(inc.indicators.some((i) => i.type === 'ip' && i.value === '2001:db8::1'));
		const a = inc.ai_intrusion;
		assert.equal(a.target_system, 'portal.example-clinic.org');
		assert.equal(a.target_owner, 'Example Clinic');
		assert.equal(a.access_vector, 'credential_stuffing');
		assert.equal(a.loss_usd, 1200.5);
		assert.deepEqual(dedupSorted(a.indicators.ips), ['198.51.100.23', '2001:db8::1', '203.0.113.7']);
		assert.equal(a.indicators.ips.length, 3, 'duplicates collapsed in the stored incident');
		assert.deepEqual(a.indicators.domains, ['portal.example-clinic.org']);
		assert.deepEqual(a.indicators.accounts, sent.ai_intrusion.indicators.accounts);
		assert.deepEqual(a.indicators.user_agents, sent.ai_intrusion.indicators.user_agents);
		assert.ok(!('take_it_down' in inc) || inc.take_it_down === null);
	});

	it('GET /api/incidents/{id} returns the take_it_down incident with lower-cased hashes', async () => {
		const inc = expectJson(await ivy.get(`/api/incidents/${tdReply.id}`), 200);
		assert.equal(inc.case_ref, tdReply.case.ref);
		assert.equal(userName(inc.filed_by), 'ivy');
		const t = inc.take_it_down;
		assert.equal(t.victim_minor, false);
		assert.equal(t.depiction, 'digital_forgery');
		assert.equal(t.threat_only, false);
		assert.deepEqual(t.content_hashes, ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']);
		assert.equal(t.platforms.length, 2);
		assert.equal(t.platforms[0].name, 'ImageBoard Example');
		assert.equal(t.platforms[0].url, 'https://board.example.net/t/88123');
		assert.equal(t.platforms[0].removal_requested_at, '2026-10-30T09:00:00Z');
		assert.equal(t.platforms[0].removed_at, '2026-10-31T08:00:00Z');
		assert.equal(t.platforms[1].name, 'Forum Example');
	});

	it('occurred_at with an offset and a fraction is stored in UTC', async () => {
		const body = aiIncident({ occurred_at: '2026-10-28T05:12:00.250+02:00' });
		const r = expectJson(await ivy.post('/api/incidents', body), 201);
		const inc = expectJson(await ivy.get(`/api/incidents/${r.id}`), 200);
		assert.equal(inc.occurred_at, '2026-10-28T03:12:00Z');
	});

	it('threat_only defaults to false and optional fields may be left out', async () => {
		const body = {
			kind: 'take_it_down',
			title: 'Threat to publish forged images',
			narrative: 'The victim received a message threatening publication of "AI pictures" unless she paid.',
			take_it_down: { victim_minor: false, depiction: 'unknown' },
		};
		const r = expectJson(await ivy.post('/api/incidents', body), 201);
		const inc = expectJson(await ivy.get(`/api/incidents/${r.id}`), 200);
		assert.equal(inc.take_it_down.threat_only, false);
	});

	it('files into an existing case with case_ref', async () => {
		const body = aiIncident({
			title: 'Second wave against the patient portal',
			occurred_at: '2026-10-29T02:00:00Z',
			case_ref: aiReply.case.ref,
		});
		body.ai_intrusion.indicators = { ips: ['198.51.100.24'] };
		const r = expectJson(await ivy.post('/api/incidents', body), 201);
		assert.equal(r.case.ref, aiReply.case.ref);
		assert.equal(r.case.id, aiReply.case.id);
		assert.notEqual(r.id, aiReply.id);
		const c = expectJson(await ivy.get(`/api/cases/${aiReply.case.ref}`), 200);
		const ids = c.incidents.map((i) => i.id);
		assert.ok(ids.includes(aiReply.id) && ids.includes(r.id), `incidents of the case: ${ids}`);
		const inc = expectJson(await ivy.get(`/api/incidents/${r.id}`), 200);
		assert.equal(inc.case_ref, aiReply.case.ref);
	});

	it('case_ref of a case of the other kind answers 409 conflict', async () => {
		const res = await ivy.post('/api/incidents', tdIncident({ case_ref: aiReply.case.ref }));
		expectError(res, 409, 'conflict', ANY_FIELD);
		const res2 = await ivy.post('/api/incidents', aiIncident({ case_ref: tdReply.case.ref }));
		expectError(res2, 409, 'conflict', ANY_FIELD);
	});

	it('case_ref of no case answers 404 not_found', async () => {
		const res = await ivy.post('/api/incidents', aiIncident({ case_ref: 'AIM-2026-99999' }));
		expectError(res, 404, 'not_found', ANY_FIELD);
		const res2 = await ivy.post('/api/incidents', aiIncident({ case_ref: 'AIM-1999-00001' }));
		expectError(res2, 404, 'not_found', ANY_FIELD);
	});

	describe('invalid bodies', () => {
		it(`the table has at least 25 entries (${INVALID.length})`, () => {
			assert.ok(INVALID.length >= 25);
		});
		for (const t of INVALID) {
			it(`${t.name} → ${t.status} ${t.code} ${t.field}`, async () => {
				const opts = t.raw !== undefined
					? { body: t.raw, headers: { 'content-type': 'application/json' } }
					: { json: t.body };
				const res = await ivyTok.request('POST', '/api/incidents', opts);
				expectError(res, t.status, t.code, t.field);
			});
		}
		it('no invalid body stored anything', async () => {
			const before = expectJson(await ivy.get('/api/cases?limit=200'), 200).total;
			const res = await ivyTok.request('POST', '/api/incidents', { json: INVALID[0].body });
			assert.equal(res.status, 400);
			const after = expectJson(await ivy.get('/api/cases?limit=200'), 200).total;
			assert.equal(after, before);
		});
	});

	it('a UTF-8 BOM before a valid body is accepted (201)', async () => {
		const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(aiIncident()))]);
		const res = await ivyTok.request('POST', '/api/incidents', {
			body, headers: { 'content-type': 'application/json' },
		});
		const r = expectJson(res, 201);
		assert.match(r.case.ref, REF_RE);
	});

	it('Content-Type application/json; charset=utf-8 is accepted', async () => {
		const res = await ivyTok.request('POST', '/api/incidents', {
			body: JSON.stringify(tdIncident()), headers: { 'content-type': 'application/json; charset=utf-8' },
		});
		expectJson(res, 201);
	});

	it('a body without Content-Type answers 415', async () => {
		const res = await ivyTok.request('POST', '/api/incidents', { body: JSON.stringify(aiIncident()) });
		expectError(res, 415, 'unsupported_media_type');
	});

	it('a body with Content-Type text/plain answers 415', async () => {
		const res = await ivyTok.request('POST', '/api/incidents', {
			body: JSON.stringify(aiIncident()), headers: { 'content-type': 'text/plain' },
		});
		expectError(res, 415, 'unsupported_media_type');
		const res2 = await ivy.request('POST', '/api/incidents', {
			body: JSON.stringify(aiIncident()), headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expectError(res2, 415, 'unsupported_media_type');
	});

	it('a 2 MiB body answers 413 too_large', async () => {
		const big = aiIncident({ narrative: 'A'.repeat(2 * 1024 * 1024) });
		const res = await srv.rawHttp('POST', '/api/incidents', {
			headers: { 'content-type': 'application/json', authorization: `Bearer ${ivyTok.token}` },
			body: Buffer.from(JSON.stringify(big)),
		});
		expectError(res, 413, 'too_large');
	});

	it('a 2 MiB body sent chunked (no Content-Length) answers 413 too_large', async () => {
		const res = await new Promise((resolve, reject) => {
			import('node:http').then(({ default: http }) => {
				let done = false;
				const req = http.request({
					host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/incidents', agent: false,
					headers: { 'content-type': 'application/json', authorization: `Bearer ${ivyTok.token}`, 'transfer-encoding': 'chunked' },
				});
				req.on('error', (e) => { if (!done) reject(e); });
				req.on('response', (r) => {
					done = true;
					const chunks = [];
					r.on('data', (c) => chunks.push(c));
					const fin = () => resolve({ status: r.statusCode, text: Buffer.concat(chunks).toString(), contentType: r.headers['content-type'] ?? '' });
					r.on('end', fin);
					r.on('aborted', fin);
				});
				const chunk = Buffer.alloc(64 * 1024, 0x41);
				req.write('{"kind":"ai_intrusion","title":"t","narrative":"');
				let i = 0;
				const pump = () => {
					while (i < 32 && !done) {
						i++;
						if (!req.write(chunk)) { req.once('drain', pump); return; }
					}
					if (!done) req.end('"}');
				};
				pump();
			});
		});
		res.json = (() => { try { return JSON.parse(res.text); } catch { return undefined; } })();
		expectError(res, 413, 'too_large');
	});

	it('a narrative of 200,000 bytes inside a body under 1 MiB is accepted', async () => {
		const body = aiIncident({ narrative: 'Log excerpt follows.\n' + 'x'.repeat(200000 - 21) });
		assert.equal(Buffer.byteLength(body.narrative), 200000);
		expectJson(await ivyTok.post('/api/incidents', body), 201);
		const over = aiIncident({ narrative: 'y'.repeat(200001) });
		expectError(await ivyTok.post('/api/incidents', over), 400, 'invalid_field', 'narrative');
	});

	describe('Idempotency-Key', () => {
		it('the same key twice returns the same status and body and stores one incident', async () => {
			const key = `test-${Date.now()}-same`;
			const body = aiIncident({ title: 'Idempotent filing' });
			const totalBefore = expectJson(await ivy.get('/api/cases'), 200).total;
			const r1 = await ivy.post('/api/incidents', body, { headers: { 'idempotency-key': key } });
			const b1 = expectJson(r1, 201);
			const r2 = await ivy.post('/api/incidents', body, { headers: { 'idempotency-key': key } });
			assert.equal(r2.status, r1.status);
			assert.equal(r2.text, r1.text, 'the replay must be byte-identical');
			const c = expectJson(await ivy.get(`/api/cases/${b1.case.ref}`), 200);
			assert.equal(c.incidents.length, 1, `incidents in the case: ${JSON.stringify(c.incidents)}`);
			const totalAfter = expectJson(await ivy.get('/api/cases'), 200).total;
			assert.equal(totalAfter, totalBefore + 1, 'only one case was opened');
			// the replay also works for the bearer client of the same user
			const r3 = await ivyTok.post('/api/incidents', body, { headers: { 'idempotency-key': key } });
			assert.equal(r3.status, 201);
			assert.equal(r3.text, r1.text);
		});

		it('the same key with a different body answers 409 conflict', async () => {
			const key = `test-${Date.now()}-diff`;
			const r1 = await ivy.post('/api/incidents', aiIncident({ title: 'First body' }), { headers: { 'idempotency-key': key } });
			expectJson(r1, 201);
			const totalBefore = expectJson(await ivy.get('/api/cases'), 200).total;
			const r2 = await ivy.post('/api/incidents', aiIncident({ title: 'Another body' }), { headers: { 'idempotency-key': key } });
			expectError(r2, 409, 'conflict', ANY_FIELD);
			assert.equal(expectJson(await ivy.get('/api/cases'), 200).total, totalBefore);
		});

		it('the same key from another user is another key', async () => {
			const key = `test-${Date.now()}-users`;
			const ian = srv.bearer('ian');
			const r1 = expectJson(await ivy.post('/api/incidents', aiIncident(), { headers: { 'idempotency-key': key } }), 201);
			const r2 = expectJson(await ian.post('/api/incidents', aiIncident(), { headers: { 'idempotency-key': key } }), 201);
			assert.notEqual(r2.id, r1.id);
			assert.notEqual(r2.case.ref, r1.case.ref);
		});

		it('a key that is not 1–200 printable ASCII characters answers 400', async () => {
			const res = await ivy.post('/api/incidents', aiIncident(), { headers: { 'idempotency-key': 'k'.repeat(201) } });
			expectError(res, 400, 'invalid_field', ANY_FIELD);
		});
	});

	it('GET /api/incidents/abc answers 404 or 400 with the error shape', async () => {
		const res = await ivy.get('/api/incidents/abc');
		assert.ok(res.status === 404 || res.status === 400, `status ${res.status}`);
		if (res.status === 404) expectError(res, 404, 'not_found', ANY_FIELD);
		else expectError(res, 400, 'invalid_field', ANY_FIELD);
	});

	it('GET /api/incidents/999999 answers 404 not_found', async () => {
		expectError(await ivy.get('/api/incidents/999999'), 404, 'not_found');
	});

	it('GET /api/incidents/{id} without a session answers 401', async () => {
		expectError(await srv.raw('GET', `/api/incidents/${aiReply.id}`), 401, 'unauthorized');
	});

	it('the reply is stable: the same incident read twice gives the same body', async () => {
		const a = await ivy.get(`/api/incidents/${tdReply.id}`);
		const b = await ivy.get(`/api/incidents/${tdReply.id}`);
		assert.equal(a.text, b.text);
		assert.deepEqual(clone(a.json), clone(b.json));
	});
});
