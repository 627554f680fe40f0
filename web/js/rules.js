// rules.js — the rules in force: severity, what they look for, the statute, hits in my cases.

import { api } from './api.js';
import { h, replace, table, badge } from './dom.js';

const ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export async function render({ main, title }) {
	const data = await api('GET', '/api/rules');
	title('Rules');
	const filter = h('input', { id: 'rule-filter', type: 'search', autocomplete: 'off', spellcheck: 'false' });
	const body = h('div');
	const show = () => {
		const f = filter.value.trim().toLowerCase();
		const rows = data.rules
			.filter((r) => !f || `${r.id} ${r.description} ${r.pack} ${r.statute ?? ''}`.toLowerCase().includes(f))
			.sort((a, b) => (ORDER[a.severity] ?? 9) - (ORDER[b.severity] ?? 9) || b.hits - a.hits || a.id.localeCompare(b.id));
		body.replaceChildren(table(`${rows.length} of ${data.rules.length} rules`, ['Rule', 'Severity', 'Description', 'Statute', 'Indicator', 'Hits'],
			rows.map((r) => [
				h('code', null, r.id), badge(r.severity, 'sev-'), r.description, r.statute ?? '—', r.indicator ?? '—',
				r.hits ? h('a', { href: `#/search?q=${encodeURIComponent(`flag:${r.id}`)}` }, String(r.hits)) : '0'])));
	};
	filter.addEventListener('input', show);
	replace(main,
		h('h1', null, 'Rules in force'),
		h('p', { class: 'lede' }, `${data.rules.length} rules from `, h('code', null, data.source ?? 'no rule directory'),
			'. Hits count the flags in the cases you may see.'),
		h('div', { class: 'inline-form' }, h('label', { for: 'rule-filter' }, 'Filter rules'), filter),
		body);
	show();
}
