// Hostile DFXML manifests (POST /api/cases/{ref}/manifests). Each refused upload must answer the
// status and code of docs/api.md ("Evidence manifests": 400 malformed_xml / invalid_manifest with a
// "line:col:" message, 413 too_large), fetch nothing (a tripwire listener counts connections), store
// nothing (row counts and DB.objects), and leave the server serving. A few inputs are legal XML that
// the contract says how to read (BOM, CDATA, processing instructions, foreign namespaces, a NUL in a
// name); those are checked for what is stored. Tests marked todo are server bugs (see README.md).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';

import {
	startServer, expectError, expectJson, aiIncident, rawHttp, stored, expectNothingStored,
	expectServing, refused, authHeaders, bytes, tripwire, sleep, parseJson,
} from './lib.mjs';

const H = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML';

/** A manifest with one <fileobject> holding `inner`. */
const one = (inner) => `${H}<dfxml xmlns="${NS}" version="1.0">\n<fileobject>${inner}</fileobject>\n</dfxml>\n`;

let server; // default limits
let small; // --max-manifest-entries 1000
let ivy;
let sam;
let smallIvy;
let caseRef;
let smallCase;
let trip;

/** POST a manifest with a Content-Length; resolves to a Reply plus `ms`. */
async function upload(srv, client, ref, body, { contentType = 'application/xml' } = {}) {
	const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
	const headers = { ...authHeaders(client), 'content-type': contentType, 'content-length': String(buf.length) };
	const t0 = performance.now();
	const r = await rawHttp(srv.port, 'POST', `/api/cases/${ref}/manifests`, { headers, body: buf });
	r.ms = performance.now() - t0;
	return r;
}

/** The evidence items of the test case whose path contains q. */
async function items(q) {
	const res = await sam.get(`/api/cases/${caseRef}/evidence?limit=500&q=${encodeURIComponent(q)}`);
	return expectJson(res, 200).items;
}

/**
 * Streams `n` tiny entries without end in sight (chunked, or with a Content-Length declaring all of
 * them) and stops writing once the server answers or drops the connection.
 */
function streamEntries(srv, client, ref, n, { chunked }) {
	const head = `${H}<dfxml>\n`;
	const entry = '<fileobject><filename>a</filename></fileobject>\n';
	const tail = '</dfxml>\n';
	const headers = { ...authHeaders(client), 'content-type': 'application/xml' };
	if (chunked) headers['transfer-encoding'] = 'chunked';
	else headers['content-length'] = String(head.length + entry.length * n + tail.length);
	return new Promise((resolve) => {
		const t0 = performance.now();
		let sent = 0;
		let answered = false;
		const req = http.request({
			host: '127.0.0.1', port: srv.port, method: 'POST', path: `/api/cases/${ref}/manifests`, headers, agent: false,
		});
		req.setTimeout(20000, () => req.destroy(new Error('timeout')));
		req.on('error', (err) => {
			if (!answered) resolve({ status: 0, error: err.code ?? err.message, sent, ms: performance.now() - t0 });
		});
		req.on('response', (res) => {
			answered = true;
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({
					status: res.statusCode, text, json: parseJson(text), contentType: res.headers['content-type'] ?? '', sent,
					ms: performance.now() - t0,
				});
			});
		});
		const block = entry.repeat(10000);
		(async () => {
			req.write(head);
			for (let i = 0; i < n; i += 10000) {
				if (answered || req.destroyed) return;
				if (!req.write(block)) {
					await new Promise((r) => {
						const go = () => {
							req.off('drain', go);
							req.off('close', go);
							r();
						};
						req.on('drain', go);
						req.on('close', go);
					});
				}
				sent += 10000;
			}
			if (!answered && !req.destroyed) req.end(tail);
		})().catch(() => {});
	});
}

before(async () => {
	trip = await tripwire();
	server = await startServer();
	ivy = await server.login('ivy');
	sam = server.bearer('sam');
	caseRef = expectJson(await ivy.post('/api/incidents', aiIncident({ title: 'Seized laptop, hostile manifests' })), 201).case.ref;
	small = await startServer({ args: ['--max-manifest-entries', '1000'] });
	smallIvy = await small.login('ivy');
	smallCase = expectJson(await smallIvy.post('/api/incidents', aiIncident()), 201).case.ref;
});

after(async () => {
	try {
		if (server) await server.stop();
	} finally {
		if (small) await small.stop();
		if (trip) await trip.close();
	}
});

/** Billion laughs: ten levels of ten references each, 10^9 "lol"s once expanded. */
function laughs() {
	const ents = [' <!ENTITY lol0 "lol">'];
	for (let i = 1; i <= 9; i++) ents.push(` <!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
	return `${H}<!DOCTYPE dfxml [\n${ents.join('\n')}\n]>\n<dfxml><fileobject><filename>&lol9;</filename></fileobject></dfxml>\n`;
}

// [name, body (string, Buffer or () => either), status, code]. Bodies that reach the tripwire are
// functions (its port is known only in `before`).
const REFUSED = [
	// entities and DTDs: any DOCTYPE is invalid_manifest (docs/api.md), so nothing is ever expanded or fetched
	['billion laughs (10^9 expansion)', laughs, 400, 'invalid_manifest'],
	['XXE: SYSTEM entity file:///etc/passwd',
		`${H}<!DOCTYPE dfxml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<dfxml><fileobject><filename>&xxe;</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['XXE: SYSTEM entity with an http URL (tripwire)',
		() => `${H}<!DOCTYPE dfxml [<!ENTITY xxe SYSTEM "${trip.url}/xxe">]>\n<dfxml><fileobject><filename>&xxe;</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['parameter entity loading a remote DTD (tripwire)',
		() => `${H}<!DOCTYPE dfxml [<!ENTITY % remote SYSTEM "${trip.url}/evil.dtd"> %remote; %payload;]>\n<dfxml/>\n`,
		400, 'invalid_manifest'],
	['external DTD subset (tripwire)',
		() => `${H}<!DOCTYPE dfxml SYSTEM "${trip.url}/dfxml.dtd">\n<dfxml><fileobject><filename>a</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	['DOCTYPE without an XML declaration', `<!DOCTYPE dfxml>\n<dfxml><fileobject><filename>a</filename></fileobject></dfxml>\n`,
		400, 'invalid_manifest'],
	// After the root or inside an element a DOCTYPE is not a document type declaration but stray
	// markup: a well-formedness error, so malformed_xml is the right code.
	['DOCTYPE after the root element', `${H}<dfxml><fileobject><filename>a</filename></fileobject></dfxml>\n<!DOCTYPE x>\n`,
		400, 'malformed_xml'],
	['DOCTYPE inside the root element', `${H}<dfxml><!DOCTYPE x><fileobject><filename>a</filename></fileobject></dfxml>\n`,
		400, 'malformed_xml'],
	// size and depth limits
	['deep nesting: 10,000 levels', `${H}<dfxml>${'<x>'.repeat(10000)}${'</x>'.repeat(10000)}</dfxml>\n`, 400, 'invalid_manifest'],
	['nesting of 34 levels (limit 32)', `${H}<dfxml>${'<x>'.repeat(33)}${'</x>'.repeat(33)}</dfxml>\n`, 400, 'invalid_manifest'],
	['a 70 KiB attribute', one(`<filename note="${'A'.repeat(70 * 1024)}">a.txt</filename>`), 400, 'invalid_manifest'],
	['a 70 KiB file name', one(`<filename>${'n'.repeat(70 * 1024)}</filename>`), 400, 'invalid_manifest'],
	// bytes that are not XML
	['invalid UTF-8 in a tag name', bytes(H, '<dfxml><fileobject><file\xff\xfename>a</filename></fileobject></dfxml>\n'),
		400, 'malformed_xml'],
	['a NUL byte in a tag name', bytes(H, '<dfxml><fileobject><filen\x00ame>a</filename></fileobject></dfxml>\n'),
		400, 'malformed_xml'],
	['a character reference to NUL (&#0;)', one('<filename>a&#0;b</filename>'), 400, 'malformed_xml'],
	['a character reference beyond U+10FFFF', one('<filename>a&#x110000;b</filename>'), 400, 'malformed_xml'],
	['gzip bytes posted as XML', () => zlib.gzipSync(Buffer.from(one('<filename>gz.txt</filename>'))), 400, 'malformed_xml'],
	// structure
	['truncated inside an element', `${H}<dfxml><fileobject><filename>a</filename></fileobject>`, 400, 'malformed_xml'],
	['truncated inside a start tag', `${H}<dfxml><fileobject><filena`, 400, 'malformed_xml'],
	['two root elements', `${H}<dfxml></dfxml>\n<dfxml></dfxml>\n`, 400, 'malformed_xml'],
	['an XML declaration after a space', ` ${H}<dfxml/>\n`, 400, 'malformed_xml'],
	['two XML declarations', `${H}${H}<dfxml/>\n`, 400, 'malformed_xml'],
	['an unterminated CDATA section', one('<filename><![CDATA[abc</filename>'), 400, 'malformed_xml'],
	['a duplicated attribute', one(`<filename>a</filename><hashdigest type="md5" type="sha1">${'a'.repeat(32)}</hashdigest>`),
		400, 'malformed_xml'],
	// encodings and byte-order marks. UTF-16 is well-formed XML, but no DFXML tool writes it and the
	// byte filter of the importer reads UTF-8: refusing it is the safe answer (the docs do not say).
	['two UTF-8 byte-order marks', bytes('\xef\xbb\xbf\xef\xbb\xbf', one('<filename>x</filename>')), 400, 'malformed_xml'],
	['UTF-16LE with its byte-order mark', () => bytes('\xff\xfe', Buffer.from(one('<filename>u16.txt</filename>').replace('UTF-8', 'UTF-16'), 'utf16le')),
		400, 'malformed_xml'],
	['UTF-16LE without a byte-order mark', () => Buffer.from(one('<filename>u16.txt</filename>').replace('UTF-8', 'UTF-16'), 'utf16le'),
		400, 'malformed_xml'],
	['UTF-32 byte-order mark', bytes('\xff\xfe\x00\x00', '<dfxml/>'), 400, 'malformed_xml'],
	// namespaces
	['an undeclared namespace prefix', `${H}<dfxml><q:fileobject><q:filename>x</q:filename></q:fileobject></dfxml>\n`, 400, 'malformed_xml'],
	['the xml prefix bound to another URI', `${H}<dfxml xmlns:xml="urn:evil"><fileobject><filename>x</filename></fileobject></dfxml>\n`,
		400, 'malformed_xml'],
	['a prefix bound to the empty namespace', `${H}<dfxml><fileobject xmlns:z=""><z:filename>x</z:filename></fileobject></dfxml>\n`,
		400, 'malformed_xml'],
	// values
	['filesize 2^63 (INT64_MAX + 1)', one('<filename>a</filename><filesize>9223372036854775808</filesize>'), 400, 'invalid_manifest'],
	['filesize 2^64 (overflows int64)', one('<filename>a</filename><filesize>18446744073709551616</filesize>'), 400, 'invalid_manifest'],
	['inode 10^23 (overflows int64)', one('<filename>a</filename><inode>99999999999999999999999</inode>'), 400, 'invalid_manifest'],
	['negative filesize', one('<filename>a</filename><filesize>-1</filesize>'), 400, 'invalid_manifest'],
	['filesize in exponent notation', one('<filename>a</filename><filesize>1e3</filesize>'), 400, 'invalid_manifest'],
	['mtime 9999-99-99T99:99:99Z', one('<filename>a</filename><mtime>9999-99-99T99:99:99Z</mtime>'), 400, 'invalid_manifest'],
	['mtime 2026-02-29 (not a leap year)', one('<filename>a</filename><mtime>2026-02-29T00:00:00Z</mtime>'), 400, 'invalid_manifest'],
	['md5 digest of 3 characters', one('<filename>a</filename><hashdigest type="md5">abc</hashdigest>'), 400, 'invalid_manifest'],
	['md5 digest of 64 characters (a SHA-256 length)', one(`<filename>a</filename><hashdigest type="md5">${'a'.repeat(64)}</hashdigest>`),
		400, 'invalid_manifest'],
	['alloc flag 2', one('<filename>a</filename><alloc>2</alloc>'), 400, 'invalid_manifest'],
	['an empty filename', one('<filename></filename>'), 400, 'invalid_manifest'],
];

describe('refused manifests: status, code, line:col, nothing fetched, nothing stored, still serving', () => {
	for (const [name, body, status, code] of REFUSED) {
		test(name, async () => {
			const data = typeof body === 'function' ? body() : body;
			const hits = trip.hits;
			const res = await refused(server, sam, () => upload(server, ivy, caseRef, data), (r) => {
				const e = expectError(r, status, code);
				if (status === 400) assert.match(e.message, /^\d+:\d+: \S/, 'the message starts with line:col:');
				assert.doesNotMatch(r.text, /root:x:0:0|lollollol/, 'no entity was expanded into the reply');
			});
			assert.ok(res.ms < 5000, `answered in ${res.ms.toFixed(0)} ms`);
			assert.equal(trip.hits, hits, 'the parser connected to the tripwire');
		});
	}

	test('a 12 MiB attribute: refused (libxml2 gives up before the 64 KiB check: malformed_xml, see comment)', async () => {
		// docs/api.md says an attribute over 64 KiB is invalid_manifest; past libxml2's own 10 MB
		// limit the parser stops first and the answer is malformed_xml. Both are a 400 with line:col.
		const data = one(`<filename note="${'A'.repeat(12 << 20)}">a.txt</filename>`);
		await refused(server, sam, () => upload(server, ivy, caseRef, data), (r) => {
			const e = expectError(r, 400, r.json?.error?.code === 'malformed_xml' ? 'malformed_xml' : 'invalid_manifest');
			assert.match(e.message, /^\d+:\d+: \S/);
		});
	});
});

describe('limits of serve --max-manifest-entries 1000', () => {
	test('1,001 entries: 413 too_large, nothing stored', async () => {
		const body = `${H}<dfxml>\n${Array.from({ length: 1001 }, (_, i) =>
			`<fileobject><filename>DCIM/IMG_${i}.JPG</filename></fileobject>\n`).join('')}</dfxml>\n`;
		await refused(small, smallIvy, () => upload(small, smallIvy, smallCase, body), (r) => expectError(r, 413, 'too_large'));
	});

	test('10,000,000 tiny entries streamed (chunked, and with a Content-Length declaring them all): the connection ends, nothing stored, still serving', async () => {
		for (const chunked of [true, false]) {
			const before = stored(small);
			const r = await streamEntries(small, smallIvy, smallCase, 10_000_000, { chunked });
			assert.ok(r.ms < 10000, `the server stopped reading within 10 s (${r.ms.toFixed(0)} ms)`);
			assert.ok(r.sent < 1_000_000, `it did not read the whole stream (${r.sent} entries were written)`);
			assert.ok(r.status === 413 || r.status === 0, `status ${r.status} ${r.text ?? r.error}`);
			await sleep(200);
			await expectNothingStored(small, before, `the stream (chunked ${chunked})`);
			await expectServing(small, smallIvy);
		}
	});

	test('10,000,000 tiny entries streamed: the client is told 413 too_large', {
		todo: 'the server now queues the 413 once 16 MiB more than the limit have come (server/http.c on_body) and closes the connection after it; but it closes with the client still sending, so the kernel resets the connection and node\'s client loses the answer (status 0). Needs a lingering close (shut the write side, drain a while), which libmicrohttpd 0.9.75 does not offer for a response queued mid-upload',
	}, async () => {
		for (const chunked of [true, false]) {
			const r = await streamEntries(small, smallIvy, smallCase, 10_000_000, { chunked });
			assert.equal(r.status, 413, `chunked ${chunked}: ${r.error ?? r.text}`);
			expectError(r, 413, 'too_large');
		}
	});
});

describe('legal XML read as the contract says', () => {
	test('a UTF-8 byte-order mark is accepted', async () => {
		const r = await upload(server, ivy, caseRef, bytes('\xef\xbb\xbf', one('<filename>hostile/bom.txt</filename>')));
		assert.equal(expectJson(r, 201).manifest.items, 1);
		assert.deepEqual((await items('hostile/bom.txt')).map((i) => i.path), ['hostile/bom.txt']);
	});

	test('CDATA: markup inside is text, and a "]]>" split across two sections is kept', async () => {
		const r = await upload(server, ivy, caseRef, `${H}<dfxml>` +
			'<fileobject><filename><![CDATA[hostile/cdata <b>&amp;</b>.txt]]></filename></fileobject>' +
			'<fileobject><filename><![CDATA[hostile/cdata a]]]]><![CDATA[>b.txt]]></filename></fileobject></dfxml>\n');
		assert.equal(expectJson(r, 201).manifest.items, 2);
		assert.deepEqual((await items('hostile/cdata')).map((i) => i.path).sort(),
			['hostile/cdata <b>&amp;</b>.txt', 'hostile/cdata a]]>b.txt']);
	});

	test('processing instructions (an xml-stylesheet at the tripwire, PIs inside elements) are ignored and fetch nothing', async () => {
		const hits = trip.hits;
		const r = await upload(server, ivy, caseRef, `${H}<?xml-stylesheet type="text/xsl" href="${trip.url}/x.xsl"?>\n` +
			'<dfxml><?evil data?><fileobject><filename>hostile/pi.txt</filename><?php system("id"); ?></fileobject></dfxml>\n');
		assert.equal(expectJson(r, 201).manifest.items, 1);
		assert.deepEqual((await items('hostile/pi.txt')).map((i) => i.path), ['hostile/pi.txt']);
		await sleep(100);
		assert.equal(trip.hits, hits, 'a stylesheet was fetched');
	});

	test('foreign and redefined namespaces: elements are matched by local name; 2,000 namespace declarations are cheap', async () => {
		const r1 = await upload(server, ivy, caseRef, `${H}<x:dfxml xmlns:x="urn:evil"><fileobject xmlns="urn:other">` +
			'<filename xmlns="">hostile/ns-redefined.txt</filename></fileobject></x:dfxml>\n');
		assert.equal(expectJson(r1, 201).manifest.items, 1);
		const decls = Array.from({ length: 2000 }, (_, i) => `xmlns:p${i}="urn:x${i}"`).join(' ');
		const r2 = await upload(server, ivy, caseRef, `${H}<dfxml ${decls}><fileobject><filename>hostile/manyns.txt</filename></fileobject></dfxml>\n`);
		assert.equal(expectJson(r2, 201).manifest.items, 1);
		assert.ok(r2.ms < 2000, `${r2.ms.toFixed(0)} ms`);
		assert.deepEqual((await items('hostile/ns')).map((i) => i.path), ['hostile/ns-redefined.txt']);
	});

	test('a NUL byte in a file name is kept reversibly as \\x00 and the item is marked sanitised', async () => {
		const r = await upload(server, ivy, caseRef, bytes(H, '<dfxml><fileobject><filename>hostile/nul\x00byte.txt</filename></fileobject></dfxml>\n'));
		const b = expectJson(r, 201);
		assert.equal(b.manifest.sanitised, 1);
		assert.deepEqual((await items('hostile/nul')).map((i) => [i.path, i.sanitised]), [['hostile/nul\\x00byte.txt', true]]);
	});

	test('a 12 MiB text node in an element the importer ignores: answered within 5 s, still serving', async () => {
		const r = await upload(server, ivy, caseRef, one(`<filename>hostile/bigtext-a.txt</filename><note>${'B'.repeat(12 << 20)}</note>`));
		assert.ok(r.ms < 5000, `${r.ms.toFixed(0)} ms`);
		assert.ok(r.status === 201 || r.status === 400, `${r.status} ${r.text.slice(0, 200)}`);
		await expectServing(server, sam);
	});
});

describe('encodings, big numbers, nesting (fixed bugs)', () => {
	test('the encoding declaration is ignored: an ISO-8859-1 manifest is read as UTF-8, other bytes kept as \\xNN (docs/api.md)', async () => {
		// libxml2 is told to ignore the declaration (XML_PARSE_IGNORE_ENC): the byte filter has
		// already turned every byte that is not UTF-8 into a reversible mark
		const cases = [
			[bytes('<?xml version="1.0" encoding="ISO-8859-1"?>\n<dfxml><fileobject><filename>hostile/latin1 caf\xe9.txt</filename></fileobject></dfxml>\n'),
				'hostile/latin1 ', ['hostile/latin1 caf\\xE9.txt', true], 1],
			[Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<dfxml><fileobject><filename>hostile/latin1-utf8 café.txt</filename></fileobject></dfxml>\n', 'utf8'),
				'hostile/latin1-utf8 ', ['hostile/latin1-utf8 café.txt', false], 0],
			[Buffer.from('<?xml version="1.0" encoding="UTF-16"?>\n<dfxml><fileobject><filename>hostile/utf16-label café.txt</filename></fileobject></dfxml>\n', 'utf8'),
				'hostile/utf16-label ', ['hostile/utf16-label café.txt', false], 0],
		];
		for (const [data, q, expected, sanitised] of cases) {
			const b = expectJson(await upload(server, ivy, caseRef, data), 201);
			assert.equal(b.manifest.sanitised, sanitised, q);
			assert.deepEqual((await items(q)).map((i) => [i.path, i.sanitised]), [expected]);
		}
	});

	test('filesize 9223372036854775807 (INT64_MAX) is a number', async () => {
		const r = await upload(server, ivy, caseRef, one('<filename>hostile/int64max.bin</filename><filesize>9223372036854775807</filesize>'));
		expectJson(r, 201);
		const res = await sam.get(`/api/cases/${caseRef}/evidence?limit=5&q=int64max`);
		assert.match(res.text, /"size":9223372036854775807\b/);
	});

	test('a <fileobject> inside a <fileobject> is refused: invalid_manifest at the inner one (docs/api.md)', async () => {
		for (const body of [
			`${H}<dfxml><fileobject><filename>hostile/nest-outer</filename>\n<fileobject><filename>hostile/nest-inner</filename></fileobject></fileobject></dfxml>\n`,
			// differential DFXML: a file's earlier state, nested deeper
			`${H}<dfxml xmlns:delta="${NS}#delta"><fileobject><filename>hostile/nest-new</filename>\n<delta:original_fileobject>` +
				'<fileobject><filename>hostile/nest-old</filename></fileobject></delta:original_fileobject></fileobject></dfxml>\n',
		]) {
			await refused(server, sam, () => upload(server, ivy, caseRef, body), (r) => {
				const e = expectError(r, 400, 'invalid_manifest');
				assert.match(e.message, /^3:\d+: a <fileobject> inside a <fileobject>/);
			});
		}
		assert.deepEqual(await items('hostile/nest-'), []);
	});
});

describe('server bugs (todo)', () => {
	test('U+10FF41 written as itself is kept as its four bytes, \\xF4\\x8F\\xBD\\x81 (the filter marks odd bytes with U+10FF00 + byte)', async () => {
		const r = await upload(server, ivy, caseRef, one('<filename>hostile/literal-\u{10FF41}.txt</filename>'));
		expectJson(r, 201);
		assert.deepEqual((await items('hostile/literal-')).map((i) => [i.path, i.sanitised]), [['hostile/literal-\\xF4\\x8F\\xBD\\x81.txt', true]]);
	});

	test('U+10FF41 written as a character reference is refused at its line:col (it would read back as the byte "A")', async () => {
		const r = await upload(server, ivy, caseRef, one('<filename>hostile/charref-&#x10FF41;.txt</filename>'));
		const e = expectError(r, 400, 'invalid_manifest');
		assert.match(e.message, /^3:\d+: a character reference to U\+10FF00-U\+10FFFF/);
		assert.deepEqual(await items('hostile/charref-'), []);
	});

	test('a 12 MiB text node is refused: "an element text over 64 KiB" is invalid_manifest', async () => {
		const data = one(`<filename>hostile/bigtext-b.txt</filename><note>${'C'.repeat(12 << 20)}</note>`);
		await refused(server, sam, () => upload(server, ivy, caseRef, data), (r) => expectError(r, 400, 'invalid_manifest'));
	});

	test('contradictory fields in one <fileobject> (two md5 digests, two names) are refused', async () => {
		for (const inner of [
			`<filename>hostile/twomd5</filename><hashdigest type="md5">${'a'.repeat(32)}</hashdigest><hashdigest type="md5">${'b'.repeat(32)}</hashdigest>`,
			'<filename>hostile/first</filename><filename>hostile/second</filename>',
		]) {
			await refused(server, sam, () => upload(server, ivy, caseRef, one(inner)), (r) => expectError(r, 400, 'invalid_manifest'));
		}
	});
});
