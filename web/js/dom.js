// dom.js — building the page without HTML strings.
//
// Every text reaches the page through text nodes (never innerHTML), so no value from the API can
// become markup.  The one exception is a search snippet, whose only markup is <mark>: snippet()
// rebuilds it from the escaped text.

/**
 * h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) — an element.
 * Attributes: `class`, `text`, `on<event>` (a listener), `dataset` (object), boolean values
 * (true sets the attribute empty, false/null/undefined leaves it out), anything else a string.
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs ?? {})) {
		if (v === false || v === null || v === undefined) continue;
		if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k === 'text') el.textContent = String(v);
		else if (k === 'value' && 'value' in el) el.value = v;
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

/** Appends strings, numbers, nodes and (nested) arrays; null and false are skipped. */
export function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

/** Replaces the content of el. */
export function replace(el, ...children) {
	el.replaceChildren();
	return append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes are set as they are (presentation attributes, never style). */
export function svg(tag, attrs, ...children) {
	const el = document.createElementNS(SVG_NS, tag);
	for (const [k, v] of Object.entries(attrs ?? {})) {
		if (v === null || v === undefined) continue;
		el.setAttribute(k, String(v));
	}
	return append(el, children);
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeHtml(s) {
	return s.replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]);
}

/** A search snippet (HTML-escaped text with <mark>…</mark>) as nodes, nothing else kept. */
export function snippet(html) {
	const out = [];
	const parts = String(html).split(/(<mark>|<\/mark>)/);
	let marked = false;
	for (const p of parts) {
		if (p === '<mark>') marked = true;
		else if (p === '</mark>') marked = false;
		else if (p !== '') out.push(marked ? h('mark', null, unescapeHtml(p)) : unescapeHtml(p));
	}
	return out;
}

/** A YYYY-MM-DDTHH:MM:SSZ time shown in the browser's zone, or an em dash. */
export function when(t) {
	if (!t) return '—';
	const d = new Date(t);
	if (Number.isNaN(d.getTime())) return t;
	return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A <time> element for an API time. */
export function time(t) {
	return t ? h('time', { datetime: t, title: t }, when(t)) : '—';
}

/** "3 d 4 h 10 min", "5 h 12 min 09 s", "40 s" for a duration in milliseconds (absolute). */
export function duration(ms) {
	let s = Math.floor(Math.abs(ms) / 1000);
	const d = Math.floor(s / 86400); s -= d * 86400;
	const hr = Math.floor(s / 3600); s -= hr * 3600;
	const m = Math.floor(s / 60); s -= m * 60;
	if (d > 0) return `${d} d ${hr} h ${m} min`;
	if (hr > 0) return `${hr} h ${String(m).padStart(2, '0')} min ${String(s).padStart(2, '0')} s`;
	if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
	return `${s} s`;
}

/** A label for an enumeration value: "ai_intrusion" → "AI intrusion". */
const LABELS = {
	ai_intrusion: 'AI intrusion', take_it_down: 'Take It Down', open: 'Open',
	investigating: 'Investigating', charged: 'Charged', closed: 'Closed', normal: 'Normal',
	restricted: 'Restricted', incident: 'Incident', note: 'Note', evidence: 'Evidence',
	critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info',
};
export function label(v) {
	return LABELS[v] ?? String(v).replace(/_/g, ' ');
}

/** A small coloured badge: kind, status, severity or sensitivity. */
export function badge(v, prefix = '') {
	return h('span', { class: `badge ${prefix}${v}` }, label(v));
}

/** Bytes as "12.3 MB". */
export function bytes(n) {
	if (n === null || n === undefined) return '—';
	const u = ['B', 'KB', 'MB', 'GB', 'TB'];
	let i = 0;
	let v = Number(n);
	while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
	return `${i === 0 ? v : v.toFixed(1)} ${u[i]}`;
}

/** A table with a caption, column headers and rows of cells (each cell a node, string or array). */
export function table(caption, headers, rows, opts = {}) {
	return h('div', { class: 'table-wrap' },
		// Explicit roles: on a phone the rows are laid out as blocks, and CSS display must not
		// take the table's meaning away from screen readers.
		h('table', { class: opts.class ?? null, role: 'table' },
			caption ? h('caption', { class: opts.hideCaption ? 'sr-only' : null }, caption) : null,
			h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, headers.map((t) => h('th', { scope: 'col', role: 'columnheader' }, t)))),
			h('tbody', { role: 'rowgroup' }, rows.map((r) => h('tr', { role: 'row' }, r.map((c, i) => h('td', { role: 'cell', 'data-label': headers[i] }, c)))))));
}

/** A paragraph saying there is nothing to show. */
export function empty(text) {
	return h('p', { class: 'empty' }, text);
}

/** Announces text to screen readers through the live region. */
export function announce(text) {
	const s = document.getElementById('status');
	if (s) s.textContent = text;
}
