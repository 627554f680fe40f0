// search.js — one box with the query language, facets as filters, snippets, pages.
//
// The URL holds the query (#/search?q=…&offset=…), so a search can be bookmarked and shared;
// submitting the form or clicking a facet only changes the URL.

import { api, ApiError } from './api.js';
import { h, replace, snippet, badge, label, announce } from './dom.js';

const LIMIT = 20;

function help() {
	const ex = (q, t) => h('li', null, h('code', null, q), ` — ${t}`);
	return h('details', { class: 'syntax' },
		h('summary', null, 'Search syntax'),
		h('ul', null,
			ex('deepfake extortion', 'both words'),
			ex('"session token"', 'the exact phrase'),
			ex('scrap*', 'words starting with scrap (3 letters or more)'),
			ex('openai OR anthropic', 'either word'),
			ex('agent -test', 'without a word (or NOT test)'),
			ex('kind:take_it_down status:open', 'filter by kind and status'),
			ex('flag:tid.removal-deadline', 'documents with that flag'),
			ex('indicator:203.0.113.7', 'cases that mention a value (IP, hash, account…)'),
			ex('case:AIM-2026-00001 after:2026-01-01 before:2026-06-30', 'one case, a time range')));
}

/** Adds a filter term to a query unless it is there already. */
function withTerm(q, term) {
	const parts = q.trim().split(/\s+/).filter(Boolean);
	return parts.includes(term) ? q.trim() : [...parts, term].join(' ');
}

function withoutTerm(q, term) {
	return q.trim().split(/\s+/).filter((p) => p && p !== term).join(' ');
}

function facets(q, data) {
	const groups = [['kind', 'Kind'], ['status', 'Status'], ['flag', 'Flag']];
	return h('nav', { class: 'facets', 'aria-label': 'Filters' }, groups.map(([key, name]) => {
		const entries = Object.entries(data.facets?.[key] ?? {}).sort((a, b) => b[1] - a[1]);
		if (!entries.length) return null;
		return h('section', null, h('h3', null, name), h('ul', null, entries.map(([v, n]) => {
			const term = `${key}:${v}`;
			const active = q.split(/\s+/).includes(term);
			const next = active ? withoutTerm(q, term) : withTerm(q, term);
			return h('li', null, h('a', { href: `#/search?q=${encodeURIComponent(next)}`, 'aria-current': active ? 'true' : null, class: active ? 'active' : null },
				key === 'flag' ? h('code', null, v) : label(v), ' ', h('span', { class: 'count' }, `(${n})`),
				active ? h('span', { class: 'sr-only' }, ' — active, select to remove') : null));
		})));
	}));
}

function hitLink(hit) {
	if (hit.type === 'incident') return `#/incidents/${hit.id}`;
	if (hit.type === 'evidence') return `#/cases/${hit.case_ref}?evidence=${encodeURIComponent(hit.title)}`;
	return `#/cases/${hit.case_ref}?section=notes`;
}

function hits(data) {
	return h('ol', { class: 'hits' }, data.hits.map((hit) => h('li', { class: 'hit' },
		h('h3', null, h('a', { href: hitLink(hit) }, hit.title || '(untitled)')),
		h('p', { class: 'meta' }, badge(hit.type, 'type-'), ' ', h('a', { href: `#/cases/${hit.case_ref}` }, hit.case_ref)),
		hit.snippet ? h('p', { class: 'snippet' }, snippet(hit.snippet)) : null)));
}

function pager(q, offset, total) {
	if (total <= LIMIT) return null;
	const link = (o, text, rel) => h('a', { href: `#/search?q=${encodeURIComponent(q)}&offset=${o}`, rel, class: 'button' }, text);
	const last = Math.min(offset + LIMIT, total);
	return h('nav', { class: 'pager', 'aria-label': 'Result pages' },
		offset > 0 ? link(Math.max(0, offset - LIMIT), 'Previous page', 'prev') : null,
		h('span', null, `${offset + 1}–${last} of ${total}`),
		last < total && offset + LIMIT <= 10000 ? link(offset + LIMIT, 'Next page', 'next') : null);
}

export async function render({ main, query, title, go }) {
	const q = query.get('q') ?? '';
	const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
	title(q ? `Search: ${q}` : 'Search');
	const input = h('input', { id: 'search-q', type: 'search', name: 'q', value: q, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'search-error' });
	const error = h('p', { class: 'field-error', id: 'search-error', role: 'alert' });
	const form = h('form', { class: 'search-form', role: 'search' },
		h('label', { for: 'search-q' }, 'Search query'),
		h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'primary' }, 'Search')),
		error, help());
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		go('/search', { q: input.value.trim() });
	});
	const results = h('div', { class: 'results' });
	replace(main, h('h1', null, 'Search'), form, results);
	if (!q) {
		results.append(h('p', { class: 'empty' }, 'Search incidents, notes and evidence paths across the cases you may see.'));
		return;
	}
	let data;
	try {
		data = await api('GET', '/api/search', { query: { q, limit: LIMIT, offset } });
	} catch (e) {
		if (e instanceof ApiError && e.status !== 401 && (e.field === 'q' || e.status === 503 || e.field === 'offset')) {
			error.textContent = e.message;
			input.setAttribute('aria-invalid', 'true');
			return;
		}
		throw e;
	}
	const summary = `${data.total} result${data.total === 1 ? '' : 's'} (${data.took_ms} ms)`;
	replace(results,
		h('p', { class: 'result-count', id: 'result-count' }, summary),
		h('div', { class: 'search-layout' },
			facets(q, data),
			h('section', { 'aria-labelledby': 'result-count' },
				data.hits.length ? hits(data) : h('p', { class: 'empty' }, 'Nothing matches. Try fewer words or a prefix*.'),
				pager(q, offset, data.total))));
	announce(summary);
}
