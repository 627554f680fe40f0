// GET /api/dashboard, GET /api/cases?mine=, GET /api/users (docs/api.md, "Dashboard" and "Cases").
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, REF_RE, TIME_RE,
} from './lib/server.mjs';

const DEADLINE_KEYS = ['case_ref', 'case_title', 'incident_id', 'platform', 'url', 'requested_at', 'due_at',
	'removed_at', 'overdue'];
const FLAG_KEYS = ['case_ref', 'rule', 'severity', 'field', 'excerpt', 'doc_type', 'doc_id', 'count'];

// Texts the shipped rules flag high or critical (rules/packs/*.rules).
const OPENAI_KEY = 'sk-proj-EXAMPLEexample0_EXAMPLEexample0_EXAMPLEexample0_EXAMPLEexample0_EXAMPLEexa' +
	'T3BlbkFJEXAMPLEexample1-EXAMPLEexample1-EXAMPLEexample1-EXAMPLEexample1-EXAMPLEexa';
const KEY_NARRATIVE = `The coding agent printed OPENAI_API_KEY=${OPENAI_KEY} into the public build log.`; // high
const MINOR_NARRATIVE = 'The victim is a middle school student in the district.'; // critical

/** An RFC 3339 time h hours before now, whole seconds. */
function hoursAgo(h) {
	return new Date(Date.now() - h * 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A Take It Down report whose platforms are [name, requested hours ago or null, removed hours ago or null]. */
function tdWith(title, platforms, over = {}) {
	const b = tdIncident({ title, ...over });
	b.take_it_down.platforms = platforms.map(([name, req, rem]) => ({
		name,
		url: `https://${name.toLowerCase()}.example/p/1`,
		removal_requested_at: req === null ? null : hoursAgo(req),
		removed_at: rem === null ? null : hoursAgo(rem),
	}));
	return b;
}

/** GET /api/dashboard as client; every entry of both lists checked for its fields and case. */
async function dashboard(client) {
	const body = expectJson(await client.get('/api/dashboard'), 200);
	assert.deepEqual(Object.keys(body).sort(), ['deadlines', 'flags']);
	for (const [list, keys] of [[body.deadlines, DEADLINE_KEYS], [body.flags, FLAG_KEYS]]) {
		assert.ok(Array.isArray(list));
		for (const o of list) {
			assert.deepEqual(Object.keys(o).sort(), [...keys].sort(), JSON.stringify(o));
			assert.match(o.case_ref, REF_RE);
		}
	}
	return body;
}

async function mineRefs(client, query = '') {
	const body = expectJson(await client.get(`/api/cases?mine=true&limit=200${query}`), 200);
	assert.equal(body.cases.length, body.total, 'total counts the same cases as the list');
	return body.cases.map((c) => c.ref).sort();
}

describe('dashboard, my cases, users', { timeout: 120000 }, () => {
	let srv;
	let ivy;
	let ian;
	let paula;
	let pat;
	let sam;
	let ivyTd; // ivy's normal take_it_down case: overdue, due soon, removed, never requested
	let ivyMinor; // ivy's restricted take_it_down case (victim_minor), critical flag
	let ivyAi; // ivy's ai_intrusion case, high and medium flags
	let ianTd; // ian's normal take_it_down case
	let ianKey; // ian's ai_intrusion case with an OpenAI key in the narrative

	before(async () => {
		srv = await startServer();
		[ivy, ian, paula, pat, sam] = await Promise.all(['ivy', 'ian', 'paula', 'pat', 'sam'].map((n) => srv.login(n)));
		const file = async (client, body) => expectJson(await client.post('/api/incidents', body), 201).case.ref;
		ivyTd = await file(ivy, tdWith('Dashboard: forged images on three sites', [
			['Overdue', 72, null], ['Soon', 1, null], ['Removed', 100, 60], ['Unasked', null, null],
		]));
		const minor = tdWith('Dashboard: minor victim', [['Restricted', 50, null]], { narrative: MINOR_NARRATIVE });
		minor.take_it_down.victim_minor = true;
		ivyMinor = await file(ivy, minor);
		ivyAi = await file(ivy, aiIncident({ title: 'Dashboard: portal scraped' }));
		ianTd = await file(ian, tdWith('Dashboard: ian forged images', [['Ianboard', 10, null]]));
		ianKey = await file(ian, aiIncident({ title: 'Dashboard: key leaked by an agent', narrative: KEY_NARRATIVE }));
	});
	after(async () => { if (srv) await srv.stop(); });

	describe('GET /api/dashboard deadlines', () => {
		it('has the fields of a deadline, with the case, due 48 hours after the request', async () => {
			const { deadlines } = await dashboard(sam);
			assert.ok(deadlines.length > 0);
			for (const d of deadlines) {
				assert.equal(typeof d.case_title, 'string');
				assert.ok(Number.isInteger(d.incident_id));
				assert.match(d.requested_at, TIME_RE);
				assert.match(d.due_at, TIME_RE);
				assert.equal(Date.parse(d.due_at) - Date.parse(d.requested_at), 48 * 3600e3);
				assert.equal(d.removed_at, null);
				assert.equal(typeof d.overdue, 'boolean');
			}
			const first = deadlines.find((d) => d.platform === 'Overdue');
			assert.equal(first.case_ref, ivyTd);
			assert.equal(first.case_title, 'Dashboard: forged images on three sites');
			assert.equal(first.url, 'https://overdue.example/p/1');
		});
		it('keeps requests not yet removed, earliest due first, overdue past 48 hours', async () => {
			const { deadlines } = await dashboard(sam);
			assert.deepEqual(deadlines.map((d) => [d.platform, d.overdue]),
				[['Overdue', true], ['Restricted', true], ['Ianboard', false], ['Soon', false]]);
			const due = deadlines.map((d) => d.due_at);
			assert.deepEqual(due, [...due].sort());
		});
		it('leaves out removed content and platforms never asked', async () => {
			const { deadlines } = await dashboard(ivy);
			const names = deadlines.map((d) => d.platform);
			assert.ok(!names.includes('Removed') && !names.includes('Unasked'), names.join());
		});
		it('shows only the cases the viewer may see', async () => {
			const of = async (c) => (await dashboard(c)).deadlines.map((d) => d.platform);
			assert.deepEqual(await of(ivy), ['Overdue', 'Restricted', 'Soon']);
			assert.deepEqual(await of(ian), ['Ianboard']);
			// prosecutors: normal cases only, not ivy's restricted one
			assert.deepEqual(await of(paula), ['Overdue', 'Ianboard', 'Soon']);
			assert.deepEqual(await of(pat), ['Overdue', 'Ianboard', 'Soon']);
			const samRefs = (await dashboard(sam)).deadlines.map((d) => d.case_ref);
			assert.ok(samRefs.includes(ivyMinor), 'the supervisor sees the restricted case');
			for (const c of [ian, paula, pat]) {
				assert.ok(!(await dashboard(c)).deadlines.some((d) => d.case_ref === ivyMinor), c.name);
			}
		});
	});

	describe('GET /api/dashboard flags', () => {
		it('lists only critical and high flags, with their fields', async () => {
			const { flags } = await dashboard(sam);
			assert.ok(flags.length > 0);
			for (const f of flags) {
				assert.ok(['critical', 'high'].includes(f.severity), JSON.stringify(f));
				assert.ok(Number.isInteger(f.doc_id) && Number.isInteger(f.count) && f.count >= 1);
				assert.equal(typeof f.excerpt, 'string');
			}
			// ivy's ai case raises medium flags too (headless browser): none of them here
			const full = expectJson(await sam.get(`/api/cases/${ivyAi}`), 200);
			assert.ok(full.flags.some((f) => f.severity === 'medium'), 'the fixture has a medium flag');
			assert.ok(flags.some((f) => f.case_ref === ivyAi), 'and a high one');
		});
		it('holds the critical flag of the restricted case for the supervisor only', async () => {
			const crit = (await dashboard(sam)).flags.find((f) => f.case_ref === ivyMinor);
			assert.equal(crit?.severity, 'critical');
			assert.equal(crit.rule, 'tida.minor.school');
			assert.equal(crit.doc_type, 'incident');
			assert.ok((await dashboard(ivy)).flags.some((f) => f.case_ref === ivyMinor), 'the filer sees it');
			for (const c of [ian, paula, pat]) {
				assert.ok(!(await dashboard(c)).flags.some((f) => f.case_ref === ivyMinor), c.name);
			}
		});
		it('shows an investigator the flags of their own cases only, keys redacted', async () => {
			const ivys = (await dashboard(ivy)).flags.map((f) => f.case_ref);
			assert.ok(!ivys.includes(ianKey) && !ivys.includes(ianTd));
			const res = await ian.get('/api/dashboard');
			const key = expectJson(res, 200).flags.find((f) => f.case_ref === ianKey);
			assert.equal(key?.rule, 'ai.key.openai');
			assert.equal(key.severity, 'high');
			assert.ok(!res.text.includes('sk-proj-'), 'no key in clear');
			assert.ok(res.json.flags.every((f) => f.case_ref === ianKey || f.case_ref === ianTd));
		});
		it('puts the newest first, at most 20', async () => {
			let last = null;
			for (let i = 0; i < 20; i++) {
				const body = aiIncident({ title: `Dashboard: key ${i}`, narrative: KEY_NARRATIVE });
				last = expectJson(await pat.post('/api/incidents', body), 201).case.ref;
			}
			const { flags } = await dashboard(sam);
			assert.equal(flags.length, 20);
			assert.equal(flags[0].case_ref, last, 'the last filed comes first');
			const ids = flags.filter((f) => f.doc_type === 'incident').map((f) => f.doc_id);
			assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
			assert.ok(!flags.some((f) => f.case_ref === ivyMinor), 'older flags fell off');
		});
	});

	describe('GET /api/cases?mine=', () => {
		it('gives an investigator the cases they filed into', async () => {
			assert.deepEqual(await mineRefs(ivy), [ivyTd, ivyMinor, ivyAi].sort());
			assert.deepEqual(await mineRefs(ian), [ianTd, ianKey].sort());
			assert.deepEqual(await mineRefs(ivy, '&kind=ai_intrusion'), [ivyAi]);
		});
		it('gives a prosecutor the cases assigned to them after a PATCH', async () => {
			assert.ok(!(await mineRefs(paula)).includes(ianKey));
			expectJson(await sam.patch(`/api/cases/${ianKey}`, { assignee: 'paula' }), 200);
			expectJson(await paula.patch(`/api/cases/${ivyTd}`, { assignee: 'paula' }), 200);
			assert.deepEqual(await mineRefs(paula), [ianKey, ivyTd].sort());
			assert.ok(!(await mineRefs(pat)).includes(ianKey), 'not her colleague\'s');
			// the investigators still have their cases
			assert.ok((await mineRefs(ian)).includes(ianKey));
		});
		it('mine=false and no mine list every visible case', async () => {
			const all = expectJson(await paula.get('/api/cases?limit=200'), 200);
			const notMine = expectJson(await paula.get('/api/cases?mine=false&limit=200'), 200);
			assert.deepEqual(notMine, all);
			assert.ok(all.total > (await mineRefs(paula)).length);
		});
		it('refuses anything but true or false', async () => {
			for (const v of ['bogus', '1', 'TRUE', '']) {
				expectError(await ivy.get(`/api/cases?mine=${v}`), 400, 'invalid_field', 'mine');
			}
		});
	});

	describe('GET /api/users', () => {
		it('lists every user and role by name for a prosecutor and a supervisor', async () => {
			const want = [['ian', 'investigator'], ['ivy', 'investigator'], ['pat', 'prosecutor'],
				['paula', 'prosecutor'], ['sam', 'supervisor']];
			for (const c of [paula, sam]) {
				const body = expectJson(await c.get('/api/users'), 200);
				assert.deepEqual(Object.keys(body), ['users']);
				for (const u of body.users) assert.deepEqual(Object.keys(u).sort(), ['role', 'username']);
				assert.deepEqual(body.users.map((u) => [u.username, u.role]), want);
			}
		});
		it('is forbidden to investigators', async () => {
			expectError(await ivy.get('/api/users'), 403, 'forbidden');
		});
	});

	it('all three need a session', async () => {
		for (const p of ['/api/dashboard', '/api/users', '/api/cases?mine=true']) {
			expectError(await srv.raw('GET', p), 401, 'unauthorized');
		}
	});
});
