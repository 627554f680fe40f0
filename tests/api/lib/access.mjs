// Helpers for the access-control, header and transport tests (matrix, headers, tls).
//
// - expectSecurityHeaders(res, ctx): the headers docs/api.md puts on every reply.
// - expectNoLeak(res, secrets, ctx): the body names none of the secrets (a case ref, a word).
// - dfxml(files): a small DFXML manifest, as hashdeep -d writes it, of [path, sha256] pairs.
// - postXml(client, path, xml): a manifest upload through a Client.
// - pollUntil(fn, ms): retries fn until it returns a truthy value.

import assert from 'node:assert/strict';

/** The Content-Security-Policy of docs/api.md ("Headers on every reply"), directive by directive. */
export const CSP = {
	'default-src': ["'none'"],
	'script-src': ["'self'"],
	'style-src': ["'self'"],
	'img-src': ["'self'", 'data:'],
	'connect-src': ["'self'"],
	'font-src': ["'self'"],
	'form-action': ["'self'"],
	'base-uri': ["'none'"],
	'frame-ancestors': ["'none'"],
};

/** The value of a header of a Reply (fetch Headers or node:http's plain object). */
function header(res, name) {
	if (typeof res.header === 'function') return res.header(name);
	return res.headers[name.toLowerCase()];
}

/** Parses a CSP header into {directive: [sources]}; asserts that no directive repeats. */
export function parseCsp(value, ctx = '') {
	const out = {};
	for (const part of value.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (!name) continue;
		assert.ok(!(name.toLowerCase() in out), `${ctx}: CSP repeats ${name}: ${value}`);
		out[name.toLowerCase()] = sources;
	}
	return out;
}

/**
 * Asserts the security headers of every reply: a CSP without 'unsafe-inline'/'unsafe-eval' and with
 * frame-ancestors 'none' (exactly the documented directives), X-Content-Type-Options: nosniff,
 * Referrer-Policy: no-referrer, X-Frame-Options: DENY, Cross-Origin-Opener-Policy: same-origin.
 */
export function expectSecurityHeaders(res, ctx) {
	const csp = header(res, 'content-security-policy');
	assert.ok(csp, `${ctx}: no Content-Security-Policy`);
	assert.ok(!/'unsafe-inline'/i.test(csp), `${ctx}: CSP allows inline code: ${csp}`);
	assert.ok(!/'unsafe-eval'/i.test(csp), `${ctx}: CSP allows eval: ${csp}`);
	assert.ok(!/'unsafe-hashes'|'strict-dynamic'|(^|\s)\*(\s|;|$)|(^|\s)https?:(\s|;|$)/i.test(csp),
		`${ctx}: CSP allows more than the same origin: ${csp}`);
	assert.deepEqual(parseCsp(csp, ctx), CSP, `${ctx}: CSP directives: ${csp}`);
	assert.equal(header(res, 'x-content-type-options'), 'nosniff', `${ctx}: X-Content-Type-Options`);
	assert.equal(header(res, 'referrer-policy'), 'no-referrer', `${ctx}: Referrer-Policy`);
	assert.equal(header(res, 'x-frame-options'), 'DENY', `${ctx}: X-Frame-Options`);
	assert.equal(header(res, 'cross-origin-opener-policy'), 'same-origin', `${ctx}: Cross-Origin-Opener-Policy`);
}

/** Asserts that the body of a Reply contains none of the secrets (case refs, unique words). */
export function expectNoLeak(res, secrets, ctx) {
	for (const s of secrets) {
		assert.ok(!res.text.toLowerCase().includes(String(s).toLowerCase()),
			`${ctx}: the reply names ${s}: ${res.status} ${res.text.slice(0, 600)}`);
	}
}

const xmlText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A DFXML manifest (hashdeep -d style) of [path, sha256 hex, size] entries. */
export function dfxml(files, { command = 'hashdeep -c sha256 -r -d Users' } = {}) {
	const objs = files.map(([p, sha, size = 1024]) =>
		'  <fileobject>\n' +
		`    <filename>${xmlText(p)}</filename>\n` +
		`    <filesize>${size}</filesize>\n` +
		`    <hashdigest type='SHA256'>${sha}</hashdigest>\n` +
		'  </fileobject>\n');
	return "<?xml version='1.0' encoding='UTF-8'?>\n" +
		"<dfxml xmloutputversion='1.0'>\n" +
		'  <metadata xmlns=\'http://afflib.org/hashdeep/\' xmlns:xsi=\'http://www.w3.org/2001/XMLSchema-instance\'' +
		" xmlns:dc='http://purl.org/dc/elements/1.1/'>\n    <dc:type>Hash List</dc:type>\n  </metadata>\n" +
		`  <creator version='1.0'>\n    <program>hashdeep</program>\n    <version>4.4</version>\n` +
		`    <execution_environment>\n      <command_line>${xmlText(command)}</command_line>\n` +
		'    </execution_environment>\n  </creator>\n' +
		objs.join('') +
		'</dfxml>\n';
}

/** POST an XML manifest to a path through a Client (cookie + CSRF, or token). */
export function postXml(client, path, xml, opts = {}) {
	return client.request('POST', path, {
		...opts, body: xml, headers: { 'content-type': 'application/xml', ...(opts.headers ?? {}) },
	});
}

/** Calls fn every 100 ms until it returns a truthy value (returned), or throws after ms. */
export async function pollUntil(fn, ms, what) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`${what}: not true within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}
