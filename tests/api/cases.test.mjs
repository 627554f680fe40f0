// GET/PATCH /api/cases, deadlines, loss, notes (docs/api.md, "Cases").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, userName, cli, ANY_FIELD, REF_RE, TIME_RE,
} from './lib/server.mjs';

const LIST_KEYS = ['assignee', 'kind', 'ref', 'sensitivity', 'status', 'title', 'updated_at'];
const CASE_KEYS = ['ref', 'id', 'title', 'kind', 'status', 'sensitivity', 'assignee', 'created_by', 'created_at',
	'updated_at', 'incidents', 'evidence_count', 'flags', 'indicators', 'links', 'deadlines', 'notes', 'loss'];

/** The four fields of `loss` that the contract fixes. */
function pick(loss) {
	assert.ok(loss !== null && typeof loss === 'object', `loss: ${JSON.stringify(loss)}`);
	const { total_usd, max_365d_usd, threshold_usd, threshold_met } = loss;
	return { total_usd, max_365d_usd, threshold_usd, threshold_met };
}

function aiWithLoss(loss, occurredAt, over = {}) {
	const b = aiIncident({ occurred_at: occurredAt, ...over });
	b.ai_intrusion.loss_usd = loss;
	b.ai_intrusion.indicators = { ips: ['192.0.2.44'] };
	return b;
}

describe('cases', { timeout: 120000 }, () => {
	let srv;
	let ivy;
	let paula;
	let sam;
	let a1; // ai case, stays open
	let a2; // ai case, set to investigating
	let t1; // take_it_down case
	before(async () => {
		srv = await startServer();
		ivy = await srv.login('ivy');
		paula = await srv.login('paula');
		sam = await srv.login('sam');
		a1 = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Case list A1' })), 201).case.ref;
		a2 = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Case list A2' })), 201).case.ref;
		t1 = expectJson(await ivy.post('/api/incidents', tdIncident({ title: 'Case list T1' })), 201).case.ref;
		const p = await paula.patch(`/api/cases/${a2}`, { status: 'investigating' });
		assert.equal(expectJson(p, 200).status, 'investigating');
	});
	after(async () => { if (srv) await srv.stop(); });

	describe('list', () => {
		it('GET /api/cases lists the cases with the list fields, newest update first', async () => {
			const body = expectJson(await ivy.get('/api/cases'), 200);
			assert.ok('cases' in body && 'total' in body);
			assert.ok(Number.isInteger(body.total) && body.total >= 3);
			assert.equal(body.cases.length, body.total);
			for (const c of body.cases) {
				for (const k of LIST_KEYS) assert.ok(k in c, `list entry lacks ${k}: ${JSON.stringify(c)}`);
				assert.match(c.ref, REF_RE);
				assert.match(c.updated_at, TIME_RE);
				assert.ok(['open', 'investigating', 'charged', 'closed'].includes(c.status));
				assert.ok(['normal', 'restricted'].includes(c.sensitivity));
			}
			const refs = body.cases.map((c) => c.ref);
			for (const r of [a1, a2, t1]) assert.ok(refs.includes(r), `${r} not listed`);
			for (let i = 1; i < body.cases.length; i++) {
				assert.ok(body.cases[i - 1].updated_at >= body.cases[i].updated_at, 'newest update first');
			}
			const t = body.cases.find((c) => c.ref === t1);
			assert.equal(t.kind, 'take_it_down');
			assert.equal(t.title, 'Case list T1');
			assert.equal(t.status, 'open');
			assert.equal(t.sensitivity, 'normal');
			assert.equal(t.assignee, null);
		});

		it('status= filters by status', async () => {
			const body = expectJson(await ivy.get('/api/cases?status=investigating'), 200);
			assert.ok(body.cases.length >= 1);
			assert.ok(body.cases.every((c) => c.status === 'investigating'));
			assert.equal(body.total, body.cases.length);
			const refs = body.cases.map((c) => c.ref);
			assert.ok(refs.includes(a2));
			assert.ok(!refs.includes(a1));
			const open = expectJson(await ivy.get('/api/cases?status=open'), 200);
			assert.ok(open.cases.every((c) => c.status === 'open'));
			assert.ok(open.cases.some((c) => c.ref === a1));
			const closed = expectJson(await ivy.get('/api/cases?status=closed'), 200);
			assert.equal(closed.total, 0);
			assert.deepEqual(closed.cases, []);
		});

		it('kind= filters by kind', async () => {
			const td = expectJson(await ivy.get('/api/cases?kind=take_it_down'), 200);
			assert.ok(td.cases.every((c) => c.kind === 'take_it_down'));
			assert.ok(td.cases.some((c) => c.ref === t1));
			const ai = expectJson(await ivy.get('/api/cases?kind=ai_intrusion'), 200);
			assert.ok(ai.cases.every((c) => c.kind === 'ai_intrusion'));
			assert.ok(ai.cases.some((c) => c.ref === a1) && ai.cases.some((c) => c.ref === a2));
			const both = expectJson(await ivy.get('/api/cases?kind=ai_intrusion&status=investigating'), 200);
			assert.deepEqual(both.cases.map((c) => c.ref), [a2]);
		});

		it('limit and offset page through the list; total is the unpaged count', async () => {
			const all = expectJson(await ivy.get('/api/cases'), 200);
			const p1 = expectJson(await ivy.get('/api/cases?limit=1'), 200);
			assert.equal(p1.cases.length, 1);
			assert.equal(p1.total, all.total);
			assert.equal(p1.cases[0].ref, all.cases[0].ref);
			const p2 = expectJson(await ivy.get('/api/cases?limit=1&offset=1'), 200);
			assert.equal(p2.cases.length, 1);
			assert.equal(p2.total, all.total);
			assert.equal(p2.cases[0].ref, all.cases[1].ref);
			const p3 = expectJson(await ivy.get('/api/cases?limit=2&offset=1'), 200);
			assert.deepEqual(p3.cases.map((c) => c.ref), all.cases.slice(1, 3).map((c) => c.ref));
			const beyond = expectJson(await ivy.get(`/api/cases?offset=${all.total + 10}`), 200);
			assert.deepEqual(beyond.cases, []);
			assert.equal(beyond.total, all.total);
			expectJson(await ivy.get('/api/cases?limit=200'), 200);
			expectJson(await ivy.get('/api/cases?limit=1&offset=0'), 200);
		});

		const BAD_QUERIES = [
			['status=pending', 'status'],
			['status=OPEN', 'status'],
			['kind=ransomware', 'kind'],
			['limit=0', 'limit'],
			['limit=201', 'limit'],
			['limit=x', 'limit'],
			['limit=-1', 'limit'],
			['limit=1.5', 'limit'],
			['limit=10abc', 'limit'],
			['offset=-1', 'offset'],
			['offset=x', 'offset'],
		];
		for (const [q, field] of BAD_QUERIES) {
			it(`GET /api/cases?${q} answers 400 invalid_field "${field}"`, async () => {
				expectError(await ivy.get(`/api/cases?${q}`), 400, 'invalid_field', field);
			});
		}
	});

	describe('view', () => {
		it('GET /api/cases/{ref} has every field of the contract', async () => {
			const c = expectJson(await ivy.get(`/api/cases/${a1}`), 200);
			for (const k of CASE_KEYS) assert.ok(k in c, `missing ${k} in ${JSON.stringify(Object.keys(c))}`);
			assert.equal(c.ref, a1);
			assert.ok(Number.isInteger(c.id));
			assert.equal(c.title, 'Case list A1');
			assert.equal(c.kind, 'ai_intrusion');
			assert.equal(c.status, 'open');
			assert.equal(c.sensitivity, 'normal');
			assert.equal(c.assignee, null);
			assert.equal(userName(c.created_by), 'ivy');
			assert.match(c.created_at, TIME_RE);
			assert.match(c.updated_at, TIME_RE);
			assert.equal(c.incidents.length, 1);
			const inc = c.incidents[0];
			for (const k of ['id', 'title', 'occurred_at', 'filed_at', 'filed_by']) assert.ok(k in inc, `incident lacks ${k}`);
			assert.equal(inc.title, 'Case list A1');
			assert.equal(inc.occurred_at, '2026-10-28T03:12:00Z');
			assert.match(inc.filed_at, TIME_RE);
			assert.equal(userName(inc.filed_by), 'ivy');
			assert.equal(c.evidence_count, 0);
			assert.ok(Array.isArray(c.flags));
			assert.ok(Array.isArray(c.indicators));
			assert.ok(c.indicators.some((i) => i.type === 'ip' && i.value === '2001:db8::1'));
			assert.ok(Array.isArray(c.links));
			assert.deepEqual(c.deadlines, []);
			assert.deepEqual(c.notes, []);
			assert.equal(typeof c.loss, 'object');
			assert.equal(c.loss.total_usd, 1200.5);
			assert.equal(c.loss.threshold_usd, 5000);
			assert.equal(c.loss.threshold_met, false);
		});

		it('GET /api/cases/{ref} of no case answers 404; a malformed ref answers 404 or 400', async () => {
			expectError(await ivy.get('/api/cases/AIM-2026-99999'), 404, 'not_found');
			const bad = await ivy.get('/api/cases/not-a-ref');
			assert.ok(bad.status === 404 || bad.status === 400, `status ${bad.status}`);
			expectError(bad, bad.status, bad.status === 404 ? 'not_found' : 'invalid_field', ANY_FIELD);
		});
	});

	describe('deadlines', () => {
		let c;
		before(async () => {
			const body = tdIncident({ title: 'Deadline case', occurred_at: '2026-10-30T20:00:00Z' });
			body.take_it_down.platforms = [
				{ name: 'Never removed', url: 'https://never.example.com/a/1', removal_requested_at: '2026-11-01T10:00:00Z', removed_at: null },
				{ name: 'Removed in time', url: 'https://intime.example.com/a/2', removal_requested_at: '2026-11-01T10:00:00Z', removed_at: '2026-11-02T09:30:00Z' },
				{ name: 'Removed late', url: 'https://late.example.com/a/3', removal_requested_at: '2026-11-01T10:00:00Z', removed_at: '2026-11-03T12:00:00Z' },
				{ name: 'Removed just in time', removal_requested_at: '2026-11-01T10:00:00+01:00', removed_at: '2026-11-03T09:00:00Z' },
				{ name: 'No request yet', url: 'https://norequest.example.com/a/4' },
			];
			const r = expectJson(await ivy.post('/api/incidents', body), 201);
			c = expectJson(await ivy.get(`/api/cases/${r.case.ref}`), 200);
			c.incident_id = r.id;
		});
		const dl = (name) => c.deadlines.find((d) => d.platform === name);

		it('one deadline per platform with a removal request, with every field', () => {
			assert.equal(c.deadlines.length, 4, JSON.stringify(c.deadlines));
			for (const d of c.deadlines) {
				for (const k of ['due_at', 'incident_id', 'overdue', 'platform', 'removed_at', 'requested_at', 'url']) {
					assert.ok(k in d, `deadline lacks ${k}: ${JSON.stringify(d)}`);
				}
				assert.equal(d.incident_id, c.incident_id);
			}
			assert.equal(dl('No request yet'), undefined);
		});

		it('not removed: due 48 h after the request, overdue once past due', () => {
			const d = dl('Never removed');
			assert.equal(d.url, 'https://never.example.com/a/1');
			assert.equal(d.requested_at, '2026-11-01T10:00:00Z');
			assert.equal(d.due_at, '2026-11-03T10:00:00Z');
			assert.equal(d.removed_at, null);
			assert.equal(d.overdue, Date.now() > Date.parse('2026-11-03T10:00:00Z'));
			assert.equal(d.overdue, true, 'this machine\'s clock is expected to be past 2026-11-03');
		});

		it('removed within 48 h: not overdue', () => {
			const d = dl('Removed in time');
			assert.equal(d.due_at, '2026-11-03T10:00:00Z');
			assert.equal(d.removed_at, '2026-11-02T09:30:00Z');
			assert.equal(d.overdue, false);
		});

		it('removed after 50 h: overdue', () => {
			const d = dl('Removed late');
			assert.equal(d.due_at, '2026-11-03T10:00:00Z');
			assert.equal(d.removed_at, '2026-11-03T12:00:00Z');
			assert.equal(d.overdue, true);
		});

		it('a request time with an offset is converted to UTC; no url is null', () => {
			const d = dl('Removed just in time');
			assert.equal(d.requested_at, '2026-11-01T09:00:00Z');
			assert.equal(d.due_at, '2026-11-03T09:00:00Z');
			assert.equal(d.overdue, false);
			assert.equal(d.url, null);
		});
	});

	describe('loss', () => {
		it('3000 + 2500 within a year in one case meet the $5,000 threshold', async () => {
			const r1 = expectJson(await ivy.post('/api/incidents', aiWithLoss(3000, '2026-03-01T12:00:00Z')), 201);
			expectJson(await ivy.post('/api/incidents',
				aiWithLoss(2500, '2026-09-15T12:00:00Z', { case_ref: r1.case.ref, title: 'Follow-up intrusion' })), 201);
			const c = expectJson(await ivy.get(`/api/cases/${r1.case.ref}`), 200);
			assert.deepEqual(pick(c.loss), { total_usd: 5500, max_365d_usd: 5500, threshold_usd: 5000, threshold_met: true });
		});

		it('a single 4000 does not', async () => {
			const r = expectJson(await ivy.post('/api/incidents', aiWithLoss(4000, '2026-06-01T12:00:00Z')), 201);
			const c = expectJson(await ivy.get(`/api/cases/${r.case.ref}`), 200);
			assert.deepEqual(pick(c.loss), { total_usd: 4000, max_365d_usd: 4000, threshold_usd: 5000, threshold_met: false });
		});

		it('3000 + 2500 more than 365 days apart do not', async () => {
			const r1 = expectJson(await ivy.post('/api/incidents', aiWithLoss(3000, '2024-01-10T12:00:00Z')), 201);
			expectJson(await ivy.post('/api/incidents',
				aiWithLoss(2500, '2026-06-01T12:00:00Z', { case_ref: r1.case.ref })), 201);
			const c = expectJson(await ivy.get(`/api/cases/${r1.case.ref}`), 200);
			assert.deepEqual(pick(c.loss), { total_usd: 5500, max_365d_usd: 3000, threshold_usd: 5000, threshold_met: false });
		});

		it('exactly 5000 meets the threshold ("at least $5,000"); cents are kept', async () => {
			const r1 = expectJson(await ivy.post('/api/incidents', aiWithLoss(4999.99, '2026-05-01T12:00:00Z')), 201);
			let c = expectJson(await ivy.get(`/api/cases/${r1.case.ref}`), 200);
			assert.equal(c.loss.total_usd, 4999.99);
			assert.equal(c.loss.threshold_met, false);
			expectJson(await ivy.post('/api/incidents', aiWithLoss(0.01, '2026-05-02T12:00:00Z', { case_ref: r1.case.ref })), 201);
			c = expectJson(await ivy.get(`/api/cases/${r1.case.ref}`), 200);
			assert.equal(c.loss.total_usd, 5000);
			assert.equal(c.loss.max_365d_usd, 5000);
			assert.equal(c.loss.threshold_met, true);
		});
	});

	describe('PATCH', () => {
		let ref;
		before(async () => {
			ref = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Patch target' })), 201).case.ref;
		});

		it('a prosecutor changes the status', async () => {
			const c = expectJson(await paula.patch(`/api/cases/${ref}`, { status: 'investigating' }), 200);
			assert.equal(c.ref, ref);
			assert.equal(c.status, 'investigating');
			for (const k of CASE_KEYS) assert.ok(k in c, `PATCH reply lacks ${k}`);
			assert.equal(expectJson(await ivy.get(`/api/cases/${ref}`), 200).status, 'investigating');
		});

		it('a prosecutor sets the assignee by username and the title', async () => {
			const c = expectJson(await paula.patch(`/api/cases/${ref}`, { assignee: 'paula', title: 'Portal scraping — charged' }), 200);
			assert.equal(userName(c.assignee), 'paula');
			assert.equal(c.title, 'Portal scraping — charged');
			const list = expectJson(await paula.get('/api/cases'), 200);
			const row = list.cases.find((x) => x.ref === ref);
			assert.equal(userName(row.assignee), 'paula');
			assert.equal(row.title, 'Portal scraping — charged');
			assert.equal(row.updated_at, list.cases[0].updated_at, 'the case just updated comes first');
		});

		it('all three at once, then assignee null', async () => {
			let c = expectJson(await paula.patch(`/api/cases/${ref}`, { status: 'charged', assignee: 'pat', title: 'Three at once' }), 200);
			assert.equal(c.status, 'charged');
			assert.equal(userName(c.assignee), 'pat');
			assert.equal(c.title, 'Three at once');
			c = expectJson(await paula.patch(`/api/cases/${ref}`, { assignee: null }), 200);
			assert.equal(c.assignee, null);
			assert.equal(c.status, 'charged', 'fields left out are unchanged');
			assert.equal(c.title, 'Three at once');
		});

		it('a supervisor may PATCH too', async () => {
			const c = expectJson(await sam.patch(`/api/cases/${ref}`, { status: 'closed' }), 200);
			assert.equal(c.status, 'closed');
		});

		it('a bad status answers 400 invalid_field "status"', async () => {
			expectError(await paula.patch(`/api/cases/${ref}`, { status: 'archived' }), 400, 'invalid_field', 'status');
			expectError(await paula.patch(`/api/cases/${ref}`, { status: 3 }), 400, 'invalid_field', 'status');
		});

		it('an unknown assignee answers 400 invalid_field "assignee"', async () => {
			expectError(await paula.patch(`/api/cases/${ref}`, { assignee: 'nobody' }), 400, 'invalid_field', 'assignee');
		});

		it('a bad title, an unknown field, malformed JSON answer 400', async () => {
			expectError(await paula.patch(`/api/cases/${ref}`, { title: '' }), 400, 'invalid_field', 'title');
			expectError(await paula.patch(`/api/cases/${ref}`, { title: 'x'.repeat(301) }), 400, 'invalid_field', 'title');
			expectError(await paula.patch(`/api/cases/${ref}`, { priority: 'high' }), 400, 'unknown_field', 'priority');
			expectError(await paula.request('PATCH', `/api/cases/${ref}`, {
				body: '{"status":', headers: { 'content-type': 'application/json' },
			}), 400, 'malformed_json');
			expectError(await paula.request('PATCH', `/api/cases/${ref}`, { body: '{"status":"open"}' }),
				415, 'unsupported_media_type');
		});

		it('a rejected PATCH changes nothing', async () => {
			const before = expectJson(await sam.get(`/api/cases/${ref}`), 200);
			expectError(await paula.patch(`/api/cases/${ref}`, { status: 'open', assignee: 'nobody' }), 400, 'invalid_field', 'assignee');
			const after = expectJson(await sam.get(`/api/cases/${ref}`), 200);
			assert.equal(after.status, before.status);
			assert.equal(after.updated_at, before.updated_at);
		});

		it('an investigator answers 403 forbidden', async () => {
			expectError(await ivy.patch(`/api/cases/${ref}`, { status: 'open' }), 403, 'forbidden');
			expectError(await srv.bearer('ivy').patch(`/api/cases/${ref}`, { status: 'open' }), 403, 'forbidden');
		});

		it('PATCH of no case answers 404', async () => {
			expectError(await paula.patch('/api/cases/AIM-2026-99999', { status: 'open' }), 404, 'not_found');
		});
	});

	describe('notes', () => {
		let ref;
		before(async () => {
			ref = expectJson(await ivy.post('/api/incidents', tdIncident({ title: 'Notes target' })), 201).case.ref;
		});

		it('a prosecutor adds a note: 201 and it is listed in the case view', async () => {
			const text = 'Called the platform\'s trust & safety desk; removal confirmed for one post.\n<b>not markup</b>';
			const n = expectJson(await paula.post(`/api/cases/${ref}/notes`, { text }), 201);
			for (const k of ['author', 'created_at', 'id', 'text']) assert.ok(k in n, `note lacks ${k}`);
			assert.ok(Number.isInteger(n.id));
			assert.equal(userName(n.author), 'paula');
			assert.equal(n.text, text);
			assert.match(n.created_at, TIME_RE);
			const c = expectJson(await ivy.get(`/api/cases/${ref}`), 200);
			const listed = c.notes.find((x) => x.id === n.id);
			assert.ok(listed, `note not listed: ${JSON.stringify(c.notes)}`);
			assert.equal(listed.text, text);
			assert.equal(userName(listed.author), 'paula');
			const n2 = expectJson(await sam.post(`/api/cases/${ref}/notes`, { text: 'Supervisor review done.' }), 201);
			const c2 = expectJson(await paula.get(`/api/cases/${ref}`), 200);
			assert.equal(c2.notes.length, 2);
			assert.ok(c2.notes.some((x) => x.id === n2.id));
		});

		it('an investigator answers 403 forbidden', async () => {
			expectError(await ivy.post(`/api/cases/${ref}/notes`, { text: 'investigator note' }), 403, 'forbidden');
		});

		it('empty, missing or too long text answers 400', async () => {
			expectError(await paula.post(`/api/cases/${ref}/notes`, { text: '' }), 400, 'invalid_field', 'text');
			expectError(await paula.post(`/api/cases/${ref}/notes`, {}), 400, 'missing_field', 'text');
			expectError(await paula.post(`/api/cases/${ref}/notes`, { text: 'x'.repeat(20001) }), 400, 'invalid_field', 'text');
			expectError(await paula.post(`/api/cases/${ref}/notes`, { text: 5 }), 400, 'invalid_field', 'text');
			expectError(await paula.post(`/api/cases/${ref}/notes`, { text: 'ok', pinned: true }), 400, 'unknown_field', 'pinned');
			const c = expectJson(await paula.get(`/api/cases/${ref}`), 200);
			assert.ok(c.notes.every((x) => x.text !== '' && x.text !== 'ok'));
		});

		it('a note of 20,000 characters is accepted', async () => {
			expectJson(await paula.post(`/api/cases/${ref}/notes`, { text: 'é'.repeat(20000) }), 201);
		});

		it('a note on no case answers 404', async () => {
			expectError(await paula.post('/api/cases/AIM-2026-99999/notes', { text: 'x' }), 404, 'not_found');
		});
	});

	// The server keeps rendered views (server/case_cache.c): each read must still see every change.
	describe('a case view read again follows every change', () => {
		let ref;
		before(async () => {
			ref = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Cached view case' })), 201).case.ref;
		});

		it('the same view twice, then a note, a change and an incident through the API', async () => {
			const v1 = await ivy.get(`/api/cases/${ref}`);
			const v2 = await ivy.get(`/api/cases/${ref}`);
			assert.equal(v2.text, v1.text);
			assert.equal(v2.headers.get('content-type'), 'application/json; charset=utf-8');
			assert.equal(v2.headers.get('cache-control'), 'no-store');
			expectJson(await paula.post(`/api/cases/${ref}/notes`, { text: 'Preservation letter sent.' }), 201);
			assert.deepEqual(expectJson(await ivy.get(`/api/cases/${ref}`), 200).notes.map((n) => n.text),
				['Preservation letter sent.']);
			expectJson(await sam.patch(`/api/cases/${ref}`, { title: 'Cached view case, renamed' }), 200);
			assert.equal(expectJson(await ivy.get(`/api/cases/${ref}`), 200).title, 'Cached view case, renamed');
			expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Second visit', case_ref: ref })), 201);
			assert.deepEqual(expectJson(await ivy.get(`/api/cases/${ref}`), 200).incidents.map((i) => i.title),
				['Cached view case', 'Second visit']);
		});

		it('an incident filed by the CLI (another process) shows at the next read', async () => {
			expectJson(await ivy.get(`/api/cases/${ref}`), 200);
			const line = JSON.stringify(aiIncident({ title: 'Filed from the command line', case_ref: ref }));
			const r = cli(['import-incidents', '--as', 'ivy', '--db', srv.db, '-'], `${line}\n`);
			assert.equal(r.status, 0, r.stderr);
			const c = expectJson(await ivy.get(`/api/cases/${ref}`), 200);
			assert.ok(c.incidents.some((i) => i.title === 'Filed from the command line'), JSON.stringify(c.incidents));
		});

		it('each viewer sees the case as their role allows: assigning it opens it to the assignee', async () => {
			const ian = await srv.login('ian');
			expectError(await ian.get(`/api/cases/${ref}`), 404, 'not_found');
			expectJson(await sam.patch(`/api/cases/${ref}`, { assignee: 'ian' }), 200);
			assert.equal(userName(expectJson(await ian.get(`/api/cases/${ref}`), 200).assignee), 'ian');
			assert.equal(userName(expectJson(await ivy.get(`/api/cases/${ref}`), 200).assignee), 'ian');
		});
	});
});
