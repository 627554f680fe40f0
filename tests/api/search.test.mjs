// GET /api/search (and `aimcase search`): the query language on a realistic corpus (the demo
// fixtures), ranking, snippets, facets, pagination, visibility, malformed queries.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, expectError, expectJson, aiIncident, cli, REPO } from './lib/server.mjs';
import { upload } from './lib/manifests.mjs';

const FIX = path.join(REPO, 'fixtures', 'incidents');
const q = (s, extra = '') => `/api/search?q=${encodeURIComponent(s)}${extra}`;
const titles = (b) => b.hits.map((h) => h.title);
const refsOf = (b) => [...new Set(b.hits.map((h) => h.case_ref))].sort();

describe('search', { timeout: 120000 }, () => {
	let srv, ivy, ian, paula, sam, byTitle;
	before(async () => {
		srv = await startServer();
		for (const u of ['ivy', 'ian']) {
			const r = cli(['import-incidents', '--as', u, '--db', srv.db, '--rules', path.join(REPO, 'rules', 'packs'),
				path.join(FIX, `${u}.ndjson`)]);
			assert.equal(r.status, 0, r.stderr);
		}
		[ivy, ian, paula, sam] = await Promise.all(['ivy', 'ian', 'paula', 'sam'].map((u) => srv.login(u)));
		const all = expectJson(await sam.get('/api/cases?limit=200'), 200).cases;
		byTitle = (start) => all.find((c) => c.title.startsWith(start)).ref;
	});
	after(async () => { await srv?.stop(); });

	it('words must all match; the best match comes first, with marked, escaped snippets', async () => {
		const b = expectJson(await sam.get(q('credential stuffing')), 200);
		assert.ok(b.total >= 1);
		assert.match(b.hits[0].title, /^Credential stuffing against Harborview Credit Union/);
		assert.deepEqual(Object.keys(b).sort(), ['facets', 'hits', 'took_ms', 'total']);
		assert.equal(typeof b.took_ms, 'number');
		const h = b.hits[0];
		assert.deepEqual(Object.keys(h).sort(), ['case_ref', 'id', 'score', 'snippet', 'title', 'type']);
		assert.equal(h.type, 'incident');
		assert.match(h.snippet, /<mark>[Cc]redential<\/mark>/);
		assert.equal(h.snippet.replace(/<\/?mark>/g, '').includes('<'), false);
	});

	it('phrases, prefixes, OR and NOT', async () => {
		const phrase = expectJson(await sam.get(q('"credit union"')), 200);
		assert.equal(phrase.total, 2);
		assert.match(phrase.hits[0].title, /^Credential stuffing against Harborview/, 'the title match ranks first');
		const prefix = expectJson(await sam.get(q('harbor*')), 200);
		assert.ok(prefix.hits.some((x) => /Harborview/.test(x.title)));
		const or = expectJson(await sam.get(q('nudify OR undress')), 200);
		assert.ok(or.total >= 2);
		const not = expectJson(await sam.get(q('forger* -adult')), 200);
		assert.ok(not.total >= 1);
		for (const h of not.hits) assert.ok(!/adult/i.test(h.title), h.title);
		const neg = expectJson(await sam.get(q('NOT gptbot')), 200);
		assert.ok(neg.total > 0 && neg.total < 15);
	});

	it('filters: kind, status, flag, indicator, case, after, before', async () => {
		const kind = expectJson(await sam.get(q('kind:take_it_down removal')), 200);
		assert.ok(kind.total > 0);
		assert.deepEqual(Object.keys(kind.facets.kind), ['take_it_down']);
		const ref = byTitle('Credential stuffing against Harborview');
		expectJson(await sam.patch(`/api/cases/${ref}`, { status: 'investigating' }), 200);
		const st = expectJson(await sam.get(q('status:investigating')), 200);
		assert.deepEqual(refsOf(st), [ref]);
		const ind = expectJson(await sam.get(q('indicator:203.0.113.45')), 200);
		assert.deepEqual(refsOf(ind), [ref, byTitle('Automated agent abused Larkspur')].sort());
		const flag = expectJson(await sam.get(q('flag:ai.cve')), 200);
		assert.ok(flag.total >= 1);
		const one = expectJson(await sam.get(q(`case:${ref} portal`)), 200);
		assert.deepEqual(refsOf(one), [ref]);
		const dated = expectJson(await sam.get(q('after:2026-11-01 before:2026-12-01')), 200);
		const early = expectJson(await sam.get(q('before:2026-10-01')), 200);
		assert.equal(expectJson(await sam.get(q('after:2000-01-01')), 200).total, dated.total + early.total
			+ expectJson(await sam.get(q('after:2026-10-01 before:2026-11-01')), 200).total);
		const both = expectJson(await sam.get(q('removal', '&kind=ai_intrusion')), 200);
		assert.ok(both.hits.every((h) => h.case_ref !== byTitle('Former partner published')));
	});

	it('facets count the whole result set', async () => {
		const b = expectJson(await sam.get(q('victim', '&limit=1')), 200);
		const sum = (o) => Object.values(o).reduce((a, n) => a + n, 0);
		assert.equal(b.hits.length, 1);
		assert.equal(sum(b.facets.kind), b.total);
		assert.equal(sum(b.facets.status), b.total);
		assert.ok(Object.keys(b.facets.flag).length > 0);
		// each flag's count is what the flag: filter (read from the flags themselves) finds
		for (const [rule, n] of Object.entries(b.facets.flag)) {
			assert.equal(expectJson(await sam.get(q(`victim flag:${rule}`, '&limit=1')), 200).total, n, rule);
		}
	});

	it('pagination is stable and does not repeat hits', async () => {
		const all = expectJson(await sam.get(q('victim', '&limit=50')), 200);
		const pages = [];
		for (let off = 0; off < all.total; off += 2) {
			pages.push(...expectJson(await sam.get(q('victim', `&limit=2&offset=${off}`)), 200).hits);
		}
		assert.deepEqual(pages.map((h) => `${h.type}:${h.id}`), all.hits.map((h) => `${h.type}:${h.id}`));
	});

	it('a prosecutor sees no trace of a restricted case: hits, totals, facets', async () => {
		const term = '16-year-old';
		const s = expectJson(await sam.get(q(term)), 200);
		assert.ok(s.total >= 1, 'the supervisor finds the restricted case');
		for (const who of [paula, ivy]) {
			const b = expectJson(await who.get(q(term)), 200);
			assert.equal(b.total, 0);
			assert.deepEqual(b.hits, []);
			assert.deepEqual(b.facets, { kind: {}, status: {}, flag: {} });
		}
		const p = expectJson(await paula.get(q('kind:take_it_down')), 200);
		const restricted = ['Undress-app forgeries', 'Intimate image of 16-year-old'].map(byTitle);
		for (const r of restricted) assert.ok(!p.hits.some((h) => h.case_ref === r));
		assert.equal(p.facets.kind.take_it_down ?? 0, p.total);
		// investigators: only their own cases
		const mine = expectJson(await ivy.get(q('"credit union"')), 200);
		assert.deepEqual(refsOf(mine), [byTitle('Credential stuffing against Harborview')]);
		const his = expectJson(await ian.get(q('"credit union"')), 200);
		assert.deepEqual(refsOf(his), [byTitle('Automated agent abused Larkspur')]);
	});

	it('malformed queries answer 400 with the position, never a 500', async () => {
		for (const [s, msg] of [['(foo', /position 1: this parenthesis is not closed/],
			['a*', /position 1: a prefix needs at least 3/], ['"open', /position 1: a phrase is not closed/],
			['foo OR', /OR needs a term/], ['kind:robot', /position 1: kind:/],
			['officer AND', null], ['sk-ant-api03', null], ['NEAR(a b) title:x', null]]) {
			const r = await sam.get(q(s));
			if (msg === null) { expectJson(r, 200); continue; }
			const e = expectError(r, 400, 'invalid_field', 'q');
			assert.match(e.message, msg);
		}
		expectError(await sam.get('/api/search'), 400, 'missing_field', 'q');
		expectError(await sam.get(q('x', '&limit=0')), 400, 'invalid_field', 'limit');
		expectError(await sam.get(q('x', '&kind=robot')), 400, 'invalid_field', 'kind');
		expectError(await srv.raw('GET', q('x')), 401, 'unauthorized');
	});

	it('text is HTML-escaped in snippets; notes and evidence paths are searched', async () => {
		const b = expectJson(await ivy.post('/api/incidents',
			aiIncident({ title: 'Zebrafish lab portal', narrative: 'Payload <script>alert(1)</script> zebrafish & co.' })), 201);
		const s = expectJson(await ivy.get(q('zebrafish')), 200);
		const hit = s.hits.find((h) => h.type === 'incident' && h.id === b.id);
		assert.ok(hit.snippet.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), hit.snippet);
		assert.ok(hit.snippet.includes('<mark>zebrafish</mark>'));
		assert.ok(hit.snippet.includes('&amp; co.'));
		expectJson(await paula.post(`/api/cases/${b.case.ref}/notes`, { text: 'Subpoena for the quokka account drafted.' }), 201);
		const n = expectJson(await paula.get(q('quokka')), 200);
		assert.deepEqual(n.hits.map((h) => h.type), ['note']);
		const xml = '<?xml version="1.0"?>\n<dfxml><fileobject><filename>Users/jdoe/quarterly_exfil_ledger.xlsx</filename>' +
			'<filesize>10</filesize></fileobject></dfxml>\n';
		expectJson(await upload(srv, ivy, b.case.ref, Buffer.from(xml)), 201);
		let ev = null;
		for (let i = 0; i < 50 && !ev?.total; i++) {
			ev = expectJson(await ivy.get(q('ledger')), 200);
			if (!ev.total) await new Promise((r) => setTimeout(r, 100));
		}
		assert.equal(ev.total, 1, 'the evidence path is indexed within 5 s');
		assert.equal(ev.hits[0].type, 'evidence');
		assert.match(ev.hits[0].title, /quarterly_exfil_ledger\.xlsx$/);
	});

	it('aimcase search gives the same answer as the API', async () => {
		const r = cli(['search', 'credential stuffing', '--json', '--as', 'sam', '--db', srv.db]);
		assert.equal(r.status, 0, r.stderr);
		const a = JSON.parse(r.stdout);
		const b = expectJson(await sam.get(q('credential stuffing')), 200);
		assert.deepEqual(a.hits, b.hits);
		assert.equal(a.total, b.total);
		const bad = cli(['search', '(foo', '--as', 'sam', '--db', srv.db]);
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /position 1/);
	});
});
