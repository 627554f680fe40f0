// Rules on filing and import, key redaction, indicators, links (noise, cap, visibility),
// hash sets, GET /api/rules, POST /api/rescan, SIGHUP reload (docs/rules.md, docs/api.md).
// Uses the small test pack fixtures/rules/good so that the expectations are exact.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	startServer, expectError, expectJson, aiIncident, tdIncident, cli, REPO,
} from './lib/server.mjs';
import { upload } from './lib/manifests.mjs';

const PACK = path.join(REPO, 'fixtures', 'rules', 'good');
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** An AI-intrusion report whose only indicators are the given ones. */
function ai(title, narrative, indicators = {}) {
	const b = aiIncident({ title, narrative });
	b.ai_intrusion.indicators = indicators;
	return b;
}

function td(title, hash, over = {}) {
	const b = tdIncident({ title, ...over });
	b.take_it_down.content_hashes = [hash];
	return b;
}

const hex64 = (c) => c.repeat(64);
const refs = (links) => links.map((l) => l.ref);

describe('rules, indicators and links', { timeout: 180000 }, () => {
	let srv, ivy, ian, paula, sam;
	before(async () => {
		srv = await startServer({ rules: PACK });
		[ivy, ian, paula, sam] = await Promise.all(['ivy', 'ian', 'paula', 'sam'].map((u) => srv.login(u)));
	});
	after(async () => { await srv?.stop(); });

	it('flags a crawler and a leaked key on filing, and the key is never shown in clear', async () => {
		const narrative = `WAF logs show GPTBot/1.2 fetching /export with key ${KEY} from 203.0.113.45.`;
		const res = await ivy.post('/api/incidents', ai('Key used by a crawler', narrative));
		const b = expectJson(res, 201);
		assert.ok(!res.text.includes(KEY), 'the filing reply shows the key');
		const ids = b.flags.map((f) => f.rule);
		assert.ok(ids.includes('t.ua.gptbot') && ids.includes('t.key.aws') && ids.includes('t.ip'), ids.join());
		const key = b.flags.find((f) => f.rule === 't.key.aws');
		assert.equal(key.severity, 'high');
		assert.equal(key.field, 'narrative');
		assert.match(key.excerpt, /\[REDACTED aws key fp:[0-9a-f]{16}\]/);
		const ind = b.indicators.find((i) => i.type === 'api_key');
		assert.match(ind.value, /^aws:[0-9a-f]{16}$/);
		assert.ok(b.indicators.some((i) => i.type === 'user_agent' && i.value === 'GPTBot/1.2'));
		for (const p of [`/api/incidents/${b.id}`, `/api/cases/${b.case.ref}`]) {
			const r = await ivy.get(p);
			assert.equal(r.status, 200);
			assert.ok(!r.text.includes(KEY), `${p} shows the key`);
		}
		const inc = expectJson(await ivy.get(`/api/incidents/${b.id}`), 200);
		assert.match(inc.narrative, /with key \[REDACTED aws key fp:[0-9a-f]{16}\] from/);
		assert.ok(!srv.stderr.includes(KEY), 'the server log shows the key');
	});

	it('links cases that share an e-mail address or a key fingerprint, with the reason', async () => {
		const a = expectJson(await ivy.post('/api/incidents',
			ai('Extortion mail A', 'Demands came from Extort.Crew@example.net on 11-02.')), 201);
		const b = expectJson(await ivy.post('/api/incidents',
			ai('Extortion mail B', 'The same sender extort.crew@EXAMPLE.net wrote again.')), 201);
		const link = b.links.find((l) => l.ref === a.case.ref);
		assert.ok(link, `filing B does not name A: ${JSON.stringify(b.links)}`);
		assert.ok(link.score > 0);
		assert.deepEqual(link.shared.map((s) => [s.type, s.value]), [['email', 'extort.crew@example.net']]);
		const back = expectJson(await ivy.get(`/api/cases/${a.case.ref}/links`), 200);
		assert.ok(refs(back).includes(b.case.ref));

		const k1 = expectJson(await ivy.post('/api/incidents', ai('Key seen at A', `key ${KEY} in a repo`)), 201);
		const k2 = expectJson(await ivy.post('/api/incidents', ai('Key seen at B', `key ${KEY} in a paste`)), 201);
		const kl = k2.links.find((l) => l.ref === k1.case.ref);
		assert.ok(kl && kl.shared.some((s) => s.type === 'api_key' && /^aws:/.test(s.value)));
		const view = expectJson(await ivy.get(`/api/cases/${k2.case.ref}`), 200);
		assert.ok(refs(view.links).includes(k1.case.ref), 'the case view lists its links');
	});

	it('a shared content hash or wallet-grade value weighs more than a shared user agent', async () => {
		const h = hex64('a');
		const c1 = expectJson(await ivy.post('/api/incidents', td('Same image 1', h)), 201);
		const c2 = expectJson(await ivy.post('/api/incidents', td('Same image 2', h)), 201);
		const u1 = expectJson(await ivy.post('/api/incidents', ai('UA 1', 'n/a', { user_agents: ['OddAgent/9.1 (+ops)'] })), 201);
		const u2 = expectJson(await ivy.post('/api/incidents', ai('UA 2', 'n/a', { user_agents: ['OddAgent/9.1 (+ops)'] })), 201);
		const hashLink = c2.links.find((l) => l.ref === c1.case.ref);
		const uaLink = u2.links.find((l) => l.ref === u1.case.ref);
		assert.ok(hashLink && uaLink);
		assert.ok(hashLink.score > uaLink.score, `${hashLink.score} <= ${uaLink.score}`);
	});

	it('noise never links: a public resolver, a private address, a common Chrome user agent', async () => {
		for (const ind of [{ ips: ['8.8.8.8'] }, { ips: ['10.20.30.40'] }, { user_agents: [CHROME] }]) {
			const x = expectJson(await ivy.post('/api/incidents', ai('Noise X', 'nothing else', ind)), 201);
			const y = expectJson(await ivy.post('/api/incidents', ai('Noise Y', 'nothing else', ind)), 201);
			assert.ok(!refs(y.links).includes(x.case.ref), `linked by ${JSON.stringify(ind)}`);
		}
	});

	it('a value shared by more than 50 cases stops linking (the cap)', async () => {
		const ind = { ips: ['192.0.2.200'] };
		let first;
		for (let i = 0; i < 52; i++) {
			const b = expectJson(await ivy.post('/api/incidents', ai(`Scanner wave ${i}`, 'port scan', ind)), 201);
			first ??= b.case.ref;
		}
		const last = expectJson(await ivy.post('/api/incidents', ai('Scanner wave last', 'port scan', ind)), 201);
		assert.ok(!refs(last.links).includes(first));
		const l = expectJson(await ivy.get(`/api/cases/${first}/links`), 200);
		assert.ok(!l.some((x) => x.shared.some((s) => s.value === '192.0.2.200')));
	});

	it('a restricted case never shows among links, not even as a count', async () => {
		const h = hex64('b');
		const minor = td('Minor victim, restricted', h, { narrative: 'The victim is a 15-year-old student.' });
		minor.take_it_down.victim_minor = true;
		const r = expectJson(await ian.post('/api/incidents', minor), 201);
		assert.equal(expectJson(await ian.get(`/api/cases/${r.case.ref}`), 200).sensitivity, 'restricted');
		const v = expectJson(await ivy.post('/api/incidents', td('Same picture elsewhere', h)), 201);
		assert.ok(!refs(v.links).includes(r.case.ref), 'ivy sees the restricted case among her links');
		const asPaula = expectJson(await paula.get(`/api/cases/${v.case.ref}/links`), 200);
		assert.ok(!refs(asPaula).includes(r.case.ref));
		const asSam = expectJson(await sam.get(`/api/cases/${v.case.ref}/links`), 200);
		assert.ok(refs(asSam).includes(r.case.ref), 'a supervisor sees the link');
		// rule hit counts respect visibility too
		const hits = async (c) => expectJson(await c.get('/api/rules'), 200).rules.find((x) => x.id === 't.minor').hits;
		assert.equal(await hits(paula), 0);
		assert.ok(await hits(sam) >= 1);
		expectError(await ivy.get(`/api/cases/${r.case.ref}/links`), 404, 'not_found');
	});

	it('GET /api/rules lists the rules in force with pack, severity, description and hits', async () => {
		const b = expectJson(await paula.get('/api/rules'), 200);
		const r = b.rules.find((x) => x.id === 't.ua.gptbot');
		assert.deepEqual([r.pack, r.severity, typeof r.description, typeof r.hits], ['sample', 'medium', 'string', 'number']);
		assert.ok(r.hits >= 1);
		assert.equal(b.rules.length, 6);
	});

	it('evidence paths are scanned on import', async () => {
		const ref = expectJson(await ivy.post('/api/incidents', ai('Laptop of the operator', 'seized')), 201).case.ref;
		const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<dfxml version="1.0"><fileobject>' +
			'<filename>logs/GPTBot/1.2/fetch.log</filename><filesize>10</filesize></fileobject>' +
			'<fileobject><filename>notes.txt</filename><filesize>3</filesize></fileobject></dfxml>\n';
		const b = expectJson(await upload(srv, ivy, ref, Buffer.from(xml)), 201);
		assert.equal(b.flags, 1);
		const view = expectJson(await ivy.get(`/api/cases/${ref}`), 200);
		assert.ok(view.flags.some((f) => f.rule === 't.ua.gptbot' && f.doc_type === 'evidence'));
	});

	it('hash sets: known-bad content is flagged, known-good content does not link', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-hs-'));
		const bad = hex64('c'), good = hex64('d');
		fs.writeFileSync(path.join(dir, 'bad.txt'), `# known CSAM-free test values\n${bad.toUpperCase()}\n`);
		fs.writeFileSync(path.join(dir, 'good.txt'), `${good}\n`);
		let r = cli(['hashset', 'import', 'ncmec-test', '--kind', 'known-bad', path.join(dir, 'bad.txt'), '--db', srv.db]);
		assert.equal(r.status, 0, r.stderr);
		r = cli(['hashset', 'import', 'nsrl-test', '--kind', 'known-good', path.join(dir, 'good.txt'), '--db', srv.db]);
		assert.equal(r.status, 0, r.stderr);
		r = cli(['hashset', 'import', 'x', '--kind', 'maybe', path.join(dir, 'good.txt'), '--db', srv.db]);
		assert.equal(r.status, 1);
		fs.writeFileSync(path.join(dir, 'broken.txt'), 'nothex\n');
		r = cli(['hashset', 'import', 'y', '--kind', 'known-bad', path.join(dir, 'broken.txt'), '--db', srv.db]);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /broken\.txt:1: /);

		const f = expectJson(await ivy.post('/api/incidents', td('Known image', bad)), 201);
		assert.ok(f.flags.some((x) => x.rule === 'hashset.known-bad.ncmec-test'), JSON.stringify(f.flags));
		const g1 = expectJson(await ivy.post('/api/incidents', td('Stock picture 1', good)), 201);
		const g2 = expectJson(await ivy.post('/api/incidents', td('Stock picture 2', good)), 201);
		assert.ok(!refs(g2.links).includes(g1.case.ref), 'a known-good hash links cases');
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('POST /api/rescan re-runs the rules (supervisor only) and twice gives the same flags', async () => {
		expectError(await paula.post('/api/rescan', {}), 403, 'forbidden');
		const one = expectJson(await sam.post('/api/rescan', {}), 200);
		assert.ok(one.documents > 0 && one.flags > 0, JSON.stringify(one));
		const two = expectJson(await sam.post('/api/rescan', {}), 200);
		assert.deepEqual(two, one);
		const only = expectJson(await sam.post('/api/rescan?rule=t.email', {}), 200);
		assert.ok(only.flags >= 2 && only.flags < one.flags);
		expectError(await sam.post('/api/rescan?rule=no.such', {}), 400, 'invalid_field', 'rule');
	});
});

describe('rule reload on SIGHUP', { timeout: 60000 }, () => {
	let srv, dir, sam;
	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimcase-rules-'));
		for (const f of fs.readdirSync(PACK)) fs.copyFileSync(path.join(PACK, f), path.join(dir, f));
		srv = await startServer({ rules: dir });
		sam = await srv.login('sam');
	});
	after(async () => {
		await srv?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	const count = async () => expectJson(await sam.get('/api/rules'), 200).rules.length;
	const hup = async () => { srv.proc.kill('SIGHUP'); await new Promise((r) => setTimeout(r, 300)); };

	it('a broken pack is refused with file:line and the rules in force stay', async () => {
		assert.equal(await count(), 6);
		fs.writeFileSync(path.join(dir, 'extra.rules'), 'pack: extra\n\n[x.bad]\ndescription: d\nseverity: low\nfields: narrative\npattern: (\nmatch: a\nno-match: b\n');
		await hup();
		assert.equal(await count(), 6);
		assert.match(srv.stderr, /extra\.rules:7: rule x\.bad: pattern does not compile/);
	});

	it('a good pack replaces the set whole', async () => {
		fs.writeFileSync(path.join(dir, 'extra.rules'), 'pack: extra\n\n[x.good]\ndescription: d\nseverity: low\nfields: narrative\npattern: (?i)exfiltrat\nliterals: exfiltrat\nmatch: data was exfiltrated\nno-match: nothing\n');
		await hup();
		assert.equal(await count(), 7);
	});
});

describe('the shipped packs on a realistic report', { timeout: 60000 }, () => {
	let srv, ivy;
	before(async () => {
		srv = await startServer();
		ivy = await srv.login('ivy');
	});
	after(async () => { await srv?.stop(); });

	it('a crawler user agent and a leaked AWS key are flagged, and the key is nowhere in clear', async () => {
		const narrative = 'The portal logs show "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ' +
			`GPTBot/1.2; +https://openai.com/gptbot)" pulling /export with aws_access_key_id=${KEY} after the ` +
			'key was revoked; the operator paid from bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq and used 8.8.8.8.';
		const res = await ivy.post('/api/incidents', ai('Crawler used a leaked key', narrative));
		const b = expectJson(res, 201);
		const ids = b.flags.map((f) => f.rule);
		assert.ok(ids.includes('ai.ua.openai'), ids.join());
		assert.ok(ids.includes('ai.key.aws'), ids.join());
		assert.ok(!res.text.includes(KEY));
		for (const p of [`/api/incidents/${b.id}`, `/api/cases/${b.case.ref}`]) {
			assert.ok(!(await ivy.get(p)).text.includes(KEY), p);
		}
		assert.ok(!srv.stderr.includes(KEY));
		// the same wallet links a second case; the shared resolver does not
		const w = expectJson(await ivy.post('/api/incidents',
			ai('Same wallet', 'Ransom to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, DNS via 8.8.8.8.')), 201);
		const link = w.links.find((l) => l.ref === b.case.ref);
		assert.ok(link, JSON.stringify(w.links));
		assert.ok(link.shared.some((s) => s.type === 'wallet' && s.value === 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'));
		assert.ok(!link.shared.some((s) => s.value === '8.8.8.8'), 'a public resolver links the cases');
	});
});
