// Stopping with requests in flight: requests wait for the group commit with their connection
// suspended (server/http.c), and a daemon must not stop with one suspended; every answer given
// before the stop stands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveDb, expectJson, aiIncident } from './lib/server.mjs';

describe('SIGTERM under load', { timeout: 120000 }, () => {
	it('16 clients filing and reading: a clean exit, and every 201 found after a restart', async () => {
		const srv = await startServer();
		const ivy = srv.bearer('ivy');
		const ref = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Stop under load' })), 201).case.ref;
		const acked = [];
		let errors = 0;
		const client = async (i) => {
			for (let n = 0; ; n++) {
				try {
					const r = await ivy.post('/api/incidents', aiIncident({ title: `Filing ${i}.${n} before the stop`, case_ref: ref }));
					if (r.status === 201) acked.push(r.json.id);
					else if (r.status !== 503) errors++;
					await ivy.get(`/api/cases/${ref}`);
				} catch {
					return; // the server is gone
				}
			}
		};
		const clients = Array.from({ length: 16 }, (_, i) => client(i));
		while (acked.length < 50) await new Promise((r) => setTimeout(r, 20));
		srv.proc.kill('SIGTERM');
		await new Promise((resolve) => (srv.exit !== null ? resolve() : srv.proc.once('exit', resolve)));
		await Promise.all(clients);
		assert.deepEqual(srv.exit, { code: 0, signal: null }, `exit after SIGTERM:\n${srv.stderr.slice(-2000)}`);
		assert.equal(errors, 0);
		const again = await serveDb(srv.dir, srv.db);
		try {
			const c = expectJson(await again.bearer('ivy').get(`/api/cases/${ref}`), 200);
			const ids = new Set(c.incidents.map((x) => x.id));
			const lost = acked.filter((id) => !ids.has(id));
			assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged filings are missing`);
		} finally {
			await again.stop();
		}
	});
});
