// The audit log (issue 7): every /api/ request — reads, writes, refusals, log-ins — leaves an
// entry (who, what, which object and case, when, from where, the outcome), written before the
// answer; entries are hash-chained, and a changed, removed, inserted or reordered entry is found
// by GET /api/audit/verify and `aimcase audit verify`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { aiIncident, cli, expectError, expectJson, startServer, tdIncident } from './lib/server.mjs';

let server;
let sam;
before(async () => { server = await startServer(); sam = await server.login('sam'); });
after(async () => { await server.stop(); });

/** The entries matching query (an object of GET /api/audit parameters), as sam. */
async function entries(query = {}) {
	const q = new URLSearchParams({ limit: '1000', ...query }).toString();
	const res = await sam.get(`/api/audit?${q}`);
	return expectJson(res, 200).entries;
}

function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
	assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}

describe('what is recorded', () => {
	test('reads, writes and refusals of case data, each with actor, role, address, object, case and outcome', async () => {
		const ivy = await server.login('ivy');
		const ian = await server.login('ian');
		const filed = expectJson(await ivy.post('/api/incidents', aiIncident()), 201);
		const ref = filed.case.ref;
		expectJson(await ivy.get(`/api/cases/${ref}`), 200);
		expectJson(await ivy.get(`/api/incidents/${filed.id}`), 200);
		expectError(await ian.get(`/api/cases/${ref}`), 404, 'not_found');
		const paula = await server.login('paula');
		expectJson(await paula.patch(`/api/cases/${ref}`, { status: 'investigating', assignee: 'pat' }), 200);
		expectJson(await paula.get('/api/search?q=portal'), 200);

		const list = await entries({ case: ref });
		const find = (actor, action, outcome) => list.find((e) => e.actor === actor && e.action === action && e.outcome === outcome);
		const filing = find('ivy', 'POST /api/incidents', 201);
		assert.ok(filing, 'the filing is recorded under its case');
		assert.equal(filing.role, 'investigator');
		assert.equal(filing.address, '127.0.0.1');
		assert.match(filing.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.ok(find('ivy', 'GET /api/cases/{ref}', 200), 'the case read');
		const inc = find('ivy', 'GET /api/incidents/{id}', 200);
		assert.ok(inc, 'the incident read is recorded under its case');
		assert.equal(inc.object, String(filed.id));
		const refused = find('ian', 'GET /api/cases/{ref}', 404);
		assert.ok(refused, 'a refused read of a case is recorded');
		assert.equal(refused.detail, 'not_found');
		const patch = find('paula', 'PATCH /api/cases/{ref}', 200);
		assert.ok(patch);
		assert.equal(patch.detail, 'status=investigating assignee=pat');

		const searches = await entries({ user: 'paula' });
		const search = searches.find((e) => e.action === 'GET /api/search');
		assert.ok(search);
		assert.match(search.detail, /^q=portal total=\d+$/);
		assert.ok(searches.every((e) => e.actor === 'paula'), 'user= filters by actor');
	});

	test('a filing is recorded once whatever its outcome: filed, replayed, refused by the store', async () => {
		const ivy = await server.login('ivy');
		const ian = await server.login('ian');
		const filings = async (actor) => (await entries({ user: actor })).filter((e) => e.action === 'POST /api/incidents');
		const ivyBefore = (await filings('ivy')).length;
		const ianBefore = (await filings('ian')).length;
		const key = `audit-${Date.now()}`;
		const body = aiIncident({ title: 'Filed once, recorded once' });
		const filed = expectJson(await ivy.post('/api/incidents', body, { headers: { 'idempotency-key': key } }), 201);
		expectJson(await ivy.post('/api/incidents', body, { headers: { 'idempotency-key': key } }), 201);
		expectError(await ivy.post('/api/incidents', aiIncident({ title: 'Another body' }), { headers: { 'idempotency-key': key } }), 409, 'conflict');
		// into a case ian cannot see: refused inside the store step
		expectError(await ian.post('/api/incidents', aiIncident({ case_ref: filed.case.ref })), 404, 'not_found', 'case_ref');
		// oldest first: the new ones follow those seen before
		const ivyNew = (await filings('ivy')).slice(ivyBefore);
		const ianNew = (await filings('ian')).slice(ianBefore);
		assert.deepEqual(ivyNew.map((e) => e.outcome).sort(), [201, 201, 409], JSON.stringify(ivyNew));
		assert.ok(ivyNew.filter((e) => e.outcome === 201).every((e) => e.case_ref === filed.case.ref), 'both name the case');
		assert.equal(ivyNew.find((e) => e.outcome === 409).detail, 'conflict');
		assert.deepEqual(ianNew.map((e) => [e.outcome, e.detail, e.case_ref]), [[404, 'not_found', null]]);
	});

	test('log-ins, failed ones included (the name tried, never the password), and calls without a session', async () => {
		const bad = await server.raw('POST', '/api/session', { json: { username: 'ivy', password: 'not-the-Passw0rd' } });
		expectError(bad, 401, 'bad_credentials');
		expectError(await server.raw('GET', '/api/cases'), 401, 'unauthorized');
		const list = await entries();
		const failed = list.filter((e) => e.action === 'POST /api/session' && e.outcome === 401);
		assert.ok(failed.some((e) => e.detail === 'username=ivy' && e.actor === null));
		const anon = list.filter((e) => e.action === 'GET /api/cases' && e.outcome === 401);
		assert.ok(anon.length >= 1 && anon.every((e) => e.actor === null));
		const text = JSON.stringify(list);
		assert.ok(!text.includes('not-the-Passw0rd') && !text.includes('ivy-Passw0rd-1'), 'no password in the log');
	});

	test('CLI commands are recorded too (machine account and the user acted as)', async () => {
		const r = cli(['search', 'portal', '--as', 'sam', '--db', server.db]);
		assert.equal(r.status, 0, r.stderr);
		const list = await entries();
		const e = list.find((x) => x.action === 'cli search');
		assert.ok(e, 'cli search recorded');
		assert.match(e.actor, /^sam@/);
		assert.equal(e.address, 'local');
	});
});

describe('role changes', () => {
	test('`aimcase user role` applies from the next request and is audited with the old and new role', async () => {
		const pat = await server.login('pat');
		expectJson(await pat.get('/api/users'), 200);
		const r = cli(['user', 'role', 'pat', '--role', 'investigator', '--db', server.db]);
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stderr, /pat is now investigator \(was prosecutor\)/);
		expectError(await pat.get('/api/users'), 403, 'forbidden');
		const e = (await entries()).find((x) => x.action === 'cli user role');
		assert.equal(e.object, 'pat');
		assert.equal(e.detail, 'prosecutor -> investigator');
		assert.equal(e.outcome, 0);
		assert.equal(cli(['user', 'role', 'nobody', '--role', 'investigator', '--db', server.db]).status, 2);
		assert.equal(cli(['user', 'role', 'pat', '--role', 'boss', '--db', server.db]).status, 2);
		assert.equal(cli(['user', 'role', 'pat', '--db', server.db]).status, 1);
		assert.equal(cli(['user', 'role', 'pat', '--role', 'prosecutor', '--db', server.db]).status, 0);
	});
});

describe('who may read it', () => {
	test('supervisors only; filters are checked', async () => {
		const paula = await server.login('paula');
		expectError(await paula.get('/api/audit'), 403, 'forbidden');
		expectError(await paula.get('/api/audit/verify'), 403, 'forbidden');
		expectError(await sam.get('/api/audit?limit=0'), 400, 'invalid_field', 'limit');
		expectError(await sam.get('/api/audit?after=yesterday'), 400, 'invalid_field', 'after');
		const future = expectJson(await sam.get('/api/audit?after=2999-01-01'), 200);
		assert.equal(future.total, 0);
		const page = expectJson(await sam.get('/api/audit?limit=2&offset=1'), 200);
		assert.equal(page.entries.length, 2);
		assert.ok(page.total >= 3);
		assert.equal(page.entries[0].id, 2, 'oldest first');
	});
});

describe('the hash chain', () => {
	test('intact: every entry chains to the one before; CLI and API agree on the head', async () => {
		const v = expectJson(await sam.get('/api/audit/verify'), 200);
		assert.equal(v.intact, true);
		assert.equal(v.bad_id, null);
		assert.ok(v.entries > 10);
		assert.match(v.head, /^[0-9a-f]{64}$/);
		const list = await entries();
		for (let i = 1; i < list.length; i++) assert.equal(list[i].prev_hash, list[i - 1].hash);
		const r = cli(['audit', 'verify', '--db', server.db]);
		assert.equal(r.status, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /^audit log intact: \d+ entries, head [0-9a-f]{64}$/m);
	});

	test('the application cannot change or delete an entry (append-only triggers)', () => {
		const r = spawnSync('sqlite3', [server.db, "UPDATE audit_log SET actor = 'x' WHERE id = 1"], { encoding: 'utf8' });
		assert.notEqual(r.status, 0);
		assert.match(r.stderr, /append-only/);
		const d = spawnSync('sqlite3', [server.db, 'DELETE FROM audit_log WHERE id = 1'], { encoding: 'utf8' });
		assert.match(d.stderr, /append-only/);
	});

	// Each tampering is made around the triggers, on a copy of the database, and must be found.
	const tamperings = [
		['a changed entry', "DROP TRIGGER audit_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 3;", 3],
		['a changed outcome', 'DROP TRIGGER audit_no_update; UPDATE audit_log SET outcome = 200 WHERE id = 4;', 4],
		['a removed entry', 'DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE id = 5;', 6],
		['an inserted entry', 'DROP TRIGGER audit_no_update; UPDATE audit_log SET id = id + 1000 WHERE id >= 6; ' +
			'UPDATE audit_log SET id = id - 999 WHERE id >= 1006; ' +
			"INSERT INTO audit_log (id, at, action, outcome, prev_hash, hash) SELECT 6, at, 'GET /api/cases', 200, hash, hash FROM audit_log WHERE id = 5;", 6],
		['two entries swapped', 'DROP TRIGGER audit_no_update; UPDATE audit_log SET id = -7 WHERE id = 7; ' +
			'UPDATE audit_log SET id = 7 WHERE id = 8; UPDATE audit_log SET id = 8 WHERE id = -7;', 7],
	];
	tamperings.forEach(([what, sql, bad], i) => {
		test(`${what} is detected (CLI exit status 2, naming entry ${bad})`, () => {
			const copy = `${server.db}.tamper${i}.db`;
			sqlite(server.db, `VACUUM INTO '${copy}'`);
			sqlite(copy, sql);
			const r = cli(['audit', 'verify', '--db', copy]);
			assert.equal(r.status, 2, r.stdout + r.stderr);
			assert.match(r.stdout, new RegExp(`^audit log BROKEN at entry ${bad}: `, 'm'));
		});
	});

	test('a tampered row in the served database: GET /api/audit/verify says where', async () => {
		sqlite(server.db, "DROP TRIGGER audit_no_update; UPDATE audit_log SET detail = 'username=nobody' WHERE id = 2; " +
			"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
		const v = expectJson(await sam.get('/api/audit/verify'), 200);
		assert.equal(v.intact, false);
		assert.equal(v.bad_id, 2);
		assert.match(v.reason, /^entry 2: .*changed/);
		assert.equal(v.head, null);
	});
});

describe('export for a SIEM', () => {
	test('`aimcase audit export` writes one JSON object per line, oldest first, with filters', async () => {
		const ivy = await server.login('ivy');
		const ref = expectJson(await ivy.post('/api/incidents', tdIncident()), 201).case.ref;
		const r = cli(['audit', 'export', '--case', ref, '--db', server.db]);
		assert.equal(r.status, 0, r.stderr);
		const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
		assert.ok(lines.length >= 1);
		assert.ok(lines.every((e) => e.case_ref === ref));
		for (let i = 1; i < lines.length; i++) assert.ok(lines[i].id > lines[i - 1].id);
		const usage = cli(['audit', 'export', '--after', 'soon', '--db', server.db]);
		assert.equal(usage.status, 2);
		assert.match(usage.stderr, /--after soon: not an RFC 3339 time/);
	});
});
