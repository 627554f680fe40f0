// links.js — related cases: the list with the shared indicators that explain each link, and a
// small picture of a case and its links (SVG, no style attributes: CSP allows none).

import { h, svg, empty } from './dom.js';

const TYPE_NAMES = {
	ip: 'IP', user_agent: 'user agent', account: 'account', domain: 'domain', url: 'URL',
	email: 'e-mail', phone: 'phone', handle: 'handle', sha256: 'SHA-256', md5: 'MD5', sha1: 'SHA-1',
	wallet: 'wallet', api_key: 'API key', cve: 'CVE', model: 'model',
};

export function typeName(t) {
	return TYPE_NAMES[t] ?? t.replace(/_/g, ' ');
}

/** The related cases, strongest first: ref, title, score and the shared values. */
export function linkList(links) {
	if (!links.length) return empty('No related cases found.');
	return h('ol', { class: 'links' }, links.map((l) => h('li', null,
		h('div', { class: 'link-head' },
			h('a', { href: `#/cases/${l.ref}` }, l.ref), ' ',
			h('span', { class: 'link-title' }, l.title), ' ',
			h('span', { class: 'score', title: 'Link strength: the weight of each shared value, rarer values count more' }, `score ${Number(l.score).toFixed(2)}`)),
		h('ul', { class: 'shared', 'aria-label': `Shared with ${l.ref}` }, l.shared.map((s) => h('li', null,
			h('span', { class: 'ind-type' }, typeName(s.type)), ' ',
			h('a', { href: `#/search?q=${encodeURIComponent(`indicator:${quoteValue(s.value)}`)}`, class: 'ind-value' }, s.value),
			s.cases ? h('span', { class: 'hint' }, ` in ${s.cases} cases`) : null))))));
}

/** A value as one query term: quoted when it holds a space or a quote. */
export function quoteValue(v) {
	return /[\s"()]/.test(v) ? `"${v.replace(/"/g, '')}"` : v;
}

/**
 * The case in the middle, its related cases on a circle around it, each line as thick as the
 * link is strong.  Each node is a link (keyboard reachable) with a <title> for its name.
 */
export function linkGraph(ref, links) {
	const shown = links.slice(0, 12);
	const W = 360;
	const H = 260;
	const cx = W / 2;
	const cy = H / 2;
	const R = 95;
	const max = Math.max(1, ...shown.map((l) => l.score));
	const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'graph', role: 'group', 'aria-labelledby': 'graph-title graph-desc' },
		svg('title', { id: 'graph-title' }, `${ref} and its related cases`),
		svg('desc', { id: 'graph-desc' }, shown.length
			? `${shown.length} related case${shown.length === 1 ? '' : 's'}: ${shown.map((l) => l.ref).join(', ')}`
			: 'No related cases'));
	const edges = svg('g', { class: 'edges' });
	const nodes = svg('g', { class: 'nodes' });
	g.append(edges, nodes);
	shown.forEach((l, i) => {
		const a = (2 * Math.PI * i) / shown.length - Math.PI / 2;
		const x = cx + R * Math.cos(a);
		const y = cy + R * Math.sin(a);
		edges.append(svg('line', { x1: cx, y1: cy, x2: x.toFixed(1), y2: y.toFixed(1), 'stroke-width': (1 + 5 * (l.score / max)).toFixed(1) }));
		const anchor = Math.cos(a) < -0.3 ? 'end' : Math.cos(a) > 0.3 ? 'start' : 'middle';
		const dx = anchor === 'end' ? -12 : anchor === 'start' ? 12 : 0;
		const dy = anchor === 'middle' ? (Math.sin(a) < 0 ? -14 : 22) : 4;
		nodes.append(svg('a', { href: `#/cases/${l.ref}`, class: 'node' },
			svg('title', null, `${l.ref}: ${l.title} (score ${Number(l.score).toFixed(2)})`),
			svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 8 }),
			svg('text', { x: (x + dx).toFixed(1), y: (y + dy).toFixed(1), 'text-anchor': anchor }, l.ref.slice(4))));
	});
	nodes.append(svg('g', { class: 'node self' },
		svg('circle', { cx, cy, r: 12 }),
		svg('text', { x: cx, y: cy + 30, 'text-anchor': 'middle' }, ref.slice(4))));
	return g;
}
