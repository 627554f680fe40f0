// Hostile query strings: GET /api/search (docs/api.md "Search": a malformed query is 400
// invalid_field with field "q" and a message "q: position N: …"; limit 1–100, offset 0–10,000),
// GET /api/cases, GET /api/cases/{ref}/evidence and POST /api/rescan?rule=. Query strings are sent
// byte for byte (node:http, no normalization). Every case: the answer, nothing stored, still serving.
// Tests marked todo are server bugs or contract gaps (README.md).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
	startServer, expectError, expectJson, aiIncident, tdIncident, rawHttp, refused, authHeaders, exchange,
	authLines, rawGet, expectServing,
} from './lib.mjs';

let server;
let ivy;
let sam;
let aiRef;

/** GET path?qs exactly as written, as sam (supervisor, bearer token). */
const get = (p) => rawHttp(server.port, 'GET', p, { headers: authHeaders(sam) });
const search = (qs) => get(`/api/search?${qs}`);
const q = (text) => `q=${encodeURIComponent(text)}`;

/** Runs a refused query and checks the error (and, for q, the "q: position N:" message). */
function refusedQuery(p, status, code, field, position) {
	return refused(server, sam, () => get(p), (r) => {
		const e = expectError(r, status, code, field);
		if (position !== undefined) assert.match(e.message, new RegExp(`^q: position ${position}: \\S`));
	});
}

before(async () => {
	server = await startServer();
	ivy = await server.login('ivy');
	sam = server.bearer('sam');
	aiRef = expectJson(await ivy.post('/api/incidents', aiIncident()), 201).case.ref;
	expectJson(await ivy.post('/api/incidents', tdIncident()), 201);
	// evidence paths with the LIKE wildcards % and _ in them
	const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<dfxml>' +
		['hostile/100%real.txt', 'hostile/under_score.txt', 'hostile/underXscore.txt', 'hostile/1000real.txt']
			.map((p) => `<fileobject><filename>${p}</filename></fileobject>`).join('') + '</dfxml>\n';
	const r = await rawHttp(server.port, 'POST', `/api/cases/${aiRef}/manifests`, {
		headers: { ...authHeaders(ivy), 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) }, body: xml,
	});
	expectJson(r, 201);
});

after(async () => {
	if (server) await server.stop();
});

describe('search: malformed queries are 400 invalid_field q with the byte position', () => {
	const CASES = [
		['an unbalanced quote', q('"portal scraped'), 1],
		['an unclosed parenthesis', q('(portal OR clinic'), 1],
		['a ) without its (', q('portal)'), 7],
		['499 nested parentheses', q(`${'('.repeat(499)}x${')'.repeat(499)}`), undefined],
		['OR alone', q('OR'), 1],
		['OR OR', q('portal OR OR clinic'), 11],
		['NOT NOT word', q('NOT NOT portal'), 5],
		['a prefix of 1 character (p*)', q('p*'), 1],
		['a prefix of 2 characters (po*)', q('po*'), 1],
		['a lone *', q('*'), 1],
		['a filter inside OR', q('portal OR kind:ai_intrusion'), 11],
		['after:9999-99-99', q('after:9999-99-99'), 1],
		['before:yesterday', q('before:yesterday'), 1],
		['case:AIM-2026-999999', q('case:AIM-2026-999999'), 1],
		['an empty indicator:', q('indicator:'), 1],
		['9 indicator: filters (at most 8)', q(Array.from({ length: 9 }, (_, i) => `indicator:10.0.0.${i}`).join(' ')), undefined],
		['1,001 bytes', `q=${'a'.repeat(1001)}`, undefined],
	];
	for (const [name, qs, position] of CASES) {
		test(name, () => refusedQuery(`/api/search?${qs}`, 400, 'invalid_field', 'q', position));
	}

	test('no q, and an empty q: 400 missing_field q', async () => {
		await refusedQuery('/api/search', 400, 'missing_field', 'q');
		await refusedQuery('/api/search?q=', 400, 'missing_field', 'q');
	});
});

describe('search: FTS5 syntax is searched as text, never run as syntax (docs/api.md)', () => {
	const TEXT = ['NEAR(portal clinic, 5)', 'NEAR(a b)', 'title:portal', '^portal', 'portal + clinic', 'officer AND',
		'sk-ant-api03', '{title narrative}: portal', 'portal NOT', '"a" * "b"', 'col:*', '"""', "' OR 1=1 --"];
	for (const text of TEXT) {
		test(JSON.stringify(text), async () => {
			await refused(server, sam, () => search(q(text)), (r) => {
				// a quote left open is a syntax error of our language, not FTS5's
				if (r.status === 400) expectError(r, 400, 'invalid_field', 'q');
				else assert.equal(expectJson(r, 200).hits.length <= 20, true);
			});
		});
	}

	test('a NOT-only query is answered with only the documents without the word (or refused)', async () => {
		// docs/api.md does not say what "NOT word" alone means; "everything but" within what the user
		// may see is one safe reading, a 400 the other.
		for (const text of ['NOT portal', '-portal']) {
			const r = await search(q(text));
			if (r.status === 400) {
				expectError(r, 400, 'invalid_field', 'q');
				continue;
			}
			for (const h of expectJson(r, 200).hits) assert.doesNotMatch(`${h.title} ${h.snippet}`, /portal/i, text);
		}
	});

	test('250 ORs within 1,000 bytes: answered within the 2 s budget', async () => {
		const text = Array.from({ length: 250 }, (_, i) => `w${i % 10}`).join(' OR ').slice(0, 1000).replace(/ OR ?$|\s+$/, '');
		const t0 = performance.now();
		const r = await search(q(text));
		assert.ok(r.status === 200 || r.status === 503, `${r.status} ${r.text.slice(0, 200)}`);
		if (r.status === 503) expectError(r, 503, 'unavailable');
		assert.ok(performance.now() - t0 < 4000);
	});

	test('a query of exactly 1,000 bytes is accepted', async () => {
		expectJson(await search(`q=${'a'.repeat(1000)}`), 200);
	});
});

describe('search: limit, offset, kind, status', () => {
	const CASES = [
		['limit=-1', 'limit=-1', 'limit'],
		['limit=1e9', 'limit=1000000000', 'limit'],
		['limit=abc', 'limit=abc', 'limit'],
		['limit=0, 101, empty, " 5", 1e1, 2^64', ['limit=0', 'limit=101', 'limit=', 'limit=%205', 'limit=1e1', 'limit=18446744073709551616'], 'limit'],
		['offset=10001 (beyond 10,000)', 'offset=10001', 'offset'],
		['offset=-1, 1e4, 0x10', ['offset=-1', 'offset=1e4', 'offset=0x10'], 'offset'],
		['kind=nope, kind=AI_INTRUSION', ['kind=nope', 'kind=AI_INTRUSION'], 'kind'],
		['status=nope', 'status=nope', 'status'],
	];
	for (const [name, params, field] of CASES) {
		test(name, async () => {
			for (const p of [params].flat()) await refusedQuery(`/api/search?q=portal&${p}`, 400, 'invalid_field', field);
		});
	}

	test('offset=10000 is accepted and returns no hits past the end', async () => {
		const b = expectJson(await search('q=portal&offset=10000'), 200);
		assert.deepEqual(b.hits, []);
	});

	test('repeated parameters: one value is used consistently (the first), or the request is refused', async () => {
		// docs/api.md does not say; a server that mixes the values would be the bug.
		const first = expectJson(await search('q=portal'), 200);
		const r = await search('q=portal&q=forged');
		if (r.status === 400) expectError(r, 400, 'invalid_field', 'q');
		else assert.deepEqual(expectJson(r, 200).hits.map((h) => [h.type, h.id]), first.hits.map((h) => [h.type, h.id]));
		const l = await search('q=portal&limit=1&limit=100');
		if (l.status === 400) expectError(l, 400, 'invalid_field', 'limit');
		else assert.ok(expectJson(l, 200).hits.length <= 1);
	});
});

describe('search: percent-encoding and NUL', () => {
	test('malformed escapes, %00 and invalid UTF-8: always a JSON answer, still serving', async () => {
		for (const qs of ['q=%zz', 'q=portal%2', 'q=%', 'q=portal%00clinic', 'q=%00', 'q=%FF%FE', 'q=%C0%AF', 'q=%ED%A0%80',
			'q=portal&status=closed%00x', 'q=portal&kind=%00', 'q=portal&kind=%FF']) {
			const r = await search(qs);
			assert.ok(r.status >= 200 && r.status < 600, `${qs}: ${r.status}`);
			if (r.status >= 400) expectError(r, r.status, r.json?.error?.code, r.json?.error?.field ?? null);
			else expectJson(r, 200);
		}
		await expectServing(server, sam);
	});

	test('a %00 in a parameter is refused, not cut off there', async () => {
		await refusedQuery('/api/search?q=portal%00clinic', 400, 'invalid_field', 'q');
		await refusedQuery('/api/search?q=portal&status=closed%00x', 400, 'invalid_field', 'status');
	});

	test('malformed percent-escapes (%zz, a cut-off %2, a lone %) are refused, naming the parameter', async () => {
		await refusedQuery('/api/search?q=%zz', 400, 'invalid_field', 'q');
		await refusedQuery('/api/search?q=portal%2', 400, 'invalid_field', 'q');
		await refusedQuery('/api/search?q=100%', 400, 'invalid_field', 'q');
		await refusedQuery('/api/search?q=portal&status=op%en', 400, 'invalid_field', 'status');
		// an escaped % is text: "100%25" is the query "100%"
		expectJson(await get('/api/search?q=100%25'), 200);
	});

	test('a query that is not UTF-8 (%FF%FE, overlong %C0%AF) is refused, 400 invalid_field q', async () => {
		await refusedQuery('/api/search?q=%FF%FE', 400, 'invalid_field', 'q');
		await refusedQuery('/api/search?q=%C0%AF', 400, 'invalid_field', 'q');
	});
});

describe('search: 10,000 terms', () => {
	const terms = Array.from({ length: 10000 }, (_, i) => `w${i}`).join(' ');

	test('a q of 10,000 terms (a 78 KB request line): 414 and the connection closes (or 400 invalid_field q), still serving', async () => {
		await refused(server, sam, () => exchange(server.port, rawGet(`/api/search?${q(terms)}`, authLines(sam)), { until: 'close', timeoutMs: 1500 }), (r) => {
			if (r.status === 414) assert.ok(r.closed, 'the connection was closed');
			else expectError(r, 400, 'invalid_field', 'q');
		});
	});

	test('…and the 414 carries the JSON error of docs/api.md', {
		todo: 'bug: libmicrohttpd answers by itself with an HTML page ("Request too big", text/html, no security headers) for a request line or headers over its 32 KiB connection memory (server/http_daemon.c MHD_start_daemon has no MHD_OPTION_CONNECTION_MEMORY_LIMIT); docs/api.md promises JSON on every /api/ reply and lists no 414. Fix: raise the memory limit so the 1,000-byte check of q answers 400 invalid_field, and document the 414/431 of oversized requests',
	}, async () => {
		const r = await exchange(server.port, rawGet(`/api/search?${q(terms)}`, authLines(sam)), { until: 'close' });
		expectError(r, r.status, ['invalid_field', 'too_large'].includes(r.json?.error?.code) ? r.json.error.code : 'invalid_field', 'q');
	});
});

describe('other lists: /api/cases, /api/cases/{ref}/evidence, /api/rescan', () => {
	const CASES = [
		['cases: limit=-1', '/api/cases?limit=-1', 'limit'],
		['cases: limit=201', '/api/cases?limit=201', 'limit'],
		['cases: limit=abc', '/api/cases?limit=abc', 'limit'],
		['cases: offset=-1', '/api/cases?offset=-1', 'offset'],
		['cases: offset=2^64', '/api/cases?offset=18446744073709551616', 'offset'],
		['cases: mine=1', '/api/cases?mine=1', 'mine'],
		['cases: status=nope', '/api/cases?status=nope', 'status'],
		['cases: kind=nope', '/api/cases?kind=nope', 'kind'],
		['evidence: limit=501', () => `/api/cases/${aiRef}/evidence?limit=501`, 'limit'],
		['evidence: offset=-5', () => `/api/cases/${aiRef}/evidence?offset=-5`, 'offset'],
	];
	for (const [name, p, field] of CASES) {
		test(name, () => refusedQuery(typeof p === 'function' ? p() : p, 400, 'invalid_field', field));
	}

	test('cases: offset=1000000000 is valid and empty', async () => {
		const b = expectJson(await get('/api/cases?offset=1000000000'), 200);
		assert.deepEqual(b.cases, []);
		assert.equal(typeof b.total, 'number');
	});

	test('evidence: q with the LIKE wildcards % and _ matches them literally', async () => {
		const paths = async (qs) => expectJson(await get(`/api/cases/${aiRef}/evidence?${qs}`), 200).items.map((i) => i.path).sort();
		assert.deepEqual(await paths('q=%25'), ['hostile/100%real.txt']);
		assert.deepEqual(await paths('q=_'), ['hostile/under_score.txt']);
		assert.deepEqual(await paths('q=0%25r'), ['hostile/100%real.txt']);
		assert.deepEqual(await paths('q=r_s'), ['hostile/under_score.txt']);
	});

	test('rescan: an unknown rule of 10,000 characters, and a NUL: 400 invalid_field rule, no flag changed', async () => {
		for (const p of [`/api/rescan?rule=${'r'.repeat(10000)}`, '/api/rescan?rule=%00', '/api/rescan?rule=%27%20OR%201%3D1']) {
			await refused(server, sam, () => rawHttp(server.port, 'POST', p, { headers: authHeaders(sam) }),
				(r) => expectError(r, 400, 'invalid_field', 'rule'));
		}
	});

	test('rescan: a rule name that is not UTF-8 gets an answer (400 invalid_field rule)', async () => {
		await refused(server, sam, () => rawHttp(server.port, 'POST', '/api/rescan?rule=%FF', { headers: authHeaders(sam) }),
			(r) => expectError(r, 400, 'invalid_field', 'rule'));
	});
});
