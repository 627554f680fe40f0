// search_load PORT TOKEN CLIENTS ROUNDS — CLIENTS concurrent clients each run the 20-query mix
// ROUNDS times over HTTP; prints per-query client-side medians and overall p50/p99 (ms) as JSON.
export const QUERIES = [
	// 8 rare terms (a code word is in about 1 report in 328)
	'opalnorth', 'quartzsigma', 'basaltzulu', 'cobaltkilo', 'garnetdelta', 'jasperomega', 'onyxtango', 'pyritegolf',
	// 6 mid terms
	'harborview', 'larkspur', 'pixelboard', 'sextortion', 'playwright', 'hollowtalk',
	// 3 common terms
	'victim', 'jdoe', 'documents',
	// phrases, prefixes, filters
	'"credit union"', 'harb*', 'kind:take_it_down removal',
];

if (process.argv[1].endsWith('search_load.mjs')) {
	const [port, token, clients, rounds] = process.argv.slice(2);
	const times = [];
	const per = new Map(QUERIES.map((q) => [q, []]));
	const took = new Map(QUERIES.map((q) => [q, []]));
	const hits = new Map();
	const refused = new Map();
	const one = async (qs) => {
		const t0 = performance.now();
		const r = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(qs)}`,
			{ headers: { Authorization: `Bearer ${token}` } });
		const body = await r.json();
		const ms = performance.now() - t0;
		times.push(ms);
		if (r.status === 503) { refused.set(qs, (refused.get(qs) ?? 0) + 1); return; }
		if (r.status !== 200) throw new Error(`${qs}: ${r.status} ${JSON.stringify(body)}`);
		per.get(qs).push(ms);
		took.get(qs).push(body.took_ms);
		hits.set(qs, body.total);
	};
	await Promise.all(Array.from({ length: Number(clients) }, async (_, c) => {
		for (let r = 0; r < Number(rounds); r++) {
			for (let i = 0; i < QUERIES.length; i++) await one(QUERIES[(i + c) % QUERIES.length]);
		}
	}));
	const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
	console.log(JSON.stringify({
		p50: pct(times, 0.5), p99: pct(times, 0.99), n: times.length,
		server_p50: pct([...took.values()].flat(), 0.5), server_p99: pct([...took.values()].flat(), 0.99),
		refused: [...refused.values()].reduce((a, b) => a + b, 0),
		per: Object.fromEntries([...per].map(([q, a]) => [q, { client: pct(a, 0.5), server: took.get(q).length ? pct(took.get(q), 0.5) : 2000, hits: hits.get(q) ?? `refused ${refused.get(q)}`, refused: refused.get(q) ?? 0 }])),
	}));
}
