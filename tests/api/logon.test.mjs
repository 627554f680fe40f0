// Log-on defences (issue 7): an account locked after 5 failed log-ons, throttling per address
// (429), and the second factor (TOTP, RFC 6238) — enrolled with `aimcase user mfa NAME`,
// required for supervisors, available to everyone, each code good once.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { USERS, cli, expectError, expectJson, startServer, totp } from './lib/server.mjs';

function logon(server, username, password, code) {
	return server.raw('POST', '/api/session', { json: { username, password, ...(code ? { totp: code } : {}) } });
}

describe('lockout after 5 failed log-ons', () => {
	let server;
	before(async () => { server = await startServer(); });
	after(async () => { await server.stop(); });

	test('four failures and a success reset the count; five lock the account for 10 minutes', async () => {
		for (let i = 0; i < 4; i++) expectError(await logon(server, 'ian', 'wrong-Passw0rd-x'), 401, 'bad_credentials', null);
		expectJson(await logon(server, 'ian', USERS.ian.password), 200);
		for (let i = 0; i < 5; i++) expectError(await logon(server, 'ian', 'wrong-Passw0rd-x'), 401, 'bad_credentials', null);
		const locked = await logon(server, 'ian', USERS.ian.password);
		const err = expectError(locked, 429, 'rate_limited', null);
		assert.match(err.message, /locked for 10 more minutes/);
		// another account is not affected
		expectJson(await logon(server, 'ivy', USERS.ivy.password), 200);
		// the lock is in the audit log, as are the failures
		const sam = await server.login('sam');
		const list = expectJson(await sam.get('/api/audit?limit=1000'), 200).entries
			.filter((e) => e.action === 'POST /api/session' && e.detail === 'username=ian');
		assert.equal(list.filter((e) => e.outcome === 401).length, 9);
		assert.equal(list.filter((e) => e.outcome === 429).length, 1);
	});
});

describe('throttling per address', () => {
	let server;
	before(async () => { server = await startServer(); });
	after(async () => { await server.stop(); });

	test('after 20 failures from one address, every log-on from it answers 429 for a while', async () => {
		// spread over accounts (and unknown names) so that no account lock applies
		const names = ['nobody1', 'nobody2', 'ivy', 'paula', 'pat', 'nobody3'];
		for (let i = 0; i < 20; i++) {
			const name = names[i % names.length];
			expectError(await logon(server, name, `wrong-Passw0rd-${i}`), 401, 'bad_credentials', null);
		}
		const err = expectError(await logon(server, 'ivy', USERS.ivy.password), 429, 'rate_limited', null);
		assert.match(err.message, /from this address; try again in \d+ minutes/);
		// sessions already open are not affected
		expectError(await logon(server, 'ian', USERS.ian.password), 429, 'rate_limited', null);
	});
});

describe('second factor (TOTP)', () => {
	let server;
	before(async () => { server = await startServer(); });
	after(async () => { await server.stop(); });

	test('a supervisor needs the code: missing or wrong is 401 mfa_required on field totp; right is 200; each code works once', async () => {
		const secret = server.totpSecrets.sam;
		assert.match(secret, /^[A-Z2-7]{32}$/);
		expectError(await logon(server, 'sam', USERS.sam.password), 401, 'mfa_required', 'totp');
		const now = totp(secret);
		const wrong = now.slice(0, 5) + String((Number(now[5]) + 1) % 10);
		expectError(await logon(server, 'sam', USERS.sam.password, wrong), 401, 'mfa_required', 'totp');
		expectError(await logon(server, 'sam', USERS.sam.password, 'abcdef'), 401, 'mfa_required', 'totp');
		// the code of an independent implementation (oathtool, from Debian) is accepted
		const o = spawnSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' });
		assert.equal(o.status, 0, `oathtool: ${o.stderr} (apt-get install oathtool)`);
		const code = o.stdout.trim();
		assert.equal(code, totp(secret));
		expectJson(await logon(server, 'sam', USERS.sam.password, code), 200);
		// replayed: refused
		expectError(await logon(server, 'sam', USERS.sam.password, code), 401, 'mfa_required', 'totp');
		// a wrong password with a right code is still bad_credentials
		expectError(await logon(server, 'sam', 'wrong-Passw0rd-x', totp(secret, Date.now() / 1000 + 30)), 401, 'bad_credentials', null);
	});

	test('a supervisor without a second factor cannot log in, and is told how to enroll', async () => {
		const add = cli(['user', 'add', 'sue', '--role', 'supervisor', '--password-stdin', '--db', server.db], 'sue-Passw0rd-12\n');
		assert.equal(add.status, 0, add.stderr);
		const err = expectError(await logon(server, 'sue', 'sue-Passw0rd-12'), 401, 'mfa_required', 'totp');
		assert.match(err.message, /aimcase user mfa sue/);
	});

	test('any user may enroll: then the code is required; --remove takes it away', async () => {
		const r = cli(['user', 'mfa', 'paula', '--db', server.db]);
		assert.equal(r.status, 0, r.stderr);
		const secret = /^secret: ([A-Z2-7]{32})$/m.exec(r.stdout)[1];
		assert.match(r.stdout, new RegExp(`^uri: otpauth://totp/aimcase:paula\\?secret=${secret}&issuer=aimcase&algorithm=SHA1&digits=6&period=30$`, 'm'));
		expectError(await logon(server, 'paula', USERS.paula.password), 401, 'mfa_required', 'totp');
		expectJson(await logon(server, 'paula', USERS.paula.password, totp(secret)), 200);
		const rm = cli(['user', 'mfa', 'paula', '--remove', '--db', server.db]);
		assert.equal(rm.status, 0, rm.stderr);
		expectJson(await logon(server, 'paula', USERS.paula.password), 200);
		// an unknown user is rejected (2), a missing name is a usage error (1)
		assert.equal(cli(['user', 'mfa', 'nobody', '--db', server.db]).status, 2);
		assert.equal(cli(['user', 'mfa', '--db', server.db]).status, 1);
	});
});
