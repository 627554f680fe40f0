// Evidence manifests from real forensic tools: hashdeep, md5deep (piecewise) and fiwalk over ext4 and
// FAT images of a seized-laptop directory built here (names with spaces, XML-special characters,
// non-ASCII UTF-8 and raw bytes), uploaded over HTTP and imported with `aimcase import`.
// Checks every entry against the directory itself, the originals byte for byte, who may see them,
// the CLI's lines and exit codes, and hash matches across cases and with take_it_down hashes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	startServer, expectError, expectJson, aiIncident, tdIncident, TIME_RE,
} from './lib/server.mjs';
import {
	seizedTree, writeTree, filesOf, storedPath, unescapeStored, fiwalkName, hasOddBytes, tool,
	countFileobjects, upload, expectManifest, listAll, evidenceTotal, getOriginal, cliImport,
	escapeRe, sha256, content, bytes, objectsListing, chunkedUpload, cutAtOddBytes, cliImportPieces,
	md5, fileIncident,
} from './lib/manifests.mjs';

let server;
let ivy;
let ian;
let paula;
let sam;
let tmp;
let root; // the seized directory: root/Users/...
let files; // filesOf(root)
let caseA; // ivy's case that receives the seized laptop's manifests
const out = {}; // tool outputs: {hashdeep, md5deep, fiwalkExt4, fiwalkFat} as Buffers
const fileOf = {}; // the same outputs as files (for the CLI)
const ids = {}; // manifest ids by name

/** The items of one manifest in a case listing. */
function ofManifest(items, id) {
	return items.filter((i) => i.manifest === id);
}

/** Multiset of "sanitised|path" strings, sorted. */
function keys(list) {
	return list.map((x) => `${x.sanitised ? 'S' : '-'}|${x.path}`).sort();
}

before(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-manifests-'));
	root = path.join(tmp, 'seized');
	writeTree(root, seizedTree());
	files = filesOf(root);
	assert.equal(files.length, seizedTree().length, 'the walk finds every file written');
	assert.ok(files.filter((f) => hasOddBytes(f.rel)).length >= 5, 'the tree has names with raw bytes');

	// hashdeep and md5deep from inside the directory, with relative paths (-l): "Users/jdoe/…"
	out.hashdeep = tool('hashdeep', ['-d', '-r', '-l', '-c', 'md5,sha1,sha256', 'Users'], root);
	out.md5deep = tool('md5deep', ['-d', '-r', '-l', '-p', '4096', 'Users'], root);
	// fiwalk over an ext4 image of the same directory
	tool('mke2fs', ['-q', '-t', 'ext4', '-d', 'seized', 'ext4.img', '8M'], tmp);
	tool('fiwalk', ['-X', 'fiwalk-ext4.xml', 'ext4.img'], tmp);
	out.fiwalkExt4 = fs.readFileSync(path.join(tmp, 'fiwalk-ext4.xml'));
	// fiwalk over a FAT image holding two of the files (times without a zone)
	tool('mkfs.fat', ['-C', '-n', 'EVIDENCE', 'fat.img', '1024'], tmp);
	tool('mmd', ['-i', 'fat.img', '::/DCIM'], tmp);
	tool('mcopy', ['-m', '-i', 'fat.img', 'seized/Users/jdoe/Pictures/Trip 2026/IMG_0001.JPG', '::/DCIM/'], tmp);
	tool('mcopy', ['-m', '-i', 'fat.img', 'seized/Users/jdoe/Documents/Invoice #2291 & receipt.pdf', '::/'], tmp);
	tool('fiwalk', ['-X', 'fiwalk-fat.xml', 'fat.img'], tmp);
	out.fiwalkFat = fs.readFileSync(path.join(tmp, 'fiwalk-fat.xml'));
	for (const [k, v] of Object.entries(out)) {
		fileOf[k] = path.join(tmp, `${k} manifest.xml`);
		fs.writeFileSync(fileOf[k], v);
	}
	// the raw bytes really are in hashdeep's XML (that is the point of the test)
	assert.ok(out.hashdeep.includes(Buffer.from([0xff])) && out.hashdeep.includes(Buffer.from([0x01])),
		'hashdeep copied the raw name bytes');

	server = await startServer();
	ivy = await server.login('ivy');
	ian = await server.login('ian');
	paula = await server.login('paula');
	sam = server.bearer('sam');
	caseA = await fileIncident(ivy, aiIncident({ title: 'Laptop seized at the suspect\'s home' }));
});

after(async () => {
	if (server) await server.stop();
	if (tmp && !process.env.AIMCASE_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
});

test('hashdeep over the seized directory: every file arrives with its exact path, size, hashes and time', async () => {
	const odd = files.filter((f) => hasOddBytes(f.rel)).length;
	const res = await upload(server, ivy, caseA, out.hashdeep);
	const b = expectManifest(res, 201, {
		ref: caseA, data: out.hashdeep, items: files.length, sanitised: odd,
	});
	assert.equal(b.hash_matches, 0, 'nothing to match in a fresh database');
	ids.hashdeep = b.manifest.id;

	// page through with a small page size so that paging itself is exercised
	const { total, items } = await listAll(ivy, caseA, { limit: 7 });
	assert.equal(total, files.length);
	const mine = ofManifest(items, ids.hashdeep);
	assert.equal(mine.length, files.length);

	const expected = files.map((f) => ({ ...f, ...storedPath(f.rel) }));
	assert.deepEqual(keys(mine), keys(expected), 'paths and sanitised flags of the evidence');

	const byKey = new Map(mine.map((i) => [`${i.sanitised}|${i.path}`, i]));
	for (const f of expected) {
		const it = byKey.get(`${f.sanitised}|${f.path}`);
		const what = JSON.stringify(f.path);
		assert.equal(it.size, f.size, `size of ${what}`);
		assert.equal(it.md5, f.md5, `md5 of ${what}`);
		assert.equal(it.sha1, f.sha1, `sha1 of ${what}`);
		assert.equal(it.sha256, f.sha256, `sha256 of ${what}`);
		assert.equal(it.mtime, f.mtime, `mtime of ${what}`);
		assert.equal(it.manifest, ids.hashdeep);
		assert.ok(Number.isInteger(it.id));
		if (f.sanitised) {
			assert.ok(unescapeStored(it.path).equals(f.rel), `${what} maps back to the original bytes`);
		}
	}

	// the named cases, spelled out
	const paths = new Set(mine.map((i) => `${i.sanitised}|${i.path}`));
	for (const [p, s] of [
		['Users/jdoe/Documents/résumé.pdf', false],
		['Users/jdoe/Documents/日本語.txt', false],
		['Users/jdoe/Documents/Q&A <draft> "final".docx', false],
		['Users/jdoe/Music/Beyonc\\xE9/01 Halo.mp3', true],
		['Users/jdoe/Downloads/caf\\xE9 menu.txt', true],
		['Users/jdoe/Downloads/\\xFF\\xFEreport.bin', true],
		['Users/jdoe/Downloads/invoice\\x01.pdf', true],
		['Users/jdoe/Downloads/old\\\\backup\\xE9.zip', true],
		['Users/jdoe/Downloads/back\\slash.txt', false],
		['Users/jdoe/Downloads/bad\\xFFname.bin', false], // four ASCII characters
		['Users/jdoe/Downloads/bad\\xFFname.bin', true], // the raw byte 0xFF
	]) {
		assert.ok(paths.has(`${s}|${p}`), `evidence ${JSON.stringify(p)} (sanitised ${s})`);
	}
});

test('the same bytes again answer 200 already_imported in the same case and add nothing; another case gets its own copy', async () => {
	const before = await evidenceTotal(ivy, caseA);
	const again = expectManifest(await upload(server, ivy, caseA, out.hashdeep), 200,
		{ ref: caseA, data: out.hashdeep, items: files.length });
	assert.equal(again.manifest.id, ids.hashdeep);
	assert.equal(await evidenceTotal(ivy, caseA), before);

	// the same device's manifest in a second case is that case's evidence too, and every
	// non-empty file matches the first case's
	const caseB = await fileIncident(ivy, aiIncident({ title: 'Second device of the same suspect' }));
	const other = expectManifest(await upload(server, ivy, caseB, out.hashdeep), 201,
		{ ref: caseB, data: out.hashdeep, items: files.length });
	assert.notEqual(other.manifest.id, ids.hashdeep);
	assert.equal(other.hash_matches, files.filter((f) => f.size > 0).length);
	assert.equal(await evidenceTotal(ivy, caseA), before);
	assert.equal(await evidenceTotal(ivy, caseB), files.length);
	// and the same bytes again in the second case add nothing there either
	const third = expectManifest(await upload(server, ivy, caseB, out.hashdeep), 200,
		{ ref: caseB, data: out.hashdeep, items: files.length });
	assert.equal(third.manifest.id, other.manifest.id);
	assert.equal(await evidenceTotal(ivy, caseB), files.length);
});

test('md5deep piecewise: each item carries the whole-file md5, not a piece\'s', async () => {
	// the pieces are really there, and differ from the whole for files over one piece
	const xml = out.md5deep.toString('latin1');
	assert.match(xml, /<byte_run file_offset='4096' len='4096'>/);
	const res = await upload(server, ivy, caseA, out.md5deep);
	const b = expectManifest(res, 201, {
		ref: caseA, data: out.md5deep, items: files.length,
		sanitised: files.filter((f) => hasOddBytes(f.rel)).length,
	});
	ids.md5deep = b.manifest.id;
	const mine = ofManifest((await listAll(ivy, caseA)).items, ids.md5deep);
	const expected = files.map((f) => ({ ...f, ...storedPath(f.rel) }));
	assert.deepEqual(keys(mine), keys(expected));
	const byKey = new Map(mine.map((i) => [`${i.sanitised}|${i.path}`, i]));
	let big = 0;
	for (const f of expected) {
		const it = byKey.get(`${f.sanitised}|${f.path}`);
		assert.equal(it.md5, f.md5, `whole-file md5 of ${JSON.stringify(f.path)}`);
		assert.equal(it.size, f.size);
		assert.equal(it.sha1, null);
		assert.equal(it.sha256, null);
		if (f.size > 4096) big++;
	}
	assert.ok(big >= 4, 'several files span more than one piece');
});

test('bytes cut inside every multi-byte sequence and raw byte: HTTP chunked and CLI stdin store the same entries', async () => {
	const expected = keys(files.map((f) => storedPath(f.rel)));
	const odd = files.filter((f) => hasOddBytes(f.rel)).length;
	// new bytes each time (a comment after the root element), so that nothing is "already imported"
	const variant = (tag) => Buffer.concat([out.hashdeep, Buffer.from(`<!-- ${tag} -->\n`)]);

	const caseH = await fileIncident(ivy, aiIncident({ title: 'Copy of the laptop image, sent in pieces' }));
	const h = variant('http chunked');
	const pieces = cutAtOddBytes(h);
	assert.ok(pieces.length > 25, `${pieces.length} pieces`);
	const res = await chunkedUpload(server, ivy, caseH, pieces, { gapMs: 1 });
	expectManifest(res, 201, { ref: caseH, data: h, items: files.length, sanitised: odd });
	assert.deepEqual(keys((await listAll(ivy, caseH)).items), expected);

	const caseC = await fileIncident(ivy, aiIncident({ title: 'Copy of the laptop image, piped in' }));
	const c = variant('cli stdin');
	const r = await cliImportPieces(server.db, ['--case', caseC, '--as', 'ivy'], cutAtOddBytes(c));
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`^<stdin>: ${files.length} entries \\(${odd} sanitised\\) into ${caseC} as manifest \\d+, sha256 ${sha256(c)}, `));
	const items = (await listAll(ivy, caseC)).items;
	assert.deepEqual(keys(items), expected);
	for (const it of items) {
		const f = files.find((x) => unescapeStored(it.path).equals(x.rel) || (!it.sanitised && Buffer.from(it.path).equals(x.rel)));
		assert.ok(f, `no file for ${JSON.stringify(it.path)}`);
		assert.equal(it.sha256, f.sha256);
	}
});

test('a raw CR in a file name (a Mac "Icon\\r" file) is kept, not turned into LF', async () => {
	const mac = path.join(tmp, 'mac');
	writeTree(mac, [
		['Volumes/USB/Icon\r', ''],
		['Volumes/USB/Photos/Icon\r', bytes('icns', content('icon', 64))],
		['Volumes/USB/Photos/Icon\n', 'a different file whose name ends in LF\n'],
	]);
	const xml = tool('hashdeep', ['-d', '-r', '-l', '-c', 'md5,sha256', 'Volumes'], mac);
	assert.ok(xml.includes(Buffer.from('Icon\r</filename>')), 'hashdeep wrote the raw CR');
	const caseM = await fileIncident(ivy, aiIncident({ title: 'USB stick formatted on a Mac' }));
	expectManifest(await upload(server, ivy, caseM, xml), 201, { ref: caseM, items: 3 });
	// each stored path gives back the name's bytes: as it is, or through the \xNN / \\ escapes
	const back = (it) => (it.sanitised ? unescapeStored(it.path) : Buffer.from(it.path, 'utf8'));
	const got = (await listAll(ivy, caseM)).items.map((it) => back(it).toString('latin1')).sort();
	const want = filesOf(mac).map((f) => f.rel.toString('latin1')).sort();
	assert.deepEqual(got, want, 'each name is kept exactly (or sanitised reversibly), and two names stay two');
});

test('fiwalk over an ext4 image: every regular file is there with its size and hashes', async () => {
	const n = countFileobjects(out.fiwalkExt4);
	assert.ok(n > files.length, 'fiwalk lists directories and special entries too');
	const res = await upload(server, ivy, caseA, out.fiwalkExt4);
	const b = expectManifest(res, 201, { ref: caseA, data: out.fiwalkExt4, items: n, sanitised: 0 });
	ids.fiwalkExt4 = b.manifest.id;
	const mine = ofManifest((await listAll(ivy, caseA)).items, ids.fiwalkExt4);
	assert.equal(mine.length, n);
	const byPath = new Map(mine.map((i) => [i.path, i]));
	for (const f of files) {
		const name = fiwalkName(f.rel);
		const it = byPath.get(name);
		assert.ok(it, `fiwalk entry ${JSON.stringify(name)} (of ${JSON.stringify(f.rel.toString('latin1'))})`);
		assert.equal(it.sanitised, false, `fiwalk escapes odd bytes itself: ${name}`);
		assert.equal(it.size, f.size, `size of ${name}`);
		assert.equal(it.alloc, 1, `alloc of ${name}`);
		assert.equal(it.mtime, f.mtime, `mtime of ${name}`);
		if (f.size > 0) {
			assert.equal(it.md5, f.md5, `md5 of ${name}`);
			assert.equal(it.sha1, f.sha1, `sha1 of ${name}`);
		} else {
			assert.ok(it.md5 === null || it.md5 === f.md5, `md5 of the empty ${name}`);
		}
	}
	for (const special of ['.', '..', 'lost+found', '$OrphanFiles', 'Users', 'Users/jdoe/Documents']) {
		assert.ok(byPath.has(special), `fiwalk entry ${special}`);
	}
	// the raw bytes as fiwalk writes them: text, not sanitised by the server
	for (const p of [
		'Users/jdoe/Downloads/caf\\xE9 menu.txt',
		'Users/jdoe/Downloads/\\xFF\\xFEreport.bin',
		'Users/jdoe/Downloads/invoice\\x01.pdf',
		'Users/jdoe/Downloads/bad\\xFFname.bin',
		'Users/jdoe/Downloads/bad\\x5CxFFname.bin',
		'Users/jdoe/Music/Beyonc\\xE9/01 Halo.mp3',
	]) {
		assert.equal(byPath.get(p)?.sanitised, false, `fiwalk entry ${JSON.stringify(p)}`);
	}
});

test('fiwalk over a FAT image: times without a zone are read as UTC', async () => {
	const n = countFileobjects(out.fiwalkFat);
	const b = expectManifest(await upload(server, ivy, caseA, out.fiwalkFat), 201,
		{ ref: caseA, data: out.fiwalkFat, items: n, sanitised: 0 });
	ids.fiwalkFat = b.manifest.id;
	const xml = out.fiwalkFat.toString('utf8');
	const m = /<filename>DCIM\/IMG_0001\.JPG<\/filename>[\s\S]*?<mtime[^>]*>([^<]+)<\/mtime>/.exec(xml);
	assert.ok(m, 'fiwalk wrote an mtime for DCIM/IMG_0001.JPG');
	assert.match(m[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'a FAT time has no zone');
	const mine = ofManifest((await listAll(ivy, caseA)).items, ids.fiwalkFat);
	const img = mine.find((i) => i.path === 'DCIM/IMG_0001.JPG');
	const src = files.find((f) => f.rel.toString() === 'Users/jdoe/Pictures/Trip 2026/IMG_0001.JPG');
	assert.ok(img, 'DCIM/IMG_0001.JPG');
	assert.equal(img.mtime, `${m[1]}Z`);
	assert.match(img.mtime, TIME_RE);
	assert.equal(img.size, src.size);
	assert.equal(img.md5, src.md5);
	assert.ok(mine.some((i) => i.path === '$FAT1'));
});

test('evidence listing: q filters paths (case-insensitive substring), limit and offset page', async () => {
	const all = (await listAll(ivy, caseA)).items;
	assert.ok(all.length > 60);
	for (const q of ['img_0001', 'IMG_0001', 'résumé', '日本語', '&', '<draft>', '"final"', 'jdoe\'s',
		'\\xE9', '\\\\', '\\xFF', 'Beyonc', '%', '_', '#2291', '~$', 'DOWNLOADS/CAF', '$OrphanFiles', 'no such thing']) {
		const want = all.filter((i) => i.path.toLowerCase().includes(q.toLowerCase()));
		const got = await listAll(ivy, caseA, { q, limit: 500 });
		assert.equal(got.total, want.length, `q=${JSON.stringify(q)}: ${got.items.map((i) => i.path).join(', ')}`);
		assert.deepEqual(got.items.map((i) => i.id).sort((x, y) => x - y), want.map((i) => i.id).sort((x, y) => x - y));
	}
	// default page size 50, offset
	const first = expectJson(await ivy.get(`/api/cases/${caseA}/evidence`), 200);
	assert.equal(first.total, all.length);
	assert.equal(first.items.length, 50);
	const page = expectJson(await ivy.get(`/api/cases/${caseA}/evidence?limit=3&offset=5`), 200);
	assert.deepEqual(page.items.map((i) => i.id), first.items.slice(5, 8).map((i) => i.id));
	const beyond = expectJson(await ivy.get(`/api/cases/${caseA}/evidence?offset=100000`), 200);
	assert.equal(beyond.total, all.length);
	assert.deepEqual(beyond.items, []);
	for (const [qs, field] of [
		['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'], ['limit=1.5', 'limit'],
		['limit=-1', 'limit'], ['offset=-1', 'offset'], ['offset=x', 'offset'],
		[`q=${'a'.repeat(513)}`, 'q'], ['q=%01', 'q'],
	]) {
		expectError(await ivy.get(`/api/cases/${caseA}/evidence?${qs}`), 400, 'invalid_field', field);
	}
});

test('evidence listing: q folds the case of ASCII letters only (as documented)', async () => {
	const exact = (await listAll(ivy, caseA, { q: 'résumé' })).total;
	assert.ok(exact > 0);
	assert.equal((await listAll(ivy, caseA, { q: 'RéSUMé' })).total, exact, 'ASCII letters fold');
	// docs/api.md: "case-insensitive for ASCII"; É does not match é
	assert.equal((await listAll(ivy, caseA, { q: 'RÉSUMÉ' })).total, 0, 'non-ASCII letters match as written');
});

test('originals download byte for byte, with X-Content-SHA256; kept as DB.objects/<sha256>', async () => {
	for (const k of ['hashdeep', 'md5deep', 'fiwalkExt4', 'fiwalkFat']) {
		const r = await getOriginal(server, ivy, ids[k]);
		assert.equal(r.status, 200, `${k}: ${r.status} ${r.text.slice(0, 200)}`);
		assert.match(r.contentType, /^application\/xml\b/);
		assert.ok(r.body.equals(out[k]), `${k}: the original differs from the uploaded bytes`);
		assert.equal(r.headers.get('x-content-sha256'), sha256(out[k]));
		assert.equal(r.headers.get('content-length'), String(out[k].length));
		const kept = fs.readFileSync(path.join(server.objectsDir, sha256(out[k])));
		assert.ok(kept.equals(out[k]), `${k}: the kept object differs`);
	}
	assert.ok(objectsListing(server).every((n) => /^[0-9a-f]{64}$/.test(n)), 'only originals in DB.objects');
});

test('another investigator gets 404 on the original, the listing and uploads; a prosecutor and a supervisor see them', async () => {
	const id = ids.hashdeep;
	expectError(await getOriginal(server, ian, id), 404, 'not_found');
	expectError(await ian.get(`/api/cases/${caseA}/evidence`), 404, 'not_found');
	expectError(await ian.get(`/api/cases/${caseA}/evidence?q=jdoe`), 404, 'not_found');
	const before = await evidenceTotal(ivy, caseA);
	expectError(await upload(server, ian, caseA, out.hashdeep), 404, 'not_found');
	assert.equal(await evidenceTotal(ivy, caseA), before);

	for (const c of [paula, sam]) {
		const r = await getOriginal(server, c, id);
		assert.equal(r.status, 200, `${c.name}: ${r.status}`);
		assert.ok(r.body.equals(out.hashdeep));
		const l = await listAll(c, caseA);
		assert.equal(l.total, before);
	}
	expectError(await getOriginal(server, null, id), 401, 'unauthorized');
	expectError(await server.raw('GET', `/api/cases/${caseA}/evidence`), 401, 'unauthorized');
	for (const bad of ['999999', '0', 'abc', '-1']) {
		expectError(await getOriginal(server, sam, bad), 404, 'not_found');
	}
	expectError(await sam.get('/api/cases/AIM-2026-99999/evidence'), 404, 'not_found');
});

test('a restricted case: its manifest original and evidence are hidden from a prosecutor, shown to the supervisor', async () => {
	const caseR = await fileIncident(ivy, tdIncident({ take_it_down: { ...tdIncident().take_it_down, victim_minor: true } }));
	const phone = path.join(tmp, 'minor-phone');
	writeTree(phone, [['DCIM/Camera/IMG_2001.JPG', content('minor phone', 4000)], ['Download/chat export.txt', 'hi\n']]);
	const xml = tool('hashdeep', ['-d', '-r', '-l', '-c', 'md5,sha256', 'DCIM', 'Download'], phone);
	const b = expectManifest(await upload(server, ivy, caseR, xml), 201, { ref: caseR, data: xml, items: 2 });
	for (const c of [paula, ian]) {
		expectError(await getOriginal(server, c, b.manifest.id), 404, 'not_found');
		expectError(await c.get(`/api/cases/${caseR}/evidence`), 404, 'not_found');
	}
	const r = await getOriginal(server, sam, b.manifest.id);
	assert.equal(r.status, 200);
	assert.ok(r.body.equals(xml));
	assert.equal((await listAll(sam, caseR)).total, 2);
	ids.restricted = { id: b.manifest.id, ref: caseR, xml };
});

test('re-uploading a manifest held by a case you may not see does not reveal that case', async () => {
	const { id, ref, xml } = ids.restricted;
	const caseI = await fileIncident(ian, aiIncident({ title: 'Ian\'s copy of the same phone' }));
	const res = await upload(server, ian, caseI, xml);
	assert.ok(res.status < 500, res.text);
	assert.ok(!res.text.includes(ref), `the reply names the restricted case ${ref}: ${res.text}`);
	assert.ok(!(res.json?.manifest?.id === id && res.json?.manifest?.case_ref !== caseI),
		`the reply hands out manifest ${id} of a case ian may not see: ${res.text}`);
});

test('CLI: a manifest already uploaded over HTTP is "already imported" in that case (exit 0, nothing added), and new in another', async () => {
	const before = await evidenceTotal(ivy, caseA);
	let r = cliImport(server.db, ['--case', caseA, '--as', 'ivy', fileOf.md5deep]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`^${escapeRe(fileOf.md5deep)}: already imported as manifest ${ids.md5deep} ` +
		`in ${caseA} \\(sha256 ${sha256(out.md5deep)}\\); nothing added\\n$`));
	assert.equal(await evidenceTotal(ivy, caseA), before);

	const other = await fileIncident(ivy, aiIncident({ title: 'USB stick found in the car' }));
	r = cliImport(server.db, ['--case', other, '--as', 'ivy', fileOf.md5deep]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`^${escapeRe(fileOf.md5deep)}: ${files.length} entries \\(\\d+ sanitised\\) into ${other} as manifest \\d+, ` +
		`sha256 ${sha256(out.md5deep)}, \\d+ hash matches, .*\\n$`));
	assert.equal(await evidenceTotal(ivy, other), files.length);
	assert.equal(await evidenceTotal(ivy, caseA), before);
});

test('CLI: a new manifest imports (exit 0), its entries and original are visible over HTTP', async () => {
	// hashdeep over the Downloads folder only: new bytes, raw names, all already in this case
	const sub = tool('hashdeep', ['-d', '-r', '-l', '-c', 'sha256,md5', 'Users/jdoe/Downloads'], root);
	const file = path.join(tmp, 'Downloads hashdeep.xml');
	fs.writeFileSync(file, sub);
	const dl = files.filter((f) => f.rel.toString('latin1').startsWith('Users/jdoe/Downloads/'));
	const odd = dl.filter((f) => hasOddBytes(f.rel)).length;
	const before = await evidenceTotal(ivy, caseA);

	const r = cliImport(server.db, ['--case', caseA, '--as', 'ivy', file]);
	assert.equal(r.status, 0, r.stderr);
	const m = new RegExp(`^${escapeRe(file)}: (\\d+) entries \\((\\d+) sanitised\\) into (\\S+) as manifest (\\d+), ` +
		'sha256 ([0-9a-f]{64}), (\\d+) hash matches, .*\\n$').exec(r.stdout);
	assert.ok(m, `stdout: ${r.stdout}`);
	assert.equal(Number(m[1]), dl.length);
	assert.equal(Number(m[2]), odd);
	assert.equal(m[3], caseA);
	assert.equal(m[5], sha256(sub));
	// copies of these files are in the cases of the chunked test (not in this case's count)
	assert.equal(Number(m[6]), dl.filter((f) => f.size > 0).length, 'hash matches in other cases');
	const id = Number(m[4]);

	const all = await listAll(ivy, caseA);
	assert.equal(all.total, before + dl.length);
	const mine = ofManifest(all.items, id);
	assert.deepEqual(keys(mine), keys(dl.map((f) => storedPath(f.rel))));
	for (const it of mine) {
		const f = dl.find((x) => storedPath(x.rel).path === it.path && storedPath(x.rel).sanitised === it.sanitised);
		assert.equal(it.sha256, f.sha256);
		assert.equal(it.md5, f.md5);
		assert.equal(it.sha1, null);
	}
	const orig = await getOriginal(server, paula, id);
	assert.equal(orig.status, 200);
	assert.ok(orig.body.equals(sub), 'the original of a CLI import');
	assert.equal(orig.headers.get('x-content-sha256'), sha256(sub));

	// and the same bytes over HTTP now answer 200 already_imported
	const again = expectManifest(await upload(server, ivy, caseA, sub), 200, { ref: caseA, data: sub, items: dl.length });
	assert.equal(again.manifest.id, id);
});

test('CLI: "-" reads the manifest from stdin, raw bytes intact', async () => {
	const music = tool('md5deep', ['-d', '-r', '-l', 'Users/jdoe/Music'], root);
	const r = cliImport(server.db, ['--case', caseA, '--as', 'ivy', '-'], music);
	assert.equal(r.status, 0, r.stderr);
	const m = /^<stdin>: 1 entries \(1 sanitised\) into (\S+) as manifest (\d+), sha256 ([0-9a-f]{64}), /.exec(r.stdout);
	assert.ok(m, `stdout: ${r.stdout}`);
	assert.equal(m[3], sha256(music));
	const items = ofManifest((await listAll(ivy, caseA, { q: 'Halo' })).items, Number(m[2]));
	assert.deepEqual(items.map((i) => [i.path, i.sanitised]), [['Users/jdoe/Music/Beyonc\\xE9/01 Halo.mp3', true]]);
	assert.ok((await getOriginal(server, ivy, Number(m[2]))).body.equals(music));
});

test('CLI: a bad manifest prints FILE:line:col: and exits 2, storing nothing; usage errors exit 1', async () => {
	const before = await evidenceTotal(ivy, caseA);
	const objects = objectsListing(server);

	// an interrupted copy of a real manifest, and one with a DOCTYPE
	const cut = path.join(tmp, 'cut short.xml');
	fs.writeFileSync(cut, out.hashdeep.subarray(0, Math.floor(out.hashdeep.length / 2)));
	const dtd = path.join(tmp, 'doctype.xml');
	fs.writeFileSync(dtd, '<?xml version="1.0"?>\n<!DOCTYPE dfxml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' +
		'<dfxml><fileobject><filename>&x;</filename></fileobject></dfxml>\n');
	const size = path.join(tmp, 'bad size.xml');
	fs.writeFileSync(size, out.hashdeep.toString('latin1').replace(/<filesize>\d+<\/filesize>/, '<filesize>12x</filesize>'), 'latin1');
	for (const f of [cut, dtd, size]) {
		const r = cliImport(server.db, ['--case', caseA, '--as', 'ivy', f]);
		assert.equal(r.status, 2, `${f}: exit ${r.status}\n${r.stdout}${r.stderr}`);
		assert.match(r.stderr, new RegExp(`^${escapeRe(f)}:\\d+:\\d+: \\S.*\\n$`));
		assert.equal(r.stdout, '');
		assert.doesNotMatch(r.stderr, /root:x:0:0/);
	}
	const sizeErr = cliImport(server.db, ['--case', caseA, '--as', 'ivy', size]).stderr;
	const line = out.hashdeep.toString('latin1').split('\n').findIndex((l) => l.includes('<filesize>')) + 1;
	assert.match(sizeErr, new RegExp(`^${escapeRe(size)}:${line}:\\d+: `), 'the line of the bad filesize');

	// one good file and one bad: the good one is imported, the exit status is the worst (2)
	const good = path.join(tmp, 'Public.xml');
	const pub = tool('hashdeep', ['-d', '-r', '-l', '-c', 'sha256', 'Users/Public'], root);
	fs.writeFileSync(good, pub);
	const mixed = cliImport(server.db, ['--case', caseA, '--as', 'ivy', good, cut]);
	assert.equal(mixed.status, 2, mixed.stderr);
	assert.match(mixed.stdout, new RegExp(`^${escapeRe(good)}: 1 entries \\(0 sanitised\\) into ${caseA} as manifest \\d+, `));
	assert.match(mixed.stderr, new RegExp(`^${escapeRe(cut)}:\\d+:\\d+: `));
	assert.equal(await evidenceTotal(ivy, caseA), before + 1);
	assert.deepEqual(objectsListing(server), [...objects, sha256(pub)].sort());

	// usage: exit 1, nothing read
	for (const args of [
		['--as', 'ivy', good],
		['--case', caseA, '--as', 'ivy'],
		['--case', caseA, '--as', 'ivy', '--bogus', good],
	]) {
		const r = cliImport(server.db, args);
		assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status} ${r.stderr}`);
		assert.match(r.stderr, /usage|unknown option/);
		assert.equal(r.stdout, '');
	}
	// a case the user may not see, an unknown user: rejected (2); a missing file: other failure (3)
	const hidden = cliImport(server.db, ['--case', caseA, '--as', 'ian', fileOf.fiwalkFat]);
	assert.equal(hidden.status, 2, hidden.stderr);
	const nobody = cliImport(server.db, ['--case', caseA, '--as', 'nobody', fileOf.fiwalkFat]);
	assert.equal(nobody.status, 2, nobody.stderr);
	const missing = cliImport(server.db, ['--case', caseA, '--as', 'ivy', path.join(tmp, 'no such file.xml')]);
	assert.equal(missing.status, 3, missing.stderr);
	assert.equal(await evidenceTotal(ivy, caseA), before + 1);
	assert.deepEqual(objectsListing(server), [...objects, sha256(pub)].sort());
});

test('hash_matches: the same file in another case counts (sha256 or md5), empty files do not', async () => {
	// a phone of the same suspect: one photo also on the laptop, an empty file, one new file
	const img = files.find((f) => f.rel.toString() === 'Users/jdoe/Pictures/Trip 2026/IMG_0001.JPG');
	const phone = path.join(tmp, 'phone');
	writeTree(phone, [
		['DCIM/Camera/20260614_101500.jpg', fs.readFileSync(path.join(root, 'Users/jdoe/Pictures/Trip 2026/IMG_0001.JPG'))],
		['DCIM/.thumbnails/.nomedia', ''],
		['Download/boarding pass.pdf', bytes('%PDF-1.5\n', content('boarding', 2000))],
	]);
	const caseB = await fileIncident(ivy, aiIncident({ title: 'Phone of the suspect' }));
	const hd = tool('hashdeep', ['-d', '-r', '-l', '-c', 'md5,sha256', '.'], phone);
	const b1 = expectManifest(await upload(server, ivy, caseB, hd), 201, { ref: caseB, items: 3 });
	assert.equal(b1.hash_matches, 1, 'the photo, by sha256/md5, and not the empty file');

	// md5 only (md5deep): matched by md5 against the laptop case
	const md = tool('md5deep', ['-d', '-r', '-l', '.'], phone);
	const b2 = expectManifest(await upload(server, ivy, caseB, md), 201, { ref: caseB, items: 3 });
	assert.equal(b2.hash_matches, 1, 'the photo, by md5');
	const listed = (await listAll(ivy, caseB)).items.filter((i) => i.md5 === img.md5);
	assert.equal(listed.length, 2);

	// a file found nowhere else, and one found only in this same case: no match
	const fresh = path.join(tmp, 'fresh');
	writeTree(fresh, [
		['notes/unrelated.txt', content('unrelated', 400)],
		['backup/boarding pass.pdf', bytes('%PDF-1.5\n', content('boarding', 2000))],
	]);
	const b3 = expectManifest(await upload(server, ivy, caseB, tool('hashdeep', ['-d', '-r', '-l', '.'], fresh)), 201,
		{ ref: caseB, items: 2 });
	assert.equal(b3.hash_matches, 0, 'evidence of the same case is no match');
});

test('hash_matches: a file whose sha256 is a take_it_down content hash counts', async () => {
	const forged = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], content('forged image', 30000));
	const laptop = path.join(tmp, 'laptop2');
	writeTree(laptop, [
		['Users/acq/Pictures/edit_final.png', forged],
		['Users/acq/Documents/threats.txt', 'I will make pictures of you\n'],
	]);
	// the victim's report, with the hash of the image (upper-case: stored lower-case)
	const caseTD = await fileIncident(ivy, tdIncident({
		take_it_down: { ...tdIncident().take_it_down, content_hashes: [sha256(forged).toUpperCase()] },
	}));
	const caseE = await fileIncident(ivy, aiIncident({ title: 'Laptop of the former acquaintance' }));
	const hd = tool('hashdeep', ['-d', '-r', '-l', '-c', 'sha256', 'Users'], laptop);
	const b = expectManifest(await upload(server, ivy, caseE, hd), 201, { ref: caseE, items: 2 });
	assert.equal(b.hash_matches, 1, 'the forged image');
	assert.notEqual(caseTD, caseE);
	assert.equal(await evidenceTotal(ivy, caseTD), 0);

	// a hash reported in a restricted case of another investigator counts too ("any case")
	const second = bytes([0xff, 0xd8, 0xff, 0xe0], content('second forged image', 20000));
	const restricted = await fileIncident(ian, tdIncident({
		take_it_down: { ...tdIncident().take_it_down, victim_minor: true, content_hashes: [sha256(second)] },
	}));
	expectError(await ivy.get(`/api/cases/${restricted}`), 404, 'not_found');
	const more = path.join(tmp, 'laptop3');
	writeTree(more, [['Users/acq/Pictures/IMG_0042.JPG', second], ['Users/acq/Pictures/IMG_0043.JPG', content('ordinary', 9000)]]);
	const hd2 = tool('hashdeep', ['-d', '-r', '-l', '-c', 'sha256', 'Users'], more);
	const b2 = expectManifest(await upload(server, ivy, caseE, hd2), 201, { ref: caseE, items: 2 });
	assert.equal(b2.hash_matches, 1, 'the second forged image');
});
