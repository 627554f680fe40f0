// incident.js — one incident as filed (normalized by the server), with its flags and indicators.

import { api } from './api.js';
import { h, replace, table, badge, time, label, empty } from './dom.js';
import { typeName, quoteValue } from './links.js';

function dl(pairs) {
	const el = h('dl', { class: 'summary' });
	for (const [k, v] of pairs) if (v !== undefined && v !== null && v !== '') el.append(h('dt', null, k), h('dd', null, v));
	return el;
}

function list(values) {
	return values?.length ? h('ul', { class: 'plain' }, values.map((v) => h('li', null, h('code', null, v)))) : null;
}

function details(inc) {
	const a = inc.ai_intrusion;
	if (a) {
		return dl([
			['Target system', a.target_system], ['Owner', a.target_owner], ['Access vector', label(a.access_vector)],
			['AI agent or tool', a.agent], ['Model', a.model], ['Data accessed', a.data_accessed],
			['Loss', a.loss_usd !== undefined && a.loss_usd !== null ? `$${Number(a.loss_usd).toLocaleString('en-US', { minimumFractionDigits: 2 })}` : null],
			['IP addresses', list(a.indicators?.ips)], ['User agents', list(a.indicators?.user_agents)],
			['Accounts', list(a.indicators?.accounts)], ['Domains', list(a.indicators?.domains)]]);
	}
	const t = inc.take_it_down;
	return h('div', null,
		dl([['Minor victim', t.victim_minor ? 'Yes (restricted case)' : 'No'], ['Depiction', label(t.depiction)],
			['Threat only', t.threat_only ? 'Yes' : 'No'], ['Content hashes', list(t.content_hashes)]]),
		t.platforms?.length ? table('Platforms', ['Platform', 'URL', 'Removal requested', 'Removed'], t.platforms.map((p) => [
			p.name, p.url ? h('a', { href: p.url, rel: 'noreferrer noopener', target: '_blank' }, p.url) : '—', time(p.removal_requested_at), time(p.removed_at)])) : null);
}

export async function render({ main, params, title }) {
	const inc = await api('GET', `/api/incidents/${params[0]}`);
	title(`Incident ${inc.id}: ${inc.title}`);
	replace(main,
		h('div', { class: 'page-head' },
			h('div', null, h('p', { class: 'eyebrow' }, `Incident ${inc.id} in `, h('a', { href: `#/cases/${inc.case_ref}` }, inc.case_ref)), h('h1', null, inc.title))),
		h('section', { class: 'card', 'aria-labelledby': 'h-filed' },
			h('h2', { id: 'h-filed' }, 'Report'),
			dl([['Kind', label(inc.kind)], ['Occurred', time(inc.occurred_at)], ['Filed', [time(inc.filed_at), ` by ${inc.filed_by}`]]]),
			h('h3', null, 'Narrative'), h('p', { class: 'narrative' }, inc.narrative),
			h('h3', null, 'Details'), details(inc)),
		h('section', { class: 'card', 'aria-labelledby': 'h-iflags' },
			h('h2', { id: 'h-iflags' }, `Flags (${inc.flags.length})`),
			inc.flags.length ? table('Flags', ['Severity', 'Rule', 'Field', 'Excerpt'], inc.flags.map((f) => [
				badge(f.severity, 'sev-'), h('code', null, f.rule), f.field, h('span', { class: 'excerpt' }, f.excerpt)]), { hideCaption: true }) : empty('No rule matched.')),
		h('section', { class: 'card', 'aria-labelledby': 'h-iind' },
			h('h2', { id: 'h-iind' }, `Indicators (${inc.indicators.length})`),
			inc.indicators.length ? table('Indicators', ['Type', 'Value'], inc.indicators.map((i) => [typeName(i.type),
				h('a', { href: `#/search?q=${encodeURIComponent(`indicator:${quoteValue(i.value)}`)}` }, i.value)]), { hideCaption: true }) : empty('No indicators.')));
}
