// Hostile headers and paths, sent as raw bytes over TCP (lib.mjs exchange()): broken framing
// (Content-Length, chunked), oversized and duplicated headers, CSRF and bearer tricks, path
// traversal raw and encoded, NUL, long paths, look-alike Unicode, odd case references. The answer
// is the status of docs/api.md where it says one (404 not_found for traversal, 401/403/415…); where
// libmicrohttpd refuses by itself (bad framing, oversized requests) the status is what HTTP says and
// the connection must close. Every case: nothing stored, no file outside the web directory served,
// still serving. Tests marked todo are server bugs (README.md).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import {
	startServer, expectError, expectJson, aiIncident, refused, stored, expectServing, exchange, authLines,
	bytes, rawGet, tempDir, sleep, REPO,
} from './lib.mjs';

const SECRET = 'secret-outside-the-web-directory-7f3a';

let server;
let root; // temporary: web/ (a copy of the UI) and secret.txt beside it
let ivy; // cookie + CSRF
let ivyTok; // bearer client of ivy
let sam; // bearer client, supervisor
let aiRef;
let incidentBody;

/** A raw request: method, target (bytes), extra header lines, body. Host is sent unless noHost. */
function request(method, target, headerLines = '', body = '', { noHost = false } = {}) {
	const len = body.length ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : '';
	return bytes(method, ' ', target, ' HTTP/1.1\r\n', noHost ? '' : 'Host: 127.0.0.1\r\n', headerLines, len, '\r\n', body);
}

/** A POST /api/incidents as ivy (bearer) with these header lines and raw body (no Content-Length added). */
function filing(headerLines, rest) {
	return bytes('POST /api/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\n', authLines(ivyTok), headerLines, '\r\n', rest);
}

/** A request target for a test name: raw bytes shown as UTF-8, long ones cut. */
function label(target) {
	const t = Buffer.from(target, 'latin1').toString('utf8');
	return t.length > 60 ? `${t.slice(0, 20)}… (${target.length} bytes)` : JSON.stringify(t);
}

/** An exchange that libmicrohttpd itself refuses: this status, and the connection closes. */
async function mhdRefuses(data, status) {
	return refused(server, sam, () => exchange(server.port, data, { until: 'close' }), (r) => {
		assert.equal(r.status, status, `got ${r.status}: ${r.raw.toString('latin1').slice(0, 300)}`);
		assert.ok(r.closed, 'the connection was closed');
	});
}

/**
 * An oversized request: refused by libmicrohttpd (`status`, connection closed) as today, or, once
 * its connection memory is raised (see the todo tests), answered by the application with the
 * JSON `answer` check.
 */
async function oversized(data, status, answer) {
	return refused(server, sam, () => exchange(server.port, data, { until: 'close', timeoutMs: 1500 }), (r) => {
		if (r.status === status) assert.ok(r.closed, 'the connection was closed');
		else answer(r);
	});
}

before(async () => {
	root = tempDir('aimcase-hostile-web-');
	fs.cpSync(path.join(REPO, 'web'), path.join(root, 'web'), { recursive: true });
	fs.writeFileSync(path.join(root, 'secret.txt'), `${SECRET}\n`);
	server = await startServer({ web: path.join(root, 'web') });
	ivy = await server.login('ivy');
	ivyTok = server.bearer('ivy');
	sam = server.bearer('sam');
	aiRef = expectJson(await ivy.post('/api/incidents', aiIncident()), 201).case.ref;
	incidentBody = JSON.stringify(aiIncident({ title: 'Filed over a raw socket' }));
});

after(async () => {
	try {
		if (server) await server.stop();
	} finally {
		if (root) fs.rmSync(root, { recursive: true, force: true });
	}
});

describe('framing: Content-Length and chunked', () => {
	test('Content-Length shorter than the body: 400 malformed_json on the prefix; the rest files nothing', async () => {
		await refused(server, sam, () => exchange(server.port, filing('Content-Type: application/json\r\nContent-Length: 10\r\n', incidentBody)),
			(r) => expectError(r, 400, 'malformed_json'), { settleMs: 200 });
	});

	test('Content-Length longer than the body, then the client stops: never filed', async () => {
		await refused(server, sam, () => exchange(server.port, filing(`Content-Type: application/json\r\nContent-Length: ${incidentBody.length + 100}\r\n`, incidentBody),
			{ until: 'close', timeoutMs: 1000, halfClose: true }), (r) => {
			assert.ok(r.status === 0 || r.status >= 400, `status ${r.status}`);
		}, { settleMs: 200 });
	});

	test('Content-Length -5: 400, connection closed', () => mhdRefuses(filing('Content-Type: application/json\r\nContent-Length: -5\r\n', incidentBody), 400));
	test('Content-Length 10^23: 413, connection closed', () => mhdRefuses(filing('Content-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n', ''), 413));
	test('Content-Length "abc": 400, connection closed', () => mhdRefuses(filing('Content-Type: application/json\r\nContent-Length: abc\r\n', incidentBody), 400));

	const chunked = (sizeLine) => filing('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `${sizeLine}\r\n${incidentBody}\r\n0\r\n\r\n`);
	test('chunked: size "zz" (not hexadecimal): 400, connection closed', () => mhdRefuses(chunked('zz'), 400));
	test('chunked: size smaller than the data: 400, connection closed', () => mhdRefuses(chunked('5'), 400));
	test('chunked: size "-1": 400, connection closed', () => mhdRefuses(chunked('-1'), 400));
	test('chunked: a 20-digit size: 413, connection closed', () => mhdRefuses(chunked('ffffffffffffffffffff'), 413));

	test('chunked: the last chunk never comes (client stops): nothing stored', async () => {
		await refused(server, sam, () => exchange(server.port,
			filing('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `${incidentBody.length.toString(16)}\r\n${incidentBody}\r\n`),
			{ until: 'close', timeoutMs: 1000, halfClose: true }), (r) => assert.ok(r.status === 0 || r.status >= 400, `status ${r.status}`),
		{ settleMs: 200 });
	});

	test('Transfer-Encoding: gzip (unsupported): never filed', async () => {
		await refused(server, sam, () => exchange(server.port, filing('Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n', incidentBody),
			{ until: 'close', timeoutMs: 1000 }), (r) => assert.ok(r.status === 0 || r.status >= 400, `status ${r.status}`), { settleMs: 200 });
	});

	test('two different Content-Length headers, and Content-Length with chunked: still serving', async () => {
		// the answers themselves are the todo below; here only that the server lives on
		await exchange(server.port, filing(`Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: ${incidentBody.length}\r\n`, incidentBody));
		await exchange(server.port, filing('Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n',
			`${incidentBody.length.toString(16)}\r\n${incidentBody}\r\n0\r\n\r\n`));
		await expectServing(server, sam);
	});
});

describe('headers', () => {
	test('a 100 KB header: 431 and the connection closes (or an ordinary answer)', () =>
		oversized(rawGet('/api/cases?limit=1', `${authLines(sam)}X-Big: ${'a'.repeat(100000)}\r\n`), 431, (r) => expectJson(r, 200)));

	test('a 48 KiB header line (within the connection memory): an ordinary answer', async () => {
		const r = await exchange(server.port, rawGet('/api/cases?limit=1', `${authLines(sam)}X-Big: ${'a'.repeat(48 * 1024)}\r\n`), { until: 'close', timeoutMs: 3000 });
		expectJson(r, 200);
	});

	test('1,000 cookies around a valid session cookie: 431 and the connection closes (the todo below wants 200)', async () => {
		const cookies = Array.from({ length: 1000 }, (_, i) => `c${i}=v${i}`).join('; ');
		await oversized(rawGet('/api/cases?limit=1', `Cookie: ${cookies}; ${ivy.cookie}\r\n`), 431, (r) => expectJson(r, 200));
	});

	test('duplicate Content-Type (text/plain, then application/json): 415, the first one counts', async () => {
		await refused(server, sam, () => exchange(server.port, filing(`Content-Type: text/plain\r\nContent-Type: application/json\r\nContent-Length: ${incidentBody.length}\r\n`, incidentBody)),
			(r) => expectError(r, 415, 'unsupported_media_type'));
	});

	test('application/json; charset=utf-16 with a UTF-16 body: 400 malformed_json (JSON is UTF-8)', async () => {
		const body = Buffer.from(incidentBody, 'utf16le');
		await refused(server, sam, () => exchange(server.port, filing(`Content-Type: application/json; charset=utf-16\r\nContent-Length: ${body.length}\r\n`, body)),
			(r) => expectError(r, 400, 'malformed_json'));
	});

	test('a wrong X-CSRF-Token (another token, a prefix, a suffix, other case, empty, 10 KB, sent twice wrong-first): 403 csrf_failed', async () => {
		const variants = ['0'.repeat(ivy.csrf.length), ivy.csrf.slice(0, -1), `${ivy.csrf}x`,
			ivy.csrf.toUpperCase() === ivy.csrf ? ivy.csrf.toLowerCase() : ivy.csrf.toUpperCase(), '', 'x'.repeat(10240)];
		for (const v of variants) {
			await refused(server, sam, () => ivy.post('/api/incidents', aiIncident(), { csrf: v === '' ? false : v, headers: v === '' ? { 'x-csrf-token': '' } : {} }),
				(r) => expectError(r, 403, 'csrf_failed'));
		}
		await refused(server, sam, () => exchange(server.port, bytes('POST /api/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ', ivy.cookie,
			'\r\nX-CSRF-Token: wrong\r\nX-CSRF-Token: ', ivy.csrf, `\r\nContent-Type: application/json\r\nContent-Length: ${incidentBody.length}\r\n\r\n`, incidentBody)),
		(r) => expectError(r, 403, 'csrf_failed'));
	});

	const AUTH = [
		['a 10 KB bearer token', `Authorization: Bearer ${'A'.repeat(10240)}\r\n`],
		['a valid bearer token plus one character', () => `Authorization: Bearer ${sam.token}x\r\n`],
		['a valid bearer token plus a Latin-1 byte', () => bytes(`Authorization: Bearer ${sam.token}`, '\xe9\r\n')],
		['Basic with a valid user and password', `Authorization: Basic ${Buffer.from('sam:sam-Passw0rd-1').toString('base64')}\r\n`],
		['two Authorization headers, the bad one first', () => `Authorization: Bearer nope\r\nAuthorization: Bearer ${sam.token}\r\n`],
		['a bad bearer token beside a valid session cookie', () => `Authorization: Bearer nope\r\nCookie: ${ivy.cookie}\r\n`],
		['"Authorization :" with a space before the colon', () => `Authorization : Bearer ${sam.token}\r\n`],
		['the token on a folded continuation line', () => `Authorization: Bearer\r\n ${sam.token}\r\n`],
		['a session cookie of 20 KB', `Cookie: aimcase_session=${'A'.repeat(20000)}\r\n`],
		['a forged session cookie before the valid one', () => `Cookie: aimcase_session=forged; ${ivy.cookie}\r\n`],
	];
	for (const [name, lines] of AUTH) {
		test(`${name}: 401 unauthorized`, async () => {
			const h = typeof lines === 'function' ? lines() : lines;
			await refused(server, sam, () => exchange(server.port, rawGet('/api/cases', h)), (r) => {
				if (r.status === 431) return; // 20 KB: the HTTP layer may refuse it first (see the todo on HTML errors)
				expectError(r, 401, 'unauthorized');
			});
		});
	}

	test('UTF-8 and Latin-1 bytes in an unrelated header are ignored', async () => {
		const r = await exchange(server.port, rawGet('/api/cases?limit=1', bytes(authLines(sam), 'X-Name: caf\xc3\xa9 \xe2\x98\x83 \xff\r\n')));
		expectJson(r, 200);
	});

	test('an HTTP/2.0 request line: 505, connection closed', () => mhdRefuses(bytes('GET /api/cases HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n'), 505));
	test('a request line without a version (HTTP/0.9 style): 400, connection closed', () => mhdRefuses(bytes('GET /healthz\r\n\r\n'), 400));

	test('a TLS ClientHello on the plain port: closed without an answer, still serving', async () => {
		await refused(server, sam, () => exchange(server.port, bytes('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'A'.repeat(64), '\r\n\r\n'),
			{ until: 'close', timeoutMs: 2000 }), (r) => assert.ok(r.status === 0 || r.status === 400, `status ${r.status}`));
	});

	test('200 connections holding half a request: a new request is still answered at once', async () => {
		const socks = await Promise.all(Array.from({ length: 200 }, () => new Promise((resolve) => {
			const s = net.connect(server.port, '127.0.0.1', () => {
				s.write('GET /api/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
				resolve(s);
			});
			s.on('error', () => resolve(s));
		})));
		try {
			const t0 = performance.now();
			await expectServing(server, sam);
			assert.ok(performance.now() - t0 < 2000, `answered in ${(performance.now() - t0).toFixed(0)} ms`);
		} finally {
			for (const s of socks) s.destroy();
		}
	});
});

describe('paths', () => {
	/** GET target (bytes) with or without sam's token; never the secret, never a 5xx. */
	function getPath(target, auth = true) {
		return exchange(server.port, rawGet(target, auth ? authLines(sam) : ''));
	}
	const notSecret = (r) => {
		assert.ok(!r.raw.toString('latin1').includes(SECRET), 'a file outside the web directory was served');
		assert.doesNotMatch(r.raw.toString('latin1'), /root:x:0:0/);
	};

	const NOT_FOUND = [
		// traversal, raw and encoded (docs/api.md: "no path traversal (404)")
		'/../secret.txt', '/../../etc/passwd', '/%2e%2e/secret.txt', '/%2E%2E/%2E%2E/etc/passwd', '/..%2fsecret.txt',
		'/%2e%2e%2fsecret.txt', '/%252e%252e/secret.txt', '/..\\secret.txt', '/js/../../secret.txt', '/js/..%2f..%2fsecret.txt',
		'/%c0%ae%c0%ae/secret.txt', '/.%2e/secret.txt', '/./../secret.txt',
		// doubled slashes
		'//etc/passwd', '//secret.txt', '//api/cases',
		// /api/ is case-sensitive: /API/ is a static path
		'/API/cases',
		// long
		`/${'a'.repeat(10240)}`,
		// look-alikes
		'/\xef\xbd\x89\xef\xbd\x8e\xef\xbd\x84\xef\xbd\x85\xef\xbd\x98.html', '/%ff', '/%', '/index.html/', '/js/',
		// absolute form and the asterisk
		'http://evil.example/secret.txt', '*',
	];
	for (const target of NOT_FOUND) {
		test(`GET ${label(target)}: 404 not_found`, async () => {
			await refused(server, sam, () => getPath(target, false), (r) => {
				notSecret(r);
				expectError(r, 404, 'not_found');
			});
		});
	}

	const API_NOT_FOUND = [
		'/api//cases', '/api/cases/', '/api/cases//', '/api/./cases', '/api/cases/../../etc', '/api/cases/%2e%2e/%2e%2e/etc',
		'/api/cases/REF/../REF', '/api/cases/REF/evidence/../../../etc/passwd',
		`/api/cases/${'A'.repeat(10240)}`,
		// case references that are not ones
		'/api/cases/AIM-2026-999999', '/api/cases/aim-2026-00001', '/api/cases/AIM-2026-0001', '/api/cases/AIM-0000-00000',
		'/api/cases/AIM-2026-00001x', '/api/cases/AIM-2026-00001%20', '/api/cases/%20AIM-2026-00001',
		'/api/cases/\xef\xbc\xa1\xef\xbc\xa9\xef\xbc\xad-2026-00001', // fullwidth AIM
		'/api/cases/AIM\xe2\x80\x912026\xe2\x80\x9100001', // non-breaking hyphens
		'/api/cases/AIM-\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-00001', // fullwidth digits
		// incident ids that are not ones
		'/api/incidents/-1', '/api/incidents/0', '/api/incidents/1e0', '/api/incidents/0x1', '/api/incidents/99999999999999999999',
		'/api/incidents/1%20', '/api/incidents/%201',
	];
	for (const t of API_NOT_FOUND) {
		test(`GET ${label(t)}: 404 with a session, 401 without`, async () => {
			const target = t.replaceAll('REF', aiRef);
			await refused(server, sam, () => getPath(target), (r) => expectError(r, 404, 'not_found'));
			await refused(server, sam, () => getPath(target, false), (r) => expectError(r, 401, 'unauthorized'));
		});
	}

	test('a 40 KB path: 414 and the connection closes (or 404 not_found)', () =>
		oversized(rawGet(`/api/cases/${'A'.repeat(40000)}`, authLines(sam)), 414, (r) => expectError(r, 404, 'not_found')));

	test('percent-encoded unreserved characters name the same case (RFC 3986 equivalence)', async () => {
		const b = expectJson(await getPath(`/api/cases/%41IM%2d${aiRef.slice(4)}`), 200);
		assert.equal(b.ref, aiRef);
	});

	test('methods: TRACE, FOO, a lower-case get, CONNECT: 405 method_not_allowed with Allow', async () => {
		for (const m of ['TRACE', 'FOO', 'get', 'CONNECT']) {
			await refused(server, sam, () => exchange(server.port, request(m, '/api/cases', authLines(sam))), (r) => {
				expectError(r, 405, 'method_not_allowed');
				assert.match(r.headers.allow ?? '', /GET/);
			});
		}
	});

	test('POST to a path that only looks like /api/incidents (../, //, case, trailing slash): nothing filed', async () => {
		for (const target of ['/api/incidents/', '/api//incidents', '/api/x/../incidents', '/API/incidents', '/api/incidents/..']) {
			await refused(server, sam, () => exchange(server.port, filing(`Content-Type: application/json\r\nContent-Length: ${incidentBody.length}\r\n`, incidentBody)
				.toString('latin1').replace('POST /api/incidents ', `POST ${target} `)), (r) => {
				assert.ok(r.status === 404 || r.status === 405, `${target}: ${r.status} ${r.text.slice(0, 200)}`);
			});
		}
	});
});

describe('server bugs (todo)', () => {
	test('libmicrohttpd\'s own refusals carry the JSON error of docs/api.md, once', {
		todo: 'bug: for bad framing (Content-Length -5 / 10^23 / abc, bad chunk sizes), oversized requests (431, 414) and HTTP/2.0 (505) libmicrohttpd 0.9.75 answers by itself with text/html and none of the security headers; and for the errors found after the headers are in (bad Content-Length, 1,000 cookies) it sends the status line and headers twice (a libmicrohttpd 0.9.75 defect: the body starts with a second "HTTP/1.1 400 …"). docs/api.md promises JSON on every /api/ reply. Fix: document these statuses in docs/api.md; raise MHD_OPTION_CONNECTION_MEMORY_LIMIT (server/http_daemon.c); a newer libmicrohttpd for the doubled header',
	}, async () => {
		const chunked = (sizeLine) => filing('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `${sizeLine}\r\n${incidentBody}\r\n0\r\n\r\n`);
		const inputs = [
			filing('Content-Type: application/json\r\nContent-Length: -5\r\n', incidentBody),
			filing('Content-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n', ''),
			chunked('zz'),
			rawGet('/api/cases', `${authLines(sam)}X-Big: ${'a'.repeat(100000)}\r\n`),
			rawGet('/api/cases', `Cookie: ${Array.from({ length: 1000 }, (_, i) => `c${i}=v${i}`).join('; ')}; ${ivy.cookie}\r\n`),
			bytes('GET /api/cases HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n'),
		];
		for (const data of inputs) {
			const r = await exchange(server.port, data, { until: 'close' });
			assert.equal(r.statusLines, 1, `one status line: ${r.raw.toString('latin1').slice(0, 200)}`);
			expectError(r, r.status, r.json?.error?.code ?? 'invalid_field', r.json?.error?.field ?? null);
		}
	});

	test('1,000 cookies around a valid session cookie: the session is found (200)', async () => {
		const cookies = Array.from({ length: 1000 }, (_, i) => `c${i}=v${i}`).join('; ');
		expectJson(await exchange(server.port, rawGet('/api/cases?limit=1', `Cookie: ${cookies}; ${ivy.cookie}\r\n`)), 200);
	});

	test('two different Content-Length headers: 400 and nothing filed (RFC 9112 6.3)', async () => {
		await refused(server, sam, () => exchange(server.port,
			filing(`Content-Type: application/json\r\nContent-Length: ${incidentBody.length}\r\nContent-Length: 5\r\n`, incidentBody), { until: 'close' }),
		(r) => assert.equal(r.status, 400));
	});

	test('Content-Length with Transfer-Encoding: chunked: refused, or the connection closes after the answer (RFC 9112 6.1)', async () => {
		const r = await exchange(server.port, filing('Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n',
			`${incidentBody.length.toString(16)}\r\n${incidentBody}\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), { until: 'close', timeoutMs: 1500 });
		if (r.status !== 400) assert.equal(r.statusLines, 1, 'a second request was answered on the same connection');
		assert.ok(r.closed, 'the connection was left open');
	});

	test('an HTTP/1.1 request without Host, or with two, is 400 (RFC 9112 3.2)', async () => {
		const noHost = await exchange(server.port, request('GET', '/api/cases', authLines(sam), '', { noHost: true }));
		assert.equal(noHost.status, 400);
		const two = await exchange(server.port, rawGet('/api/cases', `Host: evil.example\r\n${authLines(sam)}`));
		assert.equal(two.status, 400);
	});

	test('a NUL (%00) in the path is refused, not cut off there', async () => {
		await refused(server, sam, () => exchange(server.port, filing(`Content-Type: application/json\r\nContent-Length: ${incidentBody.length}\r\n`, incidentBody)
			.toString('latin1').replace('POST /api/incidents ', 'POST /api/incidents%00junk ')), (r) => assert.ok(r.status === 404 || r.status === 400, `${r.status}`));
		const list = await exchange(server.port, rawGet('/api/cases%00x', authLines(sam)));
		assert.ok(list.status === 404 || list.status === 400, `/api/cases%00x: ${list.status}`);
		const page = await exchange(server.port, rawGet('/index.html%00.png'));
		assert.ok(page.status === 404 || page.status === 400, `/index.html%00.png: ${page.status}`);
	});

	test('a raw NUL byte inside a header value is refused', {
		todo: 'libmicrohttpd 0.9.75 ends a header value at a raw NUL byte before the server sees it (the length it reports is that of the cut value), so "Authorization: Bearer TOKEN<NUL>junk" authenticates as TOKEN: no privilege is gained (the token must be known), but RFC 9110 5.5 asks to reject it; needs a libmicrohttpd that reports it',
	}, async () => {
		const auth = await exchange(server.port, rawGet('/api/cases', bytes(`Authorization: Bearer ${sam.token}`, '\x00junk\r\n')));
		assert.ok(auth.status === 400 || auth.status === 401, `Bearer TOKEN<NUL>junk: ${auth.status}`);
	});

	test('a case reference with a byte that is not UTF-8 (%FF) is 404 (and audited)', async () => {
		expectError(await exchange(server.port, rawGet(`/api/cases/${aiRef}%FF`, authLines(sam))), 404, 'not_found');
	});
});

describe('after all of it', () => {
	test('nothing but the incidents the todo bugs let through was stored; /healthz and authenticated GETs answer', async () => {
		await sleep(100);
		const now = stored(server);
		// 1 filed in `before`; at most 5 more through the bugs above (two Content-Lengths, CL with chunked, %00 in the path)
		assert.ok(now.incidents >= 1 && now.incidents <= 6, JSON.stringify(now));
		assert.equal(now.manifests + now.evidence_items + now.notes, 0, JSON.stringify(now));
		assert.deepEqual(now.objects, []);
		await expectServing(server, sam);
		await expectServing(server, ivy);
	});
});
