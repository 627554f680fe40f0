// Who sees which case (docs/api.md, "Who sees which case"): a case you may not see answers 404 on
// every route and appears in no list.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, userName, ANY_FIELD,
} from './lib/server.mjs';

async function listRefs(client, query = '') {
	const body = expectJson(await client.get(`/api/cases?limit=200${query}`), 200);
	assert.ok(body.total <= 200, 'the test expects every case on one page');
	assert.equal(body.cases.length, body.total, 'total counts only the visible cases');
	return body.cases.map((c) => c.ref);
}

describe('visibility', { timeout: 120000 }, () => {
	let srv;
	let ivy;
	let ian;
	let paula;
	let pat;
	let sam;
	let normal; // {ref, id} of ivy's normal ai_intrusion case and incident
	let restricted; // {ref, id} of ivy's restricted take_it_down case
	let iansCase;

	before(async () => {
		srv = await startServer();
		[ivy, ian, paula, pat, sam] = await Promise.all(['ivy', 'ian', 'paula', 'pat', 'sam'].map((n) => srv.login(n)));
		const r1 = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Ivy normal case' })), 201);
		normal = { ref: r1.case.ref, id: r1.id };
		const body = tdIncident({
			title: 'Minor victim: forged images shared in a school chat',
			narrative: 'A 15-year-old student reported that AI-altered images of her were shared in a class group chat.',
		});
		body.take_it_down.victim_minor = true;
		const r2 = expectJson(await ivy.post('/api/incidents', body), 201);
		restricted = { ref: r2.case.ref, id: r2.id };
		const r3 = expectJson(await ian.post('/api/incidents', aiIncident({ title: 'Ian own case' })), 201);
		iansCase = { ref: r3.case.ref, id: r3.id };
	});
	after(async () => { if (srv) await srv.stop(); });

	describe('another investigator', () => {
		it('gets 404 on GET /api/cases/{ref}', async () => {
			expectError(await ian.get(`/api/cases/${normal.ref}`), 404, 'not_found');
		});
		it('gets 404 on GET /api/incidents/{id}', async () => {
			expectError(await ian.get(`/api/incidents/${normal.id}`), 404, 'not_found');
		});
		it('gets the same answer as for a case that does not exist', async () => {
			const hidden = await ian.get(`/api/cases/${normal.ref}`);
			const none = await ian.get('/api/cases/AIM-2026-99999');
			assert.equal(hidden.status, none.status);
			assert.equal(hidden.json.error.code, none.json.error.code);
		});
		it('gets 404 filing into it via case_ref, and nothing is stored', async () => {
			const res = await ian.post('/api/incidents', aiIncident({ case_ref: normal.ref, title: 'Intruding' }));
			expectError(res, 404, 'not_found', ANY_FIELD);
			const c = expectJson(await ivy.get(`/api/cases/${normal.ref}`), 200);
			assert.equal(c.incidents.length, 1);
		});
		it('gets 404 on PATCH and notes too (before the role check reveals anything)', async () => {
			const p = await ian.patch(`/api/cases/${normal.ref}`, { status: 'open' });
			assert.ok(p.status === 404 || p.status === 403, `PATCH: ${p.status}`);
			const n = await ian.post(`/api/cases/${normal.ref}/notes`, { text: 'x' });
			assert.ok(n.status === 404 || n.status === 403, `notes: ${n.status}`);
		});
		it('does not see it in GET /api/cases, with or without filters', async () => {
			const refs = await listRefs(ian);
			assert.ok(!refs.includes(normal.ref));
			assert.ok(!refs.includes(restricted.ref));
			assert.ok(refs.includes(iansCase.ref), 'ian sees his own case');
			assert.ok(!(await listRefs(ian, '&kind=ai_intrusion')).includes(normal.ref));
			assert.ok(!(await listRefs(ian, '&status=open')).includes(normal.ref));
		});
		it('and ivy does not see ian\'s case', async () => {
			expectError(await ivy.get(`/api/cases/${iansCase.ref}`), 404, 'not_found');
			assert.ok(!(await listRefs(ivy)).includes(iansCase.ref));
		});
	});

	describe('prosecutors and normal cases', () => {
		it('a prosecutor sees normal cases in the list and in full', async () => {
			for (const p of [paula, pat]) {
				const refs = await listRefs(p);
				assert.ok(refs.includes(normal.ref));
				assert.ok(refs.includes(iansCase.ref));
				const c = expectJson(await p.get(`/api/cases/${normal.ref}`), 200);
				assert.equal(c.sensitivity, 'normal');
				expectJson(await p.get(`/api/incidents/${normal.id}`), 200);
			}
		});
	});

	describe('restricted cases', () => {
		it('a take_it_down with victim_minor true opens a restricted case', async () => {
			const c = expectJson(await ivy.get(`/api/cases/${restricted.ref}`), 200);
			assert.equal(c.sensitivity, 'restricted');
			assert.equal(c.kind, 'take_it_down');
		});

		it('the filing investigator sees her restricted case, in the list too', async () => {
			assert.ok((await listRefs(ivy)).includes(restricted.ref));
			const inc = expectJson(await ivy.get(`/api/incidents/${restricted.id}`), 200);
			assert.equal(inc.take_it_down.victim_minor, true);
		});

		it('an unassigned prosecutor gets 404 and does not see it in lists', async () => {
			expectError(await paula.get(`/api/cases/${restricted.ref}`), 404, 'not_found');
			expectError(await paula.get(`/api/incidents/${restricted.id}`), 404, 'not_found');
			expectError(await paula.patch(`/api/cases/${restricted.ref}`, { assignee: 'paula' }), 404, 'not_found');
			expectError(await paula.post(`/api/cases/${restricted.ref}/notes`, { text: 'peek' }), 404, 'not_found');
			assert.ok(!(await listRefs(paula)).includes(restricted.ref));
			assert.ok(!(await listRefs(paula, '&kind=take_it_down')).includes(restricted.ref));
			const byStatus = expectJson(await paula.get('/api/cases?kind=take_it_down'), 200);
			assert.ok(byStatus.cases.every((c) => c.sensitivity !== 'restricted'));
		});

		it('another investigator cannot file into it (404)', async () => {
			const body = tdIncident({ case_ref: restricted.ref });
			expectError(await ian.post('/api/incidents', body), 404, 'not_found', ANY_FIELD);
		});

		it('a supervisor sees everything', async () => {
			const refs = await listRefs(sam);
			for (const r of [normal.ref, restricted.ref, iansCase.ref]) assert.ok(refs.includes(r), `${r} not in sam's list`);
			const c = expectJson(await sam.get(`/api/cases/${restricted.ref}`), 200);
			assert.equal(c.sensitivity, 'restricted');
			expectJson(await sam.get(`/api/incidents/${restricted.id}`), 200);
			expectJson(await sam.get(`/api/cases/${iansCase.ref}`), 200);
		});

		it('after a supervisor assigns paula, paula sees it; pat still gets 404', async () => {
			const c = expectJson(await sam.patch(`/api/cases/${restricted.ref}`, { assignee: 'paula' }), 200);
			assert.equal(userName(c.assignee), 'paula');
			assert.equal(c.sensitivity, 'restricted');
			const seen = expectJson(await paula.get(`/api/cases/${restricted.ref}`), 200);
			assert.equal(seen.ref, restricted.ref);
			expectJson(await paula.get(`/api/incidents/${restricted.id}`), 200);
			assert.ok((await listRefs(paula)).includes(restricted.ref));
			expectError(await pat.get(`/api/cases/${restricted.ref}`), 404, 'not_found');
			expectError(await pat.get(`/api/incidents/${restricted.id}`), 404, 'not_found');
			assert.ok(!(await listRefs(pat)).includes(restricted.ref));
			expectError(await ian.get(`/api/cases/${restricted.ref}`), 404, 'not_found');
		});

		it('the assigned prosecutor may add a note; the case stays hidden from the others', async () => {
			expectJson(await paula.post(`/api/cases/${restricted.ref}/notes`, { text: 'Routed to the CSAM unit.' }), 201);
			expectError(await pat.post(`/api/cases/${restricted.ref}/notes`, { text: 'x' }), 404, 'not_found');
		});

		it('when the assignment moves to pat, paula loses sight of it', async () => {
			expectJson(await sam.patch(`/api/cases/${restricted.ref}`, { assignee: 'pat' }), 200);
			expectJson(await pat.get(`/api/cases/${restricted.ref}`), 200);
			expectError(await paula.get(`/api/cases/${restricted.ref}`), 404, 'not_found');
			assert.ok(!(await listRefs(paula)).includes(restricted.ref));
			expectJson(await ivy.get(`/api/cases/${restricted.ref}`), 200);
		});
	});

	describe('assignment opens a case to an investigator', () => {
		it('ian sees ivy\'s normal case once it is assigned to him', async () => {
			expectJson(await sam.patch(`/api/cases/${normal.ref}`, { assignee: 'ian' }), 200);
			expectJson(await ian.get(`/api/cases/${normal.ref}`), 200);
			assert.ok((await listRefs(ian)).includes(normal.ref));
		});
	});
});
