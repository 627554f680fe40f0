// home.js — my cases, removal deadlines with a live countdown, recent high-severity flags.

import { api } from './api.js';
import { h, replace, table, badge, time, empty } from './dom.js';
import { deadlineTable, every } from './deadlines.js';

export function caseRow(c) {
	return [
		h('a', { href: `#/cases/${c.ref}` }, c.ref),
		c.title,
		badge(c.kind, 'kind-'),
		badge(c.status, 'status-'),
		c.sensitivity === 'restricted' ? badge('restricted', 'sens-') : 'Normal',
		c.assignee ?? '—',
		time(c.updated_at),
	];
}

export const CASE_HEADERS = ['Case', 'Title', 'Kind', 'Status', 'Sensitivity', 'Assignee', 'Updated'];

function flagList(flags) {
	if (!flags.length) return empty('No high or critical flags in your cases.');
	return table('Recent high-severity flags', ['Case', 'Severity', 'Rule', 'Found in', 'Excerpt'],
		flags.map((f) => [
			h('a', { href: `#/cases/${f.case_ref}` }, f.case_ref),
			badge(f.severity, 'sev-'),
			h('code', null, f.rule),
			f.doc_type === 'incident'
				? h('a', { href: `#/incidents/${f.doc_id}` }, `Incident ${f.doc_id}`)
				: `${f.doc_type} ${f.doc_id}`,
			h('span', { class: 'excerpt' }, f.excerpt),
		]), { hideCaption: true });
}

export async function render({ main, user, title }) {
	const wide = user.role !== 'investigator';	// prosecutors and supervisors see beyond their own
	const [mine, dash, recent] = await Promise.all([
		api('GET', '/api/cases', { query: { mine: 'true', limit: 50 } }),
		api('GET', '/api/dashboard'),
		wide ? api('GET', '/api/cases', { query: { limit: 10 } }) : null,
	]);
	title('Home');
	const deadlines = deadlineTable(dash.deadlines, { showCase: true, caption: 'Removal deadlines' });
	const overdue = dash.deadlines.filter((d) => d.overdue).length;
	replace(main,
		h('div', { class: 'page-head' },
			h('h1', null, 'Home'),
			h('div', { class: 'actions' },
				h('a', { class: 'button primary', href: '#/file' }, 'File an incident'),
				h('a', { class: 'button', href: '#/search' }, 'Search'))),
		h('section', { 'aria-labelledby': 'h-deadlines', class: 'card' },
			h('h2', { id: 'h-deadlines' }, 'Take It Down removal deadlines',
				overdue ? h('span', { class: 'badge overdue-count' }, `${overdue} overdue`) : null),
			h('p', { class: 'hint' }, 'Platforms must remove reported content within 48 hours of a valid request (47 U.S.C. 223(h)).'),
			deadlines.node),
		h('section', { 'aria-labelledby': 'h-mine', class: 'card' },
			h('h2', { id: 'h-mine' }, user.role === 'investigator' ? 'My cases' : 'Cases assigned to me or filed by me',
				h('span', { class: 'count' }, ` (${mine.total})`)),
			mine.cases.length ? table('My cases', CASE_HEADERS, mine.cases.map(caseRow), { hideCaption: true })
				: empty(wide ? 'No case is assigned to you yet.' : 'No cases yet. File an incident to open one.')),
		wide ? h('section', { 'aria-labelledby': 'h-recent', class: 'card' },
			h('h2', { id: 'h-recent' }, 'Recently updated cases', h('span', { class: 'count' }, ` (${recent.total} in all)`)),
			recent.cases.length ? table('Recently updated cases', CASE_HEADERS, recent.cases.map(caseRow), { hideCaption: true }) : empty('No cases yet.'),
			h('p', null, h('a', { href: '#/search' }, 'Search all cases'))) : null,
		h('section', { 'aria-labelledby': 'h-flags', class: 'card' },
			h('h2', { id: 'h-flags' }, 'Recent high-severity flags'),
			flagList(dash.flags)));
	return every(1000, deadlines.tick);
}
