// Helpers for the crash tests: start `aimcase serve` again on the database of a server that was
// killed, kill it with SIGKILL, and look at the database with the sqlite3 shell.
//
//   await kill9(server)              SIGKILL, resolves once the process is gone
//   await serveAgain(server)         a new Server on the same directory and database (new port)
//   sql(db, query)                   the sqlite3 shell's output lines (throws on any error)
//
// The first server comes from startServer() of tests/api/lib/server.mjs (database, users, serve);
// every later one is started by serveDb() of the same file on the same directory, so that the last
// Server's stop() (SIGTERM, exit 0 expected) removes the shared temporary directory.

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';

import { BIN, REPO, serveDb } from '../api/lib/server.mjs';

export { BIN, REPO };

/** SIGKILL the server's process and wait until it is gone. */
export async function kill9(server) {
	if (server.exit === null) {
		const gone = once(server.proc, 'exit');
		server.proc.kill('SIGKILL');
		await gone;
	}
	if (server.exit === null) server.exit = { code: null, signal: 'SIGKILL' };
}

/** `aimcase serve` again on server.db (the default web and rule directories), a new port. */
export async function serveAgain(server, args = []) {
	const next = await serveDb(server.dir, server.db, { args });
	next.totpSecrets = server.totpSecrets;
	return next;
}

/** Runs one or more SQL statements in the sqlite3 shell; returns the output lines. */
export function sql(db, query) {
	const r = spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', db], {
		input: query, encoding: 'utf8', timeout: 60000,
	});
	if (r.error) throw new Error(`sqlite3: ${r.error.message}`);
	if (r.status !== 0 || r.stderr.trim() !== '') {
		throw new Error(`sqlite3 ${db} exited ${r.status}: ${r.stderr}\nquery: ${query}`);
	}
	return r.stdout.split('\n').filter((l) => l !== '');
}

/** The one number printed by a query. */
export function sqlNumber(db, query) {
	const out = sql(db, query);
	if (out.length !== 1 || !/^-?\d+$/.test(out[0])) throw new Error(`not one number: ${out.join('|')} from ${query}`);
	return Number(out[0]);
}

/**
 * The whole-database checks after a crash: PRAGMA integrity_check is "ok", foreign_key_check
 * finds nothing, and the FTS5 index passes its own integrity-check. Returns a list of problems.
 */
export function dbProblems(db) {
	const problems = [];
	const ic = sql(db, 'PRAGMA integrity_check;');
	if (ic.length !== 1 || ic[0] !== 'ok') problems.push(`integrity_check: ${ic.slice(0, 20).join(' | ')}`);
	const fk = sql(db, 'PRAGMA foreign_key_check;');
	if (fk.length !== 0) problems.push(`foreign_key_check: ${fk.slice(0, 20).join(' | ')}`);
	try {
		sql(db, "INSERT INTO search_fts (search_fts) VALUES ('integrity-check');");
	} catch (err) {
		problems.push(`FTS5 integrity-check: ${err.message.split('\n')[0]}`);
	}
	return problems;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
