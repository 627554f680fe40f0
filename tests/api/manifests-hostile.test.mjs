// Evidence manifests: hostile and bad uploads. Each must answer 4xx with the error shape within one
// second, store nothing (no evidence, no manifest id, no file left in DB.objects) and leave the
// server answering. Also: the captured real manifests of fixtures/manifests/, a generated
// fiwalk-style manifest of a few thousand entries, and the size and entry limits of
// `serve --max-manifest-bytes/--max-manifest-entries`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
	startServer, expectError, expectJson, aiIncident, REPO,
} from './lib/server.mjs';
import {
	upload, expectManifest, listAll, evidenceTotal, getOriginal, countFileobjects, objectsListing,
	expectObjects, chunkedUpload, md5, sha1, xmlText,
} from './lib/manifests.mjs';

const FIXTURES = path.join(REPO, 'fixtures', 'manifests');
const H = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML';

let server; // default limits
let small; // --max-manifest-bytes 65536 --max-manifest-entries 100
let ivy;
let ian;
let sam;
let caseA;
let lastId; // the newest manifest id on `server`
let smallIvy;
let smallCase;

/** One DFXML manifest with a single <fileobject> holding `inner`. */
function one(inner) {
	return `${H}<dfxml xmlns="${NS}" version="1.0">\n  <fileobject>\n    ${inner}\n  </fileobject>\n</dfxml>\n`;
}

/** A fiwalk-style manifest of n entries (in <volume>, with parent_object inodes and byte runs). */
function fiwalkStyle(n, { seed = 'gen' } = {}) {
	const entries = [];
	const parts = [`<?xml version='1.0' encoding='UTF-8'?>
<dfxml
  xmlns='${NS}'
  xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'
  xmlns:dc='http://purl.org/dc/elements/1.1/'
  version='1.0'>
  <metadata>
    <dc:type>Disk Image</dc:type>
  </metadata>
  <creator version='1.0'>
    <program>fiwalk</program>
    <version>4.11.1</version>
    <execution_environment>
      <command_line>fiwalk -X seized-phone.xml seized-phone.E01</command_line>
      <start_time>2026-11-02T08:15:00Z</start_time>
    </execution_environment>
  </creator>
  <source>
    <image_filename>seized-phone.E01</image_filename>
  </source>
  <volume offset='1048576'>
    <partition_offset>1048576</partition_offset>
    <block_size>4096</block_size>
    <ftype>8192</ftype>
    <ftype_str>ext4</ftype_str>
`];
	const dirs = ['DCIM/Camera', 'Download', 'WhatsApp/Media/WhatsApp Images', 'Android/data/com.example.chat/cache',
		'Documents/Contracts & Invoices', 'Music/Beyoncé', 'Pictures/Screenshots', 'Telegram/Telegram Documents'];
	for (let i = 0; i < n; i++) {
		const dir = dirs[i % dirs.length];
		const name = i % 97 === 0 ? `réunion <${i}> "notes".txt` : `IMG_${String(20260000 + i)}.jpg`;
		const p = `${dir}/${name}`;
		const size = (i * 7919) % 5000000;
		const hmd5 = md5(`${seed}/${i}`);
		const hsha1 = sha1(`${seed}/${i}`);
		const alloc = i % 10 === 0 ? 0 : 1;
		const t = new Date(Date.UTC(2026, 0, 1) + i * 61000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		entries.push({ path: p, size, md5: hmd5, sha1: hsha1, alloc, mtime: t });
		// half of them carry a decoy digest inside a byte_run after the file's own (md5deep-style)
		const decoy = i % 2 === 1
			? `        <byte_run file_offset='0' len='4096'><hashdigest type='md5'>${md5(`decoy/${i}`)}</hashdigest></byte_run>\n`
			: '';
		parts.push(`    <fileobject>
      <parent_object>
        <inode>${11 + (i % dirs.length)}</inode>
      </parent_object>
      <filename>${xmlText(p)}</filename>
      <partition>1</partition>
      <id>${i + 1}</id>
      <name_type>r</name_type>
      <filesize>${size}</filesize>
      <alloc>${alloc}</alloc>
      <used>1</used>
      <inode>${5000 + i}</inode>
      <meta_type>1</meta_type>
      <mode>420</mode>
      <nlink>1</nlink>
      <uid>10123</uid>
      <gid>10123</gid>
      <mtime>${t}</mtime>
      <ctime>${t}</ctime>
      <atime>${t}</atime>
      <crtime>${t}</crtime>
      <byte_runs>
        <byte_run file_offset='0' fs_offset='${4096 * (1000 + i)}' img_offset='${1048576 + 4096 * (1000 + i)}' len='${size}'/>
      </byte_runs>
      <hashdigest type='md5'>${hmd5}</hashdigest>
      <hashdigest type='sha1'>${hsha1}</hashdigest>
${decoy}    </fileobject>
`);
	}
	parts.push('  </volume>\n</dfxml>\n');
	return { xml: Buffer.from(parts.join(''), 'utf8'), entries };
}

before(async () => {
	server = await startServer();
	ivy = await server.login('ivy');
	ian = await server.login('ian');
	sam = server.bearer('sam');
	caseA = expectJson(await ivy.post('/api/incidents', aiIncident()), 201).case.ref;
	small = await startServer({ args: ['--max-manifest-bytes', '65536', '--max-manifest-entries', '100'] });
	smallIvy = await small.login('ivy');
	smallCase = expectJson(await smallIvy.post('/api/incidents', aiIncident()), 201).case.ref;
});

after(async () => {
	if (server) await server.stop();
	if (small) await small.stop();
});

test('the captured real manifests (fixtures/manifests) import with all their entries', async () => {
	const want = { 'hashdeep-rawbytes.xml': 3, 'md5deep-piecewise.xml': 3, 'fiwalk-ext4.xml': 0, 'fiwalk-fat.xml': 0 };
	let total = 0;
	for (const [name, sanitised] of Object.entries(want)) {
		const data = fs.readFileSync(path.join(FIXTURES, name));
		assert.ok(data.length < 40 * 1024, `${name} is small`);
		const n = countFileobjects(data);
		const b = expectManifest(await upload(server, ivy, caseA, data), 201, { ref: caseA, data, items: n, sanitised });
		lastId = b.manifest.id;
		total += n;
		assert.ok((await getOriginal(server, ivy, lastId)).body.equals(data));
	}
	assert.equal(await evidenceTotal(ivy, caseA), total);
	const sane = (await listAll(ivy, caseA, { q: 'Downloads/bad' })).items.map((i) => [i.path, i.sanitised]).sort();
	assert.deepEqual(sane, [
		['Users/jdoe/Downloads/bad\\xFFname.bin', false], // fiwalk's own text
		['Users/jdoe/Downloads/bad\\xFFname.bin', true], // hashdeep's raw byte
		['Users/jdoe/Downloads/bad\\xFFname.bin', true], // md5deep's raw byte
	]);
});

// ---------------------------------------------------------------------------------------------
// Hostile and bad bodies: [name, body, status, code(s)]. 400s carry a "line:col: " message.

const laughs = `${H}<!DOCTYPE dfxml [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<dfxml><fileobject><filename>&lol9;</filename></fileobject></dfxml>
`;

const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360' +
	'0000000200015e2a0b4a0000000049454e44ae426082', 'hex');

const realHashdeep = () => fs.readFileSync(path.join(FIXTURES, 'hashdeep-rawbytes.xml'));

const hostile = [
	['XXE: external entity SYSTEM file:///etc/passwd',
		`${H}<!DOCTYPE dfxml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<dfxml><fileobject><filename>&xxe;</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['billion laughs (internal entities, 10^9 expansion)', laughs, 400, 'invalid_manifest'],
	['parameter entity fetching a remote DTD',
		`${H}<!DOCTYPE dfxml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n<dfxml/>\n`,
		400, 'invalid_manifest'],
	['external DTD',
		`${H}<!DOCTYPE dfxml SYSTEM "http://127.0.0.1:9/dfxml.dtd">\n<dfxml><fileobject><filename>a</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['deep nesting, 10,000 levels',
		`${H}<dfxml><fileobject><filename>a</filename>${'<x>'.repeat(10000)}${'</x>'.repeat(10000)}</fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['a 1 MB attribute',
		`${H}<dfxml><fileobject><filename note="${'A'.repeat(1 << 20)}">a.txt</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['a 200 KB filename', one(`<filename>Users/jdoe/${'x'.repeat(200 * 1024)}.txt</filename>`), 400, 'invalid_manifest'],
	['a real manifest cut short', () => { const b = realHashdeep(); return b.subarray(0, Math.floor(b.length * 0.6)); },
		400, 'malformed_xml'],
	['a PNG image', PNG, 400, 'malformed_xml'],
	['JSON', JSON.stringify({ fileobject: [{ filename: 'a.txt', filesize: 3 }] }), 400, 'malformed_xml'],
	['an empty body', '', 400, 'malformed_xml'],
	['mismatched tags', one('<filename>a.txt</filesize>'), 400, 'malformed_xml'],
	['a second root element', `${H}<dfxml></dfxml>\n<dfxml></dfxml>\n`, 400, 'malformed_xml'],
	['wrong root element', `${H}<hashlist><fileobject><filename>a</filename></fileobject></hashlist>\n`, 400, 'invalid_manifest'],
	['filesize "12x"', one('<filename>a.txt</filename><filesize>12x</filesize>'), 400, 'invalid_manifest'],
	['negative filesize', one('<filename>a.txt</filename><filesize>-12</filesize>'), 400, 'invalid_manifest'],
	['inode not a number', one('<filename>a.txt</filename><inode>0x1F</inode>'), 400, 'invalid_manifest'],
	['md5 of 31 characters', one(`<filename>a.txt</filename><hashdigest type="md5">${'d41d8cd98f00b204e9800998ecf8427e'.slice(0, 31)}</hashdigest>`),
		400, 'invalid_manifest'],
	['sha256 with a non-hex character', one(`<filename>a.txt</filename><hashdigest type="SHA256">${'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'}g</hashdigest>`),
		400, 'invalid_manifest'],
	['sha1 of 41 characters', one(`<filename>a.txt</filename><hashdigest type="sha1">${'a'.repeat(41)}</hashdigest>`),
		400, 'invalid_manifest'],
	['a time that is not ISO 8601', one('<filename>a.txt</filename><mtime>2026-13-45T99:00:00Z</mtime>'), 400, 'invalid_manifest'],
	['fileobject without filename', one('<filesize>12</filesize><hashdigest type="md5">d41d8cd98f00b204e9800998ecf8427e</hashdigest>'),
		400, 'invalid_manifest'],
	// An undeclared entity is a well-formedness error in XML 1.0 (no DTD): either code is acceptable.
	['an undefined entity &foo;', one('<filename>a&foo;b.txt</filename>'), 400, ['invalid_manifest', 'malformed_xml']],
	['a bad entry after 500 good ones', () => {
		const good = Array.from({ length: 500 }, (_, i) => `<fileobject><filename>f${i}.txt</filename><filesize>${i}</filesize></fileobject>\n`).join('');
		return `${H}<dfxml>\n${good}<fileobject><filename>z</filename><filesize>1e3</filesize></fileobject>\n</dfxml>\n`;
	}, 400, 'invalid_manifest'],
];

for (const [name, body, status, codes] of hostile) {
	test(`hostile upload refused, nothing stored: ${name}`, async () => {
		const data = typeof body === 'function' ? body() : body;
		const total = await evidenceTotal(ivy, caseA);
		const objects = objectsListing(server);
		const res = await upload(server, ivy, caseA, data);
		const code = [codes].flat().includes(res.json?.error?.code) ? res.json.error.code : [codes].flat()[0];
		const e = expectError(res, status, code);
		assert.ok(res.ms < 1000, `answered in ${res.ms.toFixed(0)} ms`);
		if (status === 400) assert.match(e.message, /^\d+:\d+: \S/, 'the message starts with line:col:');
		assert.doesNotMatch(res.text, /root:x:0:0|lollollol/);
		assert.equal(await evidenceTotal(ivy, caseA), total, 'no evidence added');
		expectError(await getOriginal(server, sam, lastId + 1), 404, 'not_found');
		await expectObjects(server, objects);
		const h = await server.raw('GET', '/healthz');
		assert.equal(h.status, 200);
	});
}

test('refused before parsing: wrong content type (415), no session (401), no CSRF token (403), a case not visible (404)', async () => {
	const ok = one('<filename>Users/jdoe/Desktop/plan.txt</filename><filesize>10</filesize>');
	const total = await evidenceTotal(ivy, caseA);
	const objects = objectsListing(server);
	const checks = [
		[() => upload(server, ivy, caseA, ok, { contentType: 'application/json' }), 415, 'unsupported_media_type'],
		[() => upload(server, ivy, caseA, ok, { contentType: 'text/plain' }), 415, 'unsupported_media_type'],
		[() => upload(server, ivy, caseA, ok, { contentType: null }), 415, 'unsupported_media_type'],
		[() => upload(server, null, caseA, ok), 401, 'unauthorized'],
		[() => upload(server, { cookie: ivy.cookie }, caseA, ok), 403, 'csrf_failed'],
		[() => upload(server, ian, caseA, ok), 404, 'not_found'],
		[() => upload(server, ian, caseA, `${H}<!DOCTYPE dfxml [<!ENTITY x SYSTEM "file:///etc/passwd">]><dfxml>&x;</dfxml>`), 404, 'not_found'],
		[() => upload(server, ivy, 'AIM-2026-99999', ok), 404, 'not_found'],
		[() => upload(server, ivy, 'AIM-26-1', ok), 404, 'not_found'],
	];
	for (const [send, status, code] of checks) {
		const res = await send();
		expectError(res, status, code);
		assert.ok(res.ms < 1000, `answered in ${res.ms.toFixed(0)} ms`);
	}
	assert.equal(await evidenceTotal(ivy, caseA), total);
	expectError(await getOriginal(server, sam, lastId + 1), 404, 'not_found');
	await expectObjects(server, objects);
	assert.equal((await server.raw('GET', '/healthz')).status, 200);
});

test('text/xml and a charset parameter are accepted; namespace prefixes do not matter', async () => {
	const a = Buffer.from(`${H}<d:dfxml xmlns:d="${NS}"><d:fileobject><d:filename>Users/jdoe/Desktop/plan.txt</d:filename>` +
		'<d:filesize>10</d:filesize><d:hashdigest type="MD5">D41D8CD98F00B204E9800998ECF8427E</d:hashdigest></d:fileobject></d:dfxml>\n');
	const b1 = expectManifest(await upload(server, ivy, caseA, a, { contentType: 'text/xml' }), 201, { ref: caseA, data: a, items: 1 });
	const b = one('<filename>Users/jdoe/Desktop/plan (2).txt</filename>');
	const b2 = expectManifest(await upload(server, ivy, caseA, b, { contentType: 'application/xml; charset=utf-8' }), 201,
		{ ref: caseA, items: 1 });
	assert.equal(b2.manifest.id, b1.manifest.id + 1);
	assert.equal(b1.manifest.id, lastId + 1, 'no refused upload used up a manifest id');
	lastId = b2.manifest.id;
	const items = (await listAll(ivy, caseA, { q: 'Desktop/plan' })).items;
	assert.deepEqual(items.map((i) => [i.path, i.size, i.md5]).sort(), [
		['Users/jdoe/Desktop/plan (2).txt', null, null],
		['Users/jdoe/Desktop/plan.txt', 10, 'd41d8cd98f00b204e9800998ecf8427e'],
	]);
});

test('a generated fiwalk-style manifest of 3,000 entries imports every entry exactly', async () => {
	const n = 3000;
	const { xml, entries } = fiwalkStyle(n);
	const caseG = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Phone image, 3,000 files' })), 201).case.ref;
	const res = await upload(server, ivy, caseG, xml);
	const b = expectManifest(res, 201, { ref: caseG, data: xml, items: n, sanitised: 0 });
	assert.equal(b.manifest.id, lastId + 1, 'no refused upload used up a manifest id');
	lastId = b.manifest.id;
	assert.ok(res.ms < 10000, `imported in ${res.ms.toFixed(0)} ms`);
	const { total, items } = await listAll(ivy, caseG, { limit: 500 });
	assert.equal(total, n);
	const want = entries.map((e) => JSON.stringify([e.path, e.size, e.md5, e.sha1, e.alloc, e.mtime])).sort();
	const got = items.map((i) => JSON.stringify([i.path, i.size, i.md5, i.sha1, i.alloc, i.mtime])).sort();
	assert.deepEqual(got, want);
	assert.ok(items.every((i) => i.manifest === lastId && i.sanitised === false && i.sha256 === null));
	assert.ok((await getOriginal(server, ivy, lastId)).body.equals(xml));
});

test('over --max-manifest-bytes: 413 too_large, with Content-Length and chunked, nothing stored', async () => {
	const total = await evidenceTotal(smallIvy, smallCase);
	const objects = objectsListing(small);
	const big = Buffer.concat([Buffer.from(`${H}<dfxml>\n`),
		Buffer.from(Array.from({ length: 4000 }, (_, i) => `<fileobject><filename>Users/jdoe/Downloads/file ${i}.bin</filename><filesize>${i}</filesize></fileobject>\n`).join('')),
		Buffer.from('</dfxml>\n')]);
	assert.ok(big.length > 4 * 65536);
	const r1 = await upload(small, smallIvy, smallCase, big);
	expectError(r1, 413, 'too_large');
	assert.ok(r1.ms < 1000, `answered in ${r1.ms.toFixed(0)} ms`);

	const huge = Buffer.alloc(8 << 20, 0x41);
	const r2 = await upload(small, smallIvy, smallCase, Buffer.concat([Buffer.from(`${H}<dfxml><fileobject><filename>`), huge]));
	expectError(r2, 413, 'too_large');
	assert.ok(r2.ms < 1000, `answered in ${r2.ms.toFixed(0)} ms`);

	const chunks = [`${H}<dfxml>\n`, ...Array.from({ length: 300 }, (_, i) =>
		`<fileobject><filename>Users/jdoe/Videos/clip ${i}${'_'.repeat(900)}.mp4</filename></fileobject>\n`), '</dfxml>\n'];
	const r3 = await chunkedUpload(small, smallIvy, smallCase, chunks);
	expectError(r3, 413, 'too_large');
	assert.ok(r3.ms < 1000, `answered in ${r3.ms.toFixed(0)} ms`);

	assert.equal(await evidenceTotal(smallIvy, smallCase), total);
	await expectObjects(small, objects);
	assert.equal((await small.raw('GET', '/healthz')).status, 200);
});

test('over --max-manifest-entries: 413 too_large, nothing stored; exactly the limit imports', async () => {
	const make = (n) => `${H}<dfxml>\n${Array.from({ length: n }, (_, i) =>
		`<fileobject><filename>DCIM/IMG_${1000 + i}.JPG</filename><filesize>${i}</filesize></fileobject>\n`).join('')}</dfxml>\n`;
	const total = await evidenceTotal(smallIvy, smallCase);
	const objects = objectsListing(small);
	const over = await upload(small, smallIvy, smallCase, make(101));
	expectError(over, 413, 'too_large');
	assert.ok(over.ms < 1000);
	assert.equal(await evidenceTotal(smallIvy, smallCase), total);
	await expectObjects(small, objects);

	const at = Buffer.from(make(100));
	const b = expectManifest(await upload(small, smallIvy, smallCase, at), 201, { ref: smallCase, data: at, items: 100 });
	assert.equal(b.manifest.id, 1, 'no refused upload used up a manifest id');
	assert.equal(await evidenceTotal(smallIvy, smallCase), total + 100);
	await expectObjects(small, [...objects, b.manifest.sha256].sort());
});
