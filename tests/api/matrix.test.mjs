// Access control, as a table (docs/api.md: "Order of checks", "Authentication", "Who sees which
// case"): every row of server/routes.c × every kind of caller, with the expected answer in each
// cell; then a restricted case that three users may not see, through every endpoint.
//
// The cells name a success status (200, 201, 204), or the error code of a refusal:
//   U  401 unauthorized        no (valid) session or token
//   F  403 forbidden           the role may not use the route
//   X  403 csrf_failed         a cookie session changed state without X-CSRF-Token
//   N  404 not_found           no such route or object, or one you may not see
//   M  405 method_not_allowed  the path exists, not with that method
// The callers (columns):
//   none    no cookie, no token
//   nocsrf  sam's cookie session without X-CSRF-Token: sam's role refuses nothing, so a refusal
//           in this column is the CSRF check
//   bearer  ivy's bearer token: the least role, and a token needs no CSRF token
//   ivy, paula, sam  cookie sessions with X-CSRF-Token: investigator, prosecutor, supervisor
// Every call uses real objects (ivy's case, its incident, its manifest), so that an allowed call
// succeeds; a state-changing call writes a unique tag, and a refused one must have stored nothing.
//
// To add a route: add its row (the pattern exactly as in routes.c; `url` when the pattern has
// placeholders other than {ref}/{id}). A route still being built is `pending: true`: its cells
// are skipped while a supervisor gets 404 there, and run by themselves once it answers. A row
// marked `last` runs after all the others (DELETE /api/session ends the callers' sessions).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, Client, USERS, REPO, ANY_FIELD,
} from './lib/server.mjs';
import { dfxml, postXml, expectNoLeak, pollUntil } from './lib/access.mjs';

const U = 'unauthorized';
const F = 'forbidden';
const X = 'csrf_failed';
const N = 'not_found';
const M = 'method_not_allowed';
const STATUS = { [U]: 401, [F]: 403, [X]: 403, [N]: 404, [M]: 405 };

const CALLERS = ['none', 'nocsrf', 'bearer', 'ivy', 'paula', 'sam'];

let seq = 0;
/** A tag unique to one call, one word for the search tokenizer. */
const newTag = () => `mtx${String(++seq).padStart(3, '0')}tag`;
const hex = (s) => Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64);

// What a state-changing call leaves behind (looked up by sam, who sees every case): true when the
// call's tag is stored, undefined when the question does not apply to this caller.
const effects = {
	filed: async (o, { tag }) => expectJson(await o.sam.get('/api/cases?limit=200'), 200)
		.cases.some((c) => c.title.includes(tag)),
	retitled: async (o, { tag }) => expectJson(await o.sam.get(`/api/cases/${o.normal.ref}`), 200).title.includes(tag),
	noted: async (o, { tag }) => expectJson(await o.sam.get(`/api/cases/${o.normal.ref}`), 200)
		.notes.some((n) => n.text.includes(tag)),
	imported: async (o, { tag }) => expectJson(await o.sam.get(`/api/cases/${o.normal.ref}/evidence?q=${tag}`), 200)
		.total > 0,
	loggedOut: async (o, { client }) => (client.cookie ? (await client.get('/api/session')).status === 401 : undefined),
};

// Request bodies of the state-changing rows.
const bodies = {
	// who logs in does not matter to a public route: pat, who has no second factor
	login: () => ({ json: { username: 'pat', password: USERS.pat.password } }),
	incident: ({ tag }) => ({ json: aiIncident({ title: `Matrix filing ${tag}` }) }),
	retitle: ({ tag }) => ({ json: { title: `Patient portal scraped ${tag}` } }),
	note: ({ tag }) => ({ json: { text: `Subpoena drafted for the WAF logs (${tag}).` } }),
	manifest: ({ tag }) => ({
		body: dfxml([[`Users/jdoe/Documents/${tag}.pdf`, hex(tag)]]),
		headers: { 'content-type': 'application/xml' },
	}),
};

const row = (method, pattern, cells, opts = {}) => ({ method, pattern, cells, ...opts });

const ROUTES = [
	//  method    pattern (as in routes.c)           none nocsrf bearer ivy  paula sam
	row('POST',   '/api/session',                   [200, 200,   200,   200, 200,  200], { body: bodies.login }),
	row('GET',    '/api/session',                   [U,   200,   200,   200, 200,  200]),
	row('DELETE', '/api/session',                   [U,   X,     204,   204, 204,  204], { last: true, effect: effects.loggedOut }),
	row('POST',   '/api/incidents',                 [U,   X,     201,   201, 201,  201], { body: bodies.incident, effect: effects.filed }),
	row('GET',    '/api/incidents/{id}',            [U,   200,   200,   200, 200,  200]),
	row('GET',    '/api/cases',                     [U,   200,   200,   200, 200,  200]),
	row('GET',    '/api/cases/{ref}',               [U,   200,   200,   200, 200,  200]),
	row('PATCH',  '/api/cases/{ref}',               [U,   X,     F,     F,   200,  200], { body: bodies.retitle, effect: effects.retitled }),
	row('POST',   '/api/cases/{ref}/notes',         [U,   X,     F,     F,   201,  201], { body: bodies.note, effect: effects.noted }),
	row('GET',    '/api/cases/{ref}/evidence',      [U,   200,   200,   200, 200,  200]),
	row('GET',    '/api/cases/{ref}/links',         [U,   200,   200,   200, 200,  200]),
	row('GET',    '/api/dashboard',                 [U,   200,   200,   200, 200,  200]),
	row('GET',    '/api/users',                     [U,   200,   F,     F,   200,  200]),
	row('GET',    '/api/search',                    [U,   200,   200,   200, 200,  200], { url: '/api/search?q=portal' }),
	row('GET',    '/api/rules',                     [U,   200,   200,   200, 200,  200]),
	row('POST',   '/api/rescan',                    [U,   X,     F,     F,   F,    200], { url: '/api/rescan?rule=tida.minor.age' }),
	row('POST',   '/api/cases/{ref}/manifests',     [U,   X,     201,   201, 201,  201], { body: bodies.manifest, effect: effects.imported }),
	row('GET',    '/api/manifests/{id}/original',   [U,   200,   200,   200, 200,  200], { url: '/api/manifests/{manifest}/original' }),
	row('GET',    '/healthz',                       [200, 200,   200,   200, 200,  200]),
	row('HEAD',   '/healthz',                       [200, 200,   200,   200, 200,  200]),
	row('GET',    '/*',                             [200, 200,   200,   200, 200,  200], { url: '/' }),
	row('HEAD',   '/*',                             [200, 200,   200,   200, 200,  200], { url: '/' }),
	row('GET',    '/api/audit',                     [U,   200,   F,     F,   F,    200]),
	row('GET',    '/api/audit/verify',              [U,   200,   F,     F,   F,    200]),
	row('GET',    '/metrics',                       [200, 200,   200,   200, 200,  200], { pending: true }),
	// not routes: what the order of checks makes of them
	row('GET',    '/api/no-such-route',             [U,   N,     N,     N,   N,    N], { notRoute: true }),
	row('PUT',    '/api/cases',                     [U,   M,     M,     M,   M,    M], { notRoute: true, body: bodies.retitle }),
	row('POST',   '/',                              [M,   M,     M,     M,   M,    M], { notRoute: true, body: bodies.retitle }),
	row('GET',    '/no-such-file.js',               [N,   N,     N,     N,   N,    N], { notRoute: true }),
];

/** The rows of server/routes.c as "METHOD pattern". */
function routesOfSource() {
	const src = fs.readFileSync(path.join(REPO, 'server', 'routes.c'), 'utf8');
	return [...src.matchAll(/\{\s*"([A-Z]+)",\s*"(\/[^"]*)",/g)].map((m) => `${m[1]} ${m[2]}`);
}

/** The content type a success of this row has. */
function successType(r) {
	if (r.pattern === '/healthz') return /^text\/plain\b/;
	if (r.pattern === '/*') return /^text\/html\b/;
	if (r.pattern.endsWith('/original')) return /^application\/xml\b/;
	if (r.pattern === '/metrics') return /^text\/plain\b/;
	return /^application\/json; ?charset=utf-8$/i;
}

describe('access-control matrix', { timeout: 180000 }, () => {
	let srv;
	const o = {}; // the objects: normal {ref, id}, manifest id, and sam's client for the effects
	const clients = {};
	const pending = new Map();

	/** The client of a caller (a session or a token); `none` has no credentials. */
	async function makeClient(caller) {
		if (caller === 'none') return new Client(srv, { name: 'none' });
		if (caller === 'bearer') return srv.bearer('ivy');
		if (caller === 'nocsrf') return new Client(srv, { name: 'sam (no CSRF)', cookie: (await srv.login('sam')).cookie });
		return srv.login(caller);
	}
	const fill = (url) => url.replace('{ref}', o.normal.ref).replace('{id}', String(o.normal.id))
		.replace('{manifest}', String(o.manifest));

	before(async () => {
		srv = await startServer();
		for (const c of CALLERS) clients[c] = await makeClient(c);
		o.sam = clients.sam;
		const filed = expectJson(await clients.ivy.post('/api/incidents', aiIncident()), 201);
		o.normal = { ref: filed.case.ref, id: filed.id };
		const m = await postXml(clients.ivy, `/api/cases/${o.normal.ref}/manifests`,
			dfxml([['Users/jdoe/Documents/portal-export.csv', hex('portal-export')]]));
		o.manifest = expectJson(m, 201).manifest.id;
	});
	after(async () => { if (srv) await srv.stop(); });

	it('has a row for every route of server/routes.c, and every route row is in routes.c or pending', () => {
		const source = routesOfSource();
		assert.ok(source.length >= 20, `routes.c: ${source.length} rows found`);
		const table = ROUTES.filter((r) => !r.notRoute).map((r) => `${r.method} ${r.pattern}`);
		assert.deepEqual(source.filter((s) => !table.includes(s)), [], 'routes without a row here');
		const stale = ROUTES.filter((r) => !r.notRoute && !r.pending && !source.includes(`${r.method} ${r.pattern}`));
		assert.deepEqual(stale.map((r) => `${r.method} ${r.pattern}`), [], 'rows of no route');
		for (const r of ROUTES) assert.equal(r.cells.length, CALLERS.length, `${r.method} ${r.pattern}: cells`);
	});

	for (const r of [...ROUTES.filter((x) => !x.last), ...ROUTES.filter((x) => x.last)]) {
		const url = r.url ?? r.pattern;
		describe(`${r.method} ${url}`, () => {
			CALLERS.forEach((caller, i) => {
				const want = r.cells[i];
				const label = typeof want === 'number' ? String(want) : `${STATUS[want]} ${want}`;
				it(`${caller} → ${label}`, async (t) => {
					if (r.pending) {
						if (!pending.has(r)) pending.set(r, (await clients.sam.request(r.method, fill(url))).status === 404);
						if (pending.get(r)) return t.skip(`${r.method} ${url} is not served yet (404 to a supervisor)`);
					}
					const client = clients[caller];
					const cell = { tag: newTag(), client };
					const res = await client.request(r.method, fill(url), r.body ? r.body(cell) : {});
					const ctx = `${r.method} ${url} as ${caller}`;
					if (typeof want === 'number') {
						assert.equal(res.status, want, `${ctx}: ${res.status} ${res.text.slice(0, 300)}`);
						if (want === 204) assert.equal(res.text, '', `${ctx}: a 204 with a body`);
						else assert.match(res.contentType, successType(r), `${ctx}: Content-Type ${res.contentType}`);
					} else {
						expectError(res, STATUS[want], want, want === N || want === M ? ANY_FIELD : null);
					}
					if (r.effect) {
						const stored = await r.effect(o, cell);
						if (stored !== undefined) {
							assert.equal(stored, typeof want === 'number',
								`${ctx}: ${stored ? 'a refused call changed state' : 'an allowed call changed nothing'}`);
						}
					}
				});
			});
		});
	}
});

// A restricted case (take_it_down, victim_minor) filed by ivy: ian (investigator), paula and pat
// (prosecutors, not assigned) may not see it through any endpoint; ivy (who filed it) and sam
// (supervisor) may. WORD is in its narrative, its note, its evidence path and its platform URL only.
const WORD = 'quorvexine';
const HASH = 'c0ffee'.padEnd(64, '7'); // content hash shared with ian's visible case
const HIDDEN_FROM = ['ian', 'paula', 'pat'];
const SEERS = ['ivy', 'sam'];
const VIEWERS = [...HIDDEN_FROM, ...SEERS];

function hoursAgo(h) {
	return new Date(Date.now() - h * 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Each request against the restricted case (o) or a case that does not exist (the ghost); the
// refusal must be exactly the ghost's answer. PATCH and notes are prosecutor routes: ian's refusal
// is the role check (403), which comes before any case is looked up.
const HIDDEN = [
	//  what                          ian  paula pat  ivy  sam
	['GET the case',                 [N,   N,    N,   200, 200], (c, o) => c.get(`/api/cases/${o.ref}`)],
	['GET its incident',             [N,   N,    N,   200, 200], (c, o) => c.get(`/api/incidents/${o.id}`)],
	['GET its evidence',             [N,   N,    N,   200, 200], (c, o) => c.get(`/api/cases/${o.ref}/evidence`)],
	['GET its evidence ?q=WORD',     [N,   N,    N,   200, 200], (c, o) => c.get(`/api/cases/${o.ref}/evidence?q=${WORD}`)],
	['GET its links',                [N,   N,    N,   200, 200], (c, o) => c.get(`/api/cases/${o.ref}/links`)],
	['GET its manifest original',    [N,   N,    N,   200, 200], (c, o) => c.get(`/api/manifests/${o.manifest}/original`)],
	['POST a note',                  [F,   N,    N,   F,   201], (c, o, tag) => c.post(`/api/cases/${o.ref}/notes`,
		{ text: `Reviewed ${tag}.` })],
	['PATCH the case',               [F,   N,    N,   F,   200], (c, o) => c.patch(`/api/cases/${o.ref}`, { status: 'investigating' })],
	['POST a manifest',              [N,   N,    N,   201, 201], (c, o, tag) => postXml(c, `/api/cases/${o.ref}/manifests`,
		dfxml([[`Users/victim/Pictures/${tag}.jpg`, hex(tag)]]))],
	['POST an incident into it',     [N,   N,    N,   201, 201], (c, o, tag) => c.post('/api/incidents',
		tdIncident({ case_ref: o.ref, title: `Second report ${tag}` }))],
];

describe('a restricted case is invisible to whoever may not see it', { timeout: 180000 }, () => {
	let srv;
	const c = {}; // clients by name
	let R; // the restricted case: {ref, id, manifest}
	let ianCase; // ian's visible case sharing HASH with R: {ref, id, filing}
	let ivyNormal; // ivy's normal case, also holding HASH: visible to paula, pat, sam
	const ghost = { ref: 'AIM-2026-99999', id: 999999, manifest: 999999 };

	before(async () => {
		srv = await startServer();
		for (const n of VIEWERS) c[n] = await srv.login(n);
		const body = tdIncident({
			title: 'Minor victim: forged images shared in a class chat',
			narrative: 'A 15-year-old student reported that AI-altered images of her, posted under the handle ' +
				`${WORD}, were shared in her class group chat and on PixelBoard.`,
		});
		body.take_it_down.victim_minor = true;
		body.take_it_down.content_hashes = [HASH];
		body.take_it_down.platforms = [{
			name: 'PixelBoard', url: `https://pixelboard.example/p/${WORD}`, removal_requested_at: hoursAgo(2),
		}];
		const filed = expectJson(await c.ivy.post('/api/incidents', body), 201);
		R = { ref: filed.case.ref, id: filed.id };
		const m = await postXml(c.ivy, `/api/cases/${R.ref}/manifests`,
			dfxml([[`Users/victim/Pictures/${WORD}-01.jpg`, HASH]]));
		R.manifest = expectJson(m, 201).manifest.id;
		expectJson(await c.sam.post(`/api/cases/${R.ref}/notes`, { text: `Routed for 2252A review; handle ${WORD}.` }), 201);
		const other = tdIncident({ title: 'Forged images of a teacher on two forums' });
		other.take_it_down.content_hashes = [HASH];
		const ianFiled = expectJson(await c.ian.post('/api/incidents', other), 201);
		ianCase = { ref: ianFiled.case.ref, id: ianFiled.id, filing: ianFiled };
		const third = tdIncident({ title: 'Forged images of a nurse on an image board' });
		third.take_it_down.content_hashes = [HASH];
		ivyNormal = expectJson(await c.ivy.post('/api/incidents', third), 201).case.ref;
		// evidence paths reach the search index by a background pass
		await pollUntil(async () => expectJson(await c.sam.get(`/api/search?q=${WORD}&limit=100`), 200)
			.hits.some((h) => h.type === 'evidence'), 10000, 'the evidence path in the search index');
	});
	after(async () => { if (srv) await srv.stop(); });

	for (const [what, cells, request] of HIDDEN) {
		VIEWERS.forEach((viewer, i) => {
			const want = cells[i];
			const label = typeof want === 'number' ? String(want) : `${STATUS[want]} ${want}`;
			it(`${what}: ${viewer} → ${label}`, async () => {
				const tag = newTag();
				const res = await request(c[viewer], R, tag);
				if (typeof want === 'number') {
					assert.equal(res.status, want, `${what} as ${viewer}: ${res.status} ${res.text.slice(0, 300)}`);
					return;
				}
				expectError(res, STATUS[want], want, ANY_FIELD);
				const none = await request(c[viewer], ghost, tag);
				// the same answer as for a case that does not exist; a reference the caller sent
				// may be named back (filing: "case_ref: no case REF"), the same way for both
				assert.equal(res.status, none.status, `${what} as ${viewer}: unlike a case that does not exist`);
				assert.equal(res.text.replaceAll(R.ref, 'REF'), none.text.replaceAll(ghost.ref, 'REF'),
					`${what} as ${viewer}: the answer differs from a case that does not exist`);
				expectNoLeak({ text: res.text.replaceAll(`no case ${R.ref}`, '') }, [R.ref, WORD], `${what} as ${viewer}`);
			});
		});
	}

	/** GET a path as a viewer: 200 JSON, and for the hidden viewers no ref or WORD in it. */
	async function seen(viewer, p) {
		const res = await c[viewer].get(p);
		const body = expectJson(res, 200);
		if (HIDDEN_FROM.includes(viewer)) expectNoLeak(res, [R.ref, WORD], `GET ${p} as ${viewer}`);
		return body;
	}

	it('search: WORD gives no hit, no total, no facet to ian, paula, pat', async () => {
		for (const v of HIDDEN_FROM) {
			for (const q of [WORD, `${WORD.slice(0, 5)}*`, `"handle ${WORD}"`, `case:${R.ref}`, 'flag:tida.minor.age',
				`indicator:https://pixelboard.example/p/${WORD}`]) {
				const b = await seen(v, `/api/search?q=${encodeURIComponent(q)}`);
				assert.equal(b.total, 0, `${v} searching ${q}: total ${b.total}`);
				assert.deepEqual(b.hits, [], `${v} searching ${q}`);
				assert.deepEqual(b.facets, { kind: {}, status: {}, flag: {} }, `${v} searching ${q}: facets`);
			}
		}
		for (const v of SEERS) {
			const b = await seen(v, `/api/search?q=${WORD}&limit=100`);
			assert.deepEqual([...new Set(b.hits.map((h) => h.type))].sort(), ['evidence', 'incident', 'note'],
				`${v} finds the incident, the note and the evidence path`);
			assert.ok(b.hits.every((h) => h.case_ref === R.ref));
			assert.equal(b.facets.kind.take_it_down, b.total);
		}
	});

	it('search: a word the restricted case shares with visible ones counts only the visible hits', async () => {
		const q = '/api/search?q=images&limit=100';
		const all = await seen('sam', q);
		const inR = all.hits.filter((h) => h.case_ref === R.ref).length;
		assert.ok(inR > 0 && all.hits.length === all.total, `sam: ${all.total} hits, ${inR} in the restricted case`);
		for (const v of ['paula', 'pat']) {
			const b = await seen(v, q);
			assert.equal(b.total, all.total - inR, `${v}: total`);
			assert.equal(b.facets.kind.take_it_down ?? 0, (all.facets.kind.take_it_down ?? 0) - inR, `${v}: kind facet`);
			assert.ok(!('tida.minor.age' in b.facets.flag), `${v}: flag facet ${JSON.stringify(b.facets.flag)}`);
		}
		const ian = await seen('ian', q);
		assert.ok(ian.hits.every((h) => h.case_ref === ianCase.ref), 'ian finds only his own case');
		assert.equal(ian.total, ian.hits.length);
	});

	it('GET /api/cases: not listed, not counted, whatever the filters', async () => {
		const total = async (v, qs) => (await seen(v, `/api/cases?limit=200${qs}`)).total;
		const status = (await seen('sam', `/api/cases/${R.ref}`)).status;
		for (const qs of ['', '&kind=take_it_down', `&status=${status}`, '&mine=false', '&mine=true']) {
			for (const v of VIEWERS) {
				const b = await seen(v, `/api/cases?limit=200${qs}`);
				assert.equal(b.cases.length, b.total, `${v} ${qs}: total counts only the listed cases`);
				const listed = b.cases.some((x) => x.ref === R.ref);
				if (HIDDEN_FROM.includes(v)) assert.ok(!listed, `${v} ${qs}: listed`);
				else if (qs !== '&mine=true') assert.ok(listed, `${v} ${qs}: not listed`);
			}
			if (qs === '&mine=true') continue;
			const sam = await total('sam', qs);
			for (const v of ['paula', 'pat']) assert.equal(await total(v, qs), sam - 1, `${v} ${qs}: total`);
		}
	});

	it('GET /api/dashboard: neither its overdue-soon removal nor its critical flag', async () => {
		for (const v of HIDDEN_FROM) {
			const b = await seen(v, '/api/dashboard');
			assert.ok(!b.deadlines.some((d) => d.case_ref === R.ref), `${v}: deadlines`);
			assert.ok(!b.flags.some((f) => f.case_ref === R.ref || f.rule === 'tida.minor.age'), `${v}: flags`);
		}
		for (const v of SEERS) {
			const b = await seen(v, '/api/dashboard');
			assert.ok(b.deadlines.some((d) => d.case_ref === R.ref && d.platform === 'PixelBoard'), `${v}: deadline`);
			assert.ok(b.flags.some((f) => f.case_ref === R.ref && f.rule === 'tida.minor.age'), `${v}: flag`);
		}
	});

	it('GET /api/rules: a rule only the restricted case hits counts 0 for them, ≥ 1 for ivy and sam', async () => {
		const hits = async (v) => (await seen(v, '/api/rules')).rules.find((r) => r.id === 'tida.minor.age').hits;
		for (const v of HIDDEN_FROM) assert.equal(await hits(v), 0, `${v}: tida.minor.age hits`);
		for (const v of SEERS) assert.ok(await hits(v) >= 1, `${v}: tida.minor.age hits`);
	});

	it('links: ian\'s case shares a content hash with it; only ivy and sam see the link', async () => {
		expectNoLeak({ text: JSON.stringify(ianCase.filing) }, [R.ref, WORD], 'ian\'s filing reply');
		for (const v of VIEWERS.filter((x) => x !== 'ivy')) {
			const links = await seen(v, `/api/cases/${ianCase.ref}/links`);
			const view = await seen(v, `/api/cases/${ianCase.ref}`);
			const expected = v === 'sam';
			assert.equal(links.some((l) => l.ref === R.ref), expected, `${v}: GET links`);
			assert.equal(view.links.some((l) => l.ref === R.ref), expected, `${v}: the case view's links`);
			await seen(v, `/api/incidents/${ianCase.id}`);
		}
		expectError(await c.ivy.get(`/api/cases/${ianCase.ref}/links`), 404, 'not_found');
		// from the restricted side: ian's case is not ivy's, so only sam sees the link
		assert.ok(!(await seen('ivy', `/api/cases/${R.ref}/links`)).some((l) => l.ref === ianCase.ref), 'ivy: links of R');
		assert.ok((await seen('sam', `/api/cases/${R.ref}/links`)).some((l) => l.ref === ianCase.ref), 'sam: links of R');
	});

	it('links: a shared value counts only the cases the viewer may see', async () => {
		const holders = async (v) => (await seen(v, `/api/cases/${ianCase.ref}/links`))
			.find((l) => l.ref === ivyNormal).shared.find((x) => x.value === HASH).cases;
		assert.equal(await holders('sam'), 3, 'sam sees the three cases holding the hash');
		for (const v of ['paula', 'pat']) assert.equal(await holders(v), 2, `${v}: a third, hidden holder is counted`);
	});
});
