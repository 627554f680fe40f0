// Manifest uploads with an Idempotency-Key: a retried upload gets the first answer and stores
// nothing new; other bytes or another case under the key are a conflict; concurrent retries store
// one manifest. (Split from manifests.test.mjs, which imports the real tools' outputs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, expectError, expectJson, aiIncident } from './lib/server.mjs';
import {
	writeTree, tool, upload, expectManifest, content, bytes, objectsListing, md5, fileIncident,
} from './lib/manifests.mjs';

let server;
let ivy;
let paula;
let tmp;

before(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-manifests-idem-'));
	server = await startServer();
	ivy = await server.login('ivy');
	paula = await server.login('paula');
});

after(async () => {
	if (server) await server.stop();
	if (tmp && !process.env.AIMCASE_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
});

/** hashdeep over a small directory of its own (new bytes for each tag). */
function smallManifest(tag) {
	const dir = path.join(tmp, `idem-${tag}`);
	writeTree(dir, [
		[`Users/jdoe/Documents/${tag} statement.pdf`, bytes('%PDF-1.6\n', content(`${tag}/pdf`, 3000))],
		[`Users/jdoe/Downloads/${tag}.zip`, bytes('PK\x03\x04', content(`${tag}/zip`, 5000))],
	]);
	return tool('hashdeep', ['-d', '-r', '-l', '-c', 'md5,sha256', 'Users'], dir);
}

/** A hashdeep-style manifest of n entries (other bytes for each tag). */
function manyEntries(tag, n) {
	const rows = [];
	for (let i = 0; i < n; i++) {
		rows.push(`<fileobject><filename>Users/jdoe/${tag}/DCIM/IMG_${String(i).padStart(5, '0')}.JPG</filename>` +
			`<filesize>${1000 + i}</filesize><hashdigest type='MD5'>${md5(`${tag}/${i}`)}</hashdigest></fileobject>`);
	}
	return Buffer.from("<?xml version='1.0' encoding='UTF-8'?>\n<dfxml xmloutputversion='1.0'>\n" +
		'<metadata xmlns=\'http://afflib.org/tcpflow/\' xmlns:dc=\'http://purl.org/dc/elements/1.1/\'>' +
		'<dc:type>Hash List</dc:type></metadata>\n<creator><program>hashdeep</program><version>4.4</version></creator>\n' +
		rows.join('\n') + '\n</dfxml>\n');
}

/** What a case holds: evidence total, manifests and custody events, and the object store. */
async function holdings(client, ref) {
	const c = expectJson(await client.get(`/api/cases/${ref}`), 200);
	return {
		evidence: c.evidence_count, manifests: c.manifests.length, custody: c.custody.length,
		objects: objectsListing(server),
	};
}

const key = (name) => ({ 'idempotency-key': `manifest-${name}-${process.pid}` });

test('Idempotency-Key: the same key and bytes again answer the first 201, byte for byte, and store nothing', async () => {
	const ref = await fileIncident(ivy, aiIncident({ title: 'Idempotent manifest upload' }));
	const data = smallManifest('retry');
	const first = await upload(server, ivy, ref, data, { headers: key('retry') });
	expectManifest(first, 201, { ref, data, items: 2 });
	const held = await holdings(ivy, ref);
	assert.deepEqual([held.evidence, held.manifests, held.custody], [2, 1, 1]);

	// a retry (the client never saw the answer): the first answer, not "already_imported"
	const again = await upload(server, ivy, ref, data, { headers: key('retry') });
	assert.equal(again.status, 201, again.text);
	assert.equal(again.text, first.text, 'the replay is byte-identical');
	// the same user through a bearer token is the same user
	const tok = await upload(server, server.bearer('ivy'), ref, data, { headers: key('retry') });
	assert.equal(tok.status, 201, tok.text);
	assert.equal(tok.text, first.text);
	assert.deepEqual(await holdings(ivy, ref), held, 'nothing new: evidence, manifests, custody, objects');

	// without the key the bytes are a repeat as before: 200 already_imported
	expectManifest(await upload(server, ivy, ref, data), 200, { ref, data, items: 2 });
	assert.deepEqual(await holdings(ivy, ref), held);
});

test('Idempotency-Key: the same key with other bytes, or the same bytes into another case, answers 409', async () => {
	const ref = await fileIncident(ivy, aiIncident({ title: 'Idempotency conflicts' }));
	const other = await fileIncident(ivy, aiIncident({ title: 'Idempotency conflicts, second case' }));
	const data = smallManifest('conflict-a');
	expectManifest(await upload(server, ivy, ref, data, { headers: key('conflict') }), 201, { ref, data });
	const held = await holdings(ivy, ref);
	const heldOther = await holdings(ivy, other);

	const diff = await upload(server, ivy, ref, smallManifest('conflict-b'), { headers: key('conflict') });
	expectError(diff, 409, 'conflict');
	assert.match(diff.json.error.message, /Idempotency-Key/);
	const moved = await upload(server, ivy, other, data, { headers: key('conflict') });
	expectError(moved, 409, 'conflict');
	assert.deepEqual(await holdings(ivy, ref), held, 'nothing stored in the first case');
	assert.deepEqual(await holdings(ivy, other), heldOther, 'nothing stored in the second case');

	// a key is the user's, whatever it was first used for: an incident's key is taken
	const incKey = { 'idempotency-key': `incident-then-manifest-${process.pid}` };
	expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Filed with a key' }), { headers: incKey }), 201);
	expectError(await upload(server, ivy, other, smallManifest('after-incident'), { headers: incKey }), 409, 'conflict');
	assert.deepEqual(await holdings(ivy, other), heldOther);
});

test('Idempotency-Key: a first answer of 200 already_imported is replayed as 200; another user\'s key is another key', async () => {
	const ref = await fileIncident(ivy, aiIncident({ title: 'Idempotent repeat' }));
	const data = smallManifest('repeat');
	expectManifest(await upload(server, ivy, ref, data), 201, { ref, data });
	const held = await holdings(ivy, ref);
	const r1 = await upload(server, ivy, ref, data, { headers: key('repeat') });
	expectManifest(r1, 200, { ref, data });
	const r2 = await upload(server, ivy, ref, data, { headers: key('repeat') });
	assert.equal(r2.status, 200);
	assert.equal(r2.text, r1.text);
	// the key now stands for (this case, these bytes): other bytes conflict
	expectError(await upload(server, ivy, ref, smallManifest('repeat-b'), { headers: key('repeat') }), 409, 'conflict');
	// paula (prosecutor, sees the case) with the same key string: her own key, a plain repeat
	expectManifest(await upload(server, paula, ref, data, { headers: key('repeat') }), 200, { ref, data });
	assert.deepEqual(await holdings(ivy, ref), held);
});

test('Idempotency-Key: two uploads with the same key at once store one manifest; the same bytes get the same answer, other bytes 409', async () => {
	// manifests of 20,000 entries, so that the second is read and checked while the first is
	// still being imported
	const ref = await fileIncident(ivy, aiIncident({ title: 'Concurrent retries' }));
	const data = manyEntries('concurrent', 20000);
	const [a, b] = await Promise.all([0, 1].map(() => upload(server, ivy, ref, data, { headers: key('concurrent') })));
	assert.equal(a.status, 201, a.text);
	assert.equal(b.status, 201, b.text);
	assert.equal(b.text, a.text, 'both get the first answer');
	const held = await holdings(ivy, ref);
	assert.deepEqual([held.evidence, held.manifests, held.custody], [20000, 1, 1]);

	// two different manifests under one key at once: one is stored, the other is a conflict
	const ref2 = await fileIncident(ivy, aiIncident({ title: 'Concurrent conflicting retries' }));
	const both = await Promise.all(['race-a', 'race-b'].map((t) =>
		upload(server, ivy, ref2, manyEntries(t, 20000), { headers: key('race') })));
	assert.deepEqual(both.map((r) => r.status).sort(), [201, 409],
		both.map((r) => `${r.status} ${r.text.slice(0, 300)}`).join('\n'));
	const held2 = await holdings(ivy, ref2);
	assert.deepEqual([held2.evidence, held2.manifests, held2.custody], [20000, 1, 1]);
});

test('Idempotency-Key: a key that is not 1-200 printable ASCII characters answers 400 and stores nothing', async () => {
	const ref = await fileIncident(ivy, aiIncident({ title: 'Bad idempotency keys' }));
	const held = await holdings(ivy, ref);
	for (const bad of ['k'.repeat(201), 'caf\u00e9', 'tab\there']) {
		const res = await upload(server, ivy, ref, smallManifest('badkey'), {
			headers: { 'idempotency-key': Buffer.from(bad, 'utf8').toString('latin1') },
		});
		expectError(res, 400, 'invalid_field', 'Idempotency-Key');
	}
	assert.deepEqual(await holdings(ivy, ref), held);
	expectManifest(await upload(server, ivy, ref, smallManifest('badkey'), { headers: { 'idempotency-key': 'k'.repeat(200) } }), 201, { ref });
});
