// Helpers for the evidence-manifest tests (manifests*.test.mjs).
//
// - buildSeizedTree(root): a realistic directory of a seized laptop, with names that contain spaces,
//   XML-special characters, non-ASCII UTF-8 and raw bytes (Latin-1 0xE9, 0xFF, control 0x01).
// - filesOf(root): every regular file below root, with its relative path as a Buffer, size and hashes.
// - storedPath(bytes): the path string the server keeps for raw path bytes (see storedPath below).
// - fiwalkName(bytes): the name as fiwalk writes it into its XML.
// - tool(cmd, args, cwd): runs a real forensic tool (execFileSync) and returns stdout as a Buffer.
// - upload(), listAll(), getOriginal(), cliImport(): API and CLI helpers.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import assert from 'node:assert/strict';

import { BIN, rawHttp, expectJson, REF_RE } from './server.mjs';

export const XML = 'application/xml';

export const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
export const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');
export const sha1 = (b) => crypto.createHash('sha1').update(b).digest('hex');

/** Buffer from a mix of strings (UTF-8) and byte arrays. */
export function bytes(...parts) {
	return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

/** Deterministic pseudo-random content of n bytes, different per seed. */
export function content(seed, n) {
	const out = Buffer.alloc(n);
	let block = Buffer.alloc(0);
	for (let off = 0, i = 0; off < n; off += block.length, i++) {
		block = crypto.createHash('sha256').update(`${seed}/${i}`).digest();
		block.copy(out, off, 0, Math.min(block.length, n - off));
	}
	return out;
}

// A seized laptop: [relative path (string or Buffer), contents (Buffer or string)].
// Sizes above 4096 exercise piecewise hashing (md5deep -p 4096); 12288 is exactly three pieces.
export function seizedTree() {
	return [
		['Users/jdoe/Documents/résumé.pdf', bytes('%PDF-1.7\n', content('resume', 3000))],
		['Users/jdoe/Documents/日本語.txt', 'こんにちは、世界。会議は月曜日です。\n'],
		['Users/jdoe/Documents/Q&A <draft> "final".docx', bytes('PK\x03\x04', content('qa', 2500))],
		["Users/jdoe/Documents/jdoe's notes.txt", 'meet T. at the usual place, bring the drive\n'],
		['Users/jdoe/Documents/Invoice #2291 & receipt.pdf', bytes('%PDF-1.4\n', content('invoice', 900))],
		['Users/jdoe/Documents/Tax Return 2025.xlsx', content('tax', 12288)],
		['Users/jdoe/Pictures/Trip 2026/IMG_0001.JPG', bytes([0xff, 0xd8, 0xff, 0xe0], content('img1', 10000))],
		['Users/jdoe/Pictures/Trip 2026/IMG_0002.JPG', bytes([0xff, 0xd8, 0xff, 0xe1], content('img2', 50001))],
		[bytes('Users/jdoe/Music/Beyonc', [0xe9], '/01 Halo.mp3'), bytes('ID3', content('halo', 5000))],
		[bytes('Users/jdoe/Downloads/caf', [0xe9], ' menu.txt'), bytes('Caf', [0xe9], ' du coin: menu du jour\n')],
		[bytes('Users/jdoe/Downloads/', [0xff, 0xfe], 'report.bin'), content('report', 700)],
		[bytes('Users/jdoe/Downloads/invoice', [0x01], '.pdf'), bytes('%PDF-1.3\n', content('inv01', 300))],
		// a backslash together with an odd byte: the backslash must be escaped to stay reversible
		[bytes('Users/jdoe/Downloads/old\\backup', [0xe9], '.zip'), bytes('PK\x03\x04', content('oldzip', 1500))],
		// a backslash alone (no odd byte): kept as it is
		['Users/jdoe/Downloads/back\\slash.txt', 'a name with a backslash\n'],
		// the same text once as four ASCII characters and once as the raw byte 0xFF
		['Users/jdoe/Downloads/bad\\xFFname.bin', 'four ASCII characters\n'],
		[bytes('Users/jdoe/Downloads/bad', [0xff], 'name.bin'), 'one raw byte\n'],
		['Users/jdoe/Downloads/empty.txt', ''],
		// white space that a careless parser would trim or fold
		['Users/jdoe/Downloads/ leading space.txt', 'leading\n'],
		['Users/jdoe/Downloads/trailing space.txt ', 'trailing\n'],
		['Users/jdoe/Downloads/tab\there.txt', 'tab\n'],
		['Users/jdoe/Downloads/two\nlines.txt', 'newline\n'],
		['Users/jdoe/AppData/Local/Temp/~$draft.tmp', content('tmp', 162)],
		['Users/jdoe/.bash_history', 'ls -la\ncd /media/usb\ncp -r Pictures /media/usb\n'],
		['Users/Public/Desktop/READ ME (1).txt', 'shared desktop\n'],
	];
}

/** A fixed modification time per file (seconds since the epoch, whole seconds, UTC). */
export function mtimeOf(i) {
	return Date.UTC(2026, 5, 14, 9, 30, 0) / 1000 + i * 3671;
}

export function isoSeconds(sec) {
	return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Writes files (see seizedTree) below root with Buffer paths; sets fixed mtimes. */
export function writeTree(root, files) {
	const rootB = Buffer.from(root);
	files.forEach(([rel, data]) => {
		const abs = Buffer.concat([rootB, Buffer.from('/'), Buffer.from(rel)]);
		const dir = abs.subarray(0, abs.lastIndexOf(0x2f));
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(abs, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
	});
	files.forEach(([rel], i) => {
		const abs = Buffer.concat([rootB, Buffer.from('/'), Buffer.from(rel)]);
		fs.utimesSync(abs, mtimeOf(i), mtimeOf(i));
	});
}

/**
 * Every regular file below root, found by walking the directory (not from the list that made it):
 * [{rel: Buffer (relative to root), size, md5, sha1, sha256, mtime}] sorted by rel.
 */
export function filesOf(root) {
	const out = [];
	const walk = (absB, relB) => {
		for (const d of fs.readdirSync(absB, { encoding: 'buffer', withFileTypes: true })) {
			const name = Buffer.from(d.name);
			const a = Buffer.concat([absB, Buffer.from('/'), name]);
			const r = relB.length ? Buffer.concat([relB, Buffer.from('/'), name]) : name;
			if (d.isDirectory()) walk(a, r);
			else if (d.isFile()) {
				const data = fs.readFileSync(a);
				const st = fs.statSync(a);
				out.push({
					rel: r, size: data.length, md5: md5(data), sha1: sha1(data), sha256: sha256(data),
					mtime: isoSeconds(Math.floor(st.mtimeMs / 1000)),
				});
			}
		}
	};
	walk(Buffer.from(root), Buffer.alloc(0));
	return out.sort((x, y) => Buffer.compare(x.rel, y.rel));
}

/*
 * Length of the XML-acceptable UTF-8 sequence at b[i], or 0 when b[i] is an odd byte: not part of
 * well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), or a C0 control
 * other than tab, LF and CR.
 */
function seqLen(b, i) {
	const c = b[i];
	if (c < 0x80) return c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d ? 1 : 0;
	let need;
	let lo = 0x80;
	let hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf) need = 2;
	else if (c >= 0xe0 && c <= 0xef) need = 3;
	else if (c >= 0xf0 && c <= 0xf4) need = 4;
	else return 0;
	if (c === 0xe0) lo = 0xa0;
	else if (c === 0xed) hi = 0x9f;
	else if (c === 0xf0) lo = 0x90;
	else if (c === 0xf4) hi = 0x8f;
	for (let k = 1; k < need; k++) {
		if (i + k >= b.length) return 0;
		const d = b[i + k];
		if (k === 1 ? d < lo || d > hi : (d & 0xc0) !== 0x80) return 0;
	}
	const cp = Buffer.from(b.subarray(i, i + need)).toString('utf8').codePointAt(0);
	if (cp === 0xfffe || cp === 0xffff || cp >= 0x10ff00) return 0;
	return need;
}

const hex2 = (n) => n.toString(16).toUpperCase().padStart(2, '0');

/** True when the bytes contain an odd byte (see seqLen). */
export function hasOddBytes(b) {
	for (let i = 0; i < b.length;) {
		const k = seqLen(b, i);
		if (k === 0) return true;
		i += k;
	}
	return false;
}

/**
 * The path the server stores for raw path bytes, and whether it is marked sanitised: valid UTF-8 as
 * it is; when there is any odd byte, each odd byte becomes `\xNN` (upper-case hex) and each
 * backslash `\\`, so that the original bytes can be recovered.
 */
export function storedPath(b) {
	if (!hasOddBytes(b)) return { path: b.toString('utf8'), sanitised: false };
	let s = '';
	for (let i = 0; i < b.length;) {
		const k = seqLen(b, i);
		if (k === 0) {
			s += `\\x${hex2(b[i])}`;
			i += 1;
		} else if (k === 1 && b[i] === 0x5c) {
			s += '\\\\';
			i += 1;
		} else {
			s += b.subarray(i, i + k).toString('utf8');
			i += k;
		}
	}
	return { path: s, sanitised: true };
}

/** The inverse of storedPath for a sanitised path: the original bytes. */
export function unescapeStored(s) {
	const out = [];
	for (let i = 0; i < s.length;) {
		if (s[i] === '\\' && s[i + 1] === '\\') {
			out.push(Buffer.from('\\'));
			i += 2;
		} else if (s[i] === '\\' && s[i + 1] === 'x' && /^[0-9A-F]{2}$/.test(s.slice(i + 2, i + 4))) {
			out.push(Buffer.from([parseInt(s.slice(i + 2, i + 4), 16)]));
			i += 4;
		} else {
			const cp = s.codePointAt(i);
			const ch = String.fromCodePoint(cp);
			out.push(Buffer.from(ch, 'utf8'));
			i += ch.length;
		}
	}
	return Buffer.concat(out);
}

/**
 * The name as fiwalk (The Sleuth Kit 4.11) writes it: printable UTF-8 as is; a backslash, every
 * control byte (tab, LF and CR included) and every other odd byte as the text `\xNN`, so no raw odd
 * byte ever reaches its XML.
 */
export function fiwalkName(b) {
	let s = '';
	for (let i = 0; i < b.length;) {
		const k = seqLen(b, i);
		if (k === 0 || b[i] < 0x20 || b[i] === 0x5c) {
			s += `\\x${hex2(b[i])}`;
			i += 1;
		} else {
			s += b.subarray(i, i + k).toString('utf8');
			i += k;
		}
	}
	return s;
}

/** Runs a real tool; stdout as a Buffer. Fails the test with its stderr if it fails. */
export function tool(cmd, args, cwd) {
	try {
		return execFileSync(cmd, args, { cwd, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
	} catch (err) {
		throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stderr ?? ''}`);
	}
}

/** Number of <fileobject> elements (with any prefix) in a manifest. */
export function countFileobjects(xml) {
	return (xml.toString('latin1').match(/<(\w+:)?fileobject[\s>]/g) ?? []).length;
}

/** Request headers for a Client (cookie + CSRF token, or bearer token). */
export function authHeaders(client) {
	const h = {};
	if (client?.cookie) h.cookie = client.cookie;
	if (client?.csrf) h['x-csrf-token'] = client.csrf;
	if (client?.token) h.authorization = `Bearer ${client.token}`;
	return h;
}

/**
 * POST /api/cases/{ref}/manifests with node:http (the reply is read even when the server answers
 * before the whole body is sent). Resolves to a Reply plus `ms` (the time to the full reply).
 */
export async function upload(server, client, ref, body, { contentType = XML, headers = {} } = {}) {
	const h = { ...authHeaders(client), ...headers };
	if (contentType !== null) h['content-type'] = contentType;
	const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	h['content-length'] = String(buf.length);
	const t0 = performance.now();
	const r = await rawHttp(server.port, 'POST', `/api/cases/${ref}/manifests`, { headers: h, body: buf });
	r.ms = performance.now() - t0;
	return r;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * POST /api/cases/{ref}/manifests with Transfer-Encoding: chunked (no Content-Length), writing the
 * pieces one by one, `gapMs` apart (so that the server reads them as separate pieces). Stops
 * writing once the server has answered. Resolves to {status, text, json, contentType, ms}.
 */
export function chunkedUpload(server, client, ref, pieces, { gapMs = 0 } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = http.request({
			host: '127.0.0.1', port: server.port, method: 'POST', path: `/api/cases/${ref}/manifests`, agent: false,
			headers: { ...authHeaders(client), 'content-type': XML, 'transfer-encoding': 'chunked' },
		});
		let answered = false;
		req.setTimeout(20000, () => req.destroy(new Error('timeout')));
		req.on('error', (err) => {
			if (!answered) reject(err);
		});
		req.on('response', (res) => {
			answered = true;
			const bufs = [];
			res.on('data', (d) => bufs.push(d));
			const done = () => {
				const text = Buffer.concat(bufs).toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, text, json, contentType: res.headers['content-type'] ?? '', ms: performance.now() - t0 });
			};
			res.on('end', done);
			res.on('aborted', done);
		});
		(async () => {
			for (const p of pieces) {
				if (answered || req.destroyed) return;
				await new Promise((r) => req.write(p, r));
				if (gapMs) await sleep(gapMs);
			}
			if (!answered && !req.destroyed) req.end();
		})().catch(reject);
	});
}

/**
 * Cuts bytes into pieces before and after every byte that is not printable ASCII, so that every
 * multi-byte UTF-8 sequence and every raw byte is split across reads.
 */
export function cutAtOddBytes(buf) {
	const cuts = new Set();
	for (let i = 0; i < buf.length; i++) {
		if (buf[i] >= 0x80 || (buf[i] < 0x20 && buf[i] !== 0x0a)) {
			cuts.add(i);
			cuts.add(i + 1);
		}
	}
	const out = [];
	let prev = 0;
	for (const c of [...cuts].sort((x, y) => x - y)) {
		if (c > prev && c <= buf.length) {
			out.push(buf.subarray(prev, c));
			prev = c;
		}
	}
	if (prev < buf.length) out.push(buf.subarray(prev));
	return out;
}

/** Asserts a manifest reply (201 new or 200 already imported) and returns its body. */
export function expectManifest(res, status, { ref, data, items, sanitised } = {}) {
	const ctx = `${res.status} ${String(res.text).slice(0, 600)}`;
	assert.equal(res.status, status, `manifest upload: expected ${status}, got ${ctx}`);
	assert.match(res.contentType, /^application\/json\b/i, ctx);
	const b = res.json;
	assert.ok(b && typeof b.manifest === 'object', ctx);
	const m = b.manifest;
	assert.ok(Number.isInteger(m.id) && m.id > 0, `manifest id: ${ctx}`);
	assert.equal(m.format, 'dfxml', ctx);
	assert.ok(Number.isInteger(b.flags), `flags: ${ctx}`);
	assert.ok(Number.isInteger(b.hash_matches) && b.hash_matches >= 0, `hash_matches: ${ctx}`);
	if (ref !== undefined) assert.equal(m.case_ref, ref, ctx);
	if (data !== undefined) {
		assert.equal(m.sha256, sha256(data), `manifest sha256: ${ctx}`);
		assert.equal(m.size, data.length, `manifest size: ${ctx}`);
	}
	if (items !== undefined) assert.equal(m.items, items, `manifest items: ${ctx}`);
	if (sanitised !== undefined) assert.equal(m.sanitised, sanitised, `manifest sanitised: ${ctx}`);
	if (status === 200) assert.equal(b.already_imported, true, ctx);
	else assert.ok(!('already_imported' in b) || b.already_imported === false, ctx);
	return b;
}

/** GET /api/cases/{ref}/evidence, all pages of `limit`; returns {total, items}. */
export async function listAll(client, ref, { q, limit = 500 } = {}) {
	const items = [];
	let total = null;
	for (let offset = 0; ; offset += limit) {
		const qs = new URLSearchParams({ limit: String(limit), offset: String(offset) });
		if (q !== undefined) qs.set('q', q);
		const res = await client.get(`/api/cases/${ref}/evidence?${qs}`);
		assert.equal(res.status, 200, `evidence listing: ${res.status} ${res.text.slice(0, 300)}`);
		const b = res.json;
		if (total === null) total = b.total;
		assert.equal(b.total, total, 'total changed while paging');
		assert.ok(b.items.length <= limit, 'more items than the limit');
		items.push(...b.items);
		if (b.items.length < limit || items.length >= total) break;
	}
	assert.equal(items.length, total, `paged ${items.length} items, total says ${total}`);
	assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'an item appeared on two pages');
	return { total, items };
}

/** The evidence total of a case. */
export async function evidenceTotal(client, ref) {
	const res = await client.get(`/api/cases/${ref}/evidence?limit=1`);
	assert.equal(res.status, 200, `evidence listing: ${res.status} ${res.text.slice(0, 300)}`);
	return res.json.total;
}

/** GET /api/manifests/{id}/original: {status, body (Buffer), headers}. */
export async function getOriginal(server, client, id) {
	const res = await fetch(`${server.base}/api/manifests/${id}/original`, { headers: authHeaders(client) });
	const body = Buffer.from(await res.arrayBuffer());
	let json;
	try {
		json = JSON.parse(body.toString('utf8'));
	} catch {
		json = undefined;
	}
	return {
		status: res.status, body, headers: res.headers, json, text: body.toString('utf8'),
		contentType: res.headers.get('content-type') ?? '',
	};
}

/** The file names in DB.objects (originals by SHA-256, and any temporary upload files). */
export function objectsListing(server) {
	try {
		return fs.readdirSync(server.objectsDir).sort();
	} catch (err) {
		if (err.code === 'ENOENT') return [];
		throw err;
	}
}

/** Waits (1 s at most) until DB.objects holds exactly `expected`; asserts it. */
export async function expectObjects(server, expected) {
	let now = objectsListing(server);
	for (let i = 0; i < 20 && JSON.stringify(now) !== JSON.stringify(expected); i++) {
		await new Promise((r) => setTimeout(r, 50));
		now = objectsListing(server);
	}
	assert.deepEqual(now, expected, `${server.objectsDir} changed`);
}

/** `aimcase import --db DB ARGS...`; input may be a Buffer. Returns {status, stdout, stderr}. */
export function cliImport(db, args, input) {
	const r = spawnSync(BIN, ['import', '--db', db, ...args], { input: input ?? '', timeout: 30000 });
	if (r.error) throw new Error(`aimcase import: ${r.error.message}`);
	return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** `aimcase import --db DB ARGS... -` fed on stdin piece by piece, `gapMs` apart. */
export function cliImportPieces(db, args, pieces, { gapMs = 1 } = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(BIN, ['import', '--db', db, ...args, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
		p.stdout.on('data', (d) => { stdout += d; });
		p.stderr.on('data', (d) => { stderr += d; });
		p.on('error', reject);
		p.on('exit', (status) => {
			clearTimeout(timer);
			resolve({ status, stdout, stderr });
		});
		p.stdin.on('error', () => {});
		(async () => {
			for (const piece of pieces) {
				await new Promise((r) => p.stdin.write(piece, r));
				if (gapMs) await sleep(gapMs);
			}
			p.stdin.end();
		})().catch(reject);
	});
}

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Escapes text for XML element content and attribute values. */
export const xmlText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
	.replace(/"/g, '&quot;');

/** Files an incident as client; returns the new case's ref. */
export async function fileIncident(client, body) {
	const res = await client.post('/api/incidents', body);
	const b = expectJson(res, 201);
	assert.match(b.case.ref, REF_RE);
	return b.case.ref;
}
