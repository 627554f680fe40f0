// The command line refuses bad arguments and bad input with the exit codes of API.md
// (1 usage, 2 rejected input) and one clear line on stderr, and changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, REPO } from './lib/server.mjs';

/** What the database holds, as one line (sqlite3 shell). */
function contents(db) {
	const r = spawnSync('sqlite3', [db, "select (select count(*) from users), (select count(*) from api_tokens), (select count(*) from cases), (select count(*) from incidents), (select count(*) from evidence_items), (select count(*) from hashsets)"], { encoding: 'utf8' });
	return r.stdout.trim();
}

describe('command line: bad arguments and bad input', () => {
	let dir, db;
	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-cli-'));
		db = path.join(dir, 'c.db');
		assert.equal(cli(['init', '--db', db]).status, 0);
		assert.equal(cli(['user', 'add', 'ivy', '--role', 'investigator', '--db', db], 'ivy-Passw0rd-1\n').status, 0);
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	const cases = [
		['no command', [], 1],
		['unknown command', ['frobnicate'], 1],
		['--db without a path', ['init', '--db'], 1],
		['user add: unknown role', ['user', 'add', 'x', '--role', 'admin'], 2, 'hunter2-long-enough\n'],
		['user add: short password', ['user', 'add', 'x', '--role', 'prosecutor'], 2, 'short\n'],
		['user add: bad name', ['user', 'add', 'Bad Name', '--role', 'prosecutor'], 2, 'hunter2-long-enough\n'],
		['user add: taken', ['user', 'add', 'ivy', '--role', 'prosecutor'], 2, 'hunter2-long-enough\n'],
		['token create: no such user', ['token', 'create', 'nobody'], 2],
		['serve: bad port', ['serve', '--port', 'eighty'], 1],
		['serve: tls cert without key', ['serve', '--tls-cert', 'x.pem'], 1],
		['import: no --case', ['import', 'x.xml'], 1],
		['import: unknown option', ['import', '--case', 'AIM-2026-00001', '--fast', 'x.xml'], 1],
		['import-incidents: no such user', ['import-incidents', '--as', 'nobody', 'x.ndjson'], 2],
		['search: no query', ['search', '--as', 'ivy'], 1],
		['search: bad limit', ['search', 'x', '--limit', '0', '--as', 'ivy'], 1],
		['search: malformed query', ['search', '(x', '--as', 'ivy'], 2],
		['rescan: unknown rule', ['rescan', '--rule', 'no.such.rule', '--rules', path.join(REPO, 'rules', 'packs')], 2],
		['rules check: no path', ['rules', 'check'], 1],
		['rules check: broken pack', ['rules', 'check', path.join(REPO, 'fixtures', 'rules', 'broken')], 2],
		['hashset import: bad kind', ['hashset', 'import', 'n', '--kind', 'maybe', 'f'], 1],
		// the name becomes part of a rule id (hashset.known-bad.NAME): a rule id's characters only
		['hashset import: a name with a comma', ['hashset', 'import', 'ncmec,2026', '--kind', 'known-bad', '/nonexistent/h.txt'], 2],
		['hashset import: a name in capitals', ['hashset', 'import', 'NSRL', '--kind', 'known-good', '/nonexistent/h.txt'], 2],
		['hashset import: a name of 79 characters', ['hashset', 'import', 'n'.repeat(79), '--kind', 'known-bad', '/nonexistent/h.txt'], 2],
	];
	for (const [name, args, code, input] of cases) {
		it(`${name} → exit ${code}`, () => {
			const before = contents(db);
			const r = cli([...args, '--db', db], input);
			assert.equal(r.status, code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
			assert.ok(r.stderr.trim().length > 0, 'says why on stderr');
			assert.equal(contents(db), before, 'the database is unchanged');
		});
	}

	it('import-incidents: a bad line is reported as file:line and nothing is filed', () => {
		const f = path.join(dir, 'bad.ndjson');
		fs.writeFileSync(f, fs.readFileSync(path.join(REPO, 'fixtures', 'incidents', 'ivy.ndjson'), 'utf8').split('\n')[0] +
			'\n{"kind":"ai_intrusion","title":"x","narrative":"y","occurred_at":"yesterday","ai_intrusion":{"target_system":"a.example","access_vector":"scraping"}}\n');
		const r = cli(['import-incidents', '--as', 'ivy', '--db', db, '--rules', path.join(REPO, 'rules', 'packs'), f]);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /bad\.ndjson:2: occurred_at: not an RFC 3339 time/);
		const s = cli(['search', 'kind:ai_intrusion', '--as', 'ivy', '--db', db]);
		assert.match(s.stdout, /^0 hits/);
	});
});
